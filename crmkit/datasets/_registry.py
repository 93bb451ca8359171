"""The synthetic data sets and the seeded generator calls that make them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

__all__ = ["GENERATORS"]


def _call_centre() -> pd.DataFrame:
    from crmkit.queues.calllog import make_call_log

    return make_call_log(14, seed=19990201, start="2001-01-07")


#: file name in datasets/ -> zero-argument function returning the table to write.
GENERATORS: dict[str, Callable[[], pd.DataFrame]] = {
    "call_centre.csv": _call_centre,
}
