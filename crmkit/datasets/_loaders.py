"""Loaders of the shipped data sets (they read, check and return; they never write)."""

from __future__ import annotations

import pandas as pd

from crmkit.datasets._paths import data_file

__all__ = ["load_call_centre"]


def load_call_centre() -> pd.DataFrame:
    """The synthetic call log (14 days, Anonymous Bank layout), parsed.

    See ``datasets/call_centre.md`` for how it was made and what it is calibrated to.

    Examples
    --------
    >>> log = load_call_centre()
    >>> sorted(log["outcome"].cat.categories)
    ['AGENT', 'HANG']
    """
    from crmkit.queues.calllog import read_call_log

    return read_call_log(data_file("call_centre.csv"))
