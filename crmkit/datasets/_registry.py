"""The synthetic data sets and the seeded generator calls that make them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

__all__ = ["GENERATORS"]


def _call_centre() -> pd.DataFrame:
    from crmkit.queues.calllog import make_call_log

    return make_call_log(14, seed=19990201, start="2001-01-07")


def _interactions() -> pd.DataFrame:
    from crmkit.channels import make_interactions

    return make_interactions(2_000, seed=20240101, days=90, start="2024-01-01")


def _email_campaign() -> pd.DataFrame:
    from crmkit.channels import make_email_campaign

    return make_email_campaign(seed=20240102, sends_per_slot=400)


def _complaints() -> pd.DataFrame:
    from crmkit.complaints import make_complaints

    return make_complaints(5_000, seed=20131201)


#: file name in datasets/ -> zero-argument function returning the table to write.
GENERATORS: dict[str, Callable[[], pd.DataFrame]] = {
    "call_centre.csv": _call_centre,
    "interactions.csv": _interactions,
    "email_campaign.csv": _email_campaign,
    "complaints.csv": _complaints,
}
