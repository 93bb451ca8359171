"""What each channel costs and how long customers wait in it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from crmkit._validate import check_columns
from crmkit.errors import CrmkitError, DataError
from crmkit.queues import ErlangA, MMc, staff

__all__ = ["channel_economics"]


def channel_economics(
    plan: pd.DataFrame,
    *,
    within_s: float = 20.0,
    service_level: float = 0.8,
) -> pd.DataFrame:
    """Cost per hour and waiting per channel, with queue models for the live channels.

    Parameters
    ----------
    plan : DataFrame
        One row per channel (index = channel) with ``contacts_per_hour`` and
        ``cost_per_contact`` (one currency, e.g. from ``load_channel_costs``). Live
        channels also give ``handle_time_min``; optional ``agents`` (otherwise staffed
        to ``service_level`` within ``within_s``) and ``patience_min`` (then Erlang A,
        otherwise Erlang C). Rows without a handle time are self-service: no queue.
    within_s, service_level
        The answer-time target used for staffing and reported as ``service_level``.

    Returns
    -------
    pandas.DataFrame
        ``cost_per_hour``, ``agents``, ``occupancy``, ``mean_wait_s``, ``service_level``
        and ``prob_abandon`` (NaN where not applicable); ``note`` explains unstable
        rows.

    Examples
    --------
    >>> plan = pd.DataFrame({"contacts_per_hour": [120, 300],
    ...                      "cost_per_contact": [5.25, 0.10],
    ...                      "handle_time_min": [4.0, np.nan]},
    ...                     index=["phone", "website"])
    >>> out = channel_economics(plan)
    >>> int(out.loc["phone", "agents"]), float(out.loc["website", "cost_per_hour"])
    (11, 30.0)
    """
    check_columns(plan, ["contacts_per_hour", "cost_per_contact"], what="plan")
    rows = []
    for channel, r in plan.iterrows():
        volume, cost = float(r["contacts_per_hour"]), float(r["cost_per_contact"])
        if (
            volume < 0
            or cost < 0
            or not math.isfinite(volume)
            or not math.isfinite(cost)
        ):
            raise DataError(
                f"{channel}: contacts_per_hour and cost_per_contact must be >= 0."
            )
        row = {
            "channel": channel,
            "contacts_per_hour": volume,
            "cost_per_hour": volume * cost,
            "agents": np.nan,
            "occupancy": np.nan,
            "mean_wait_s": np.nan,
            "service_level": np.nan,
            "prob_abandon": np.nan,
            "note": "",
        }
        handle = r.get("handle_time_min", np.nan)
        if pd.notna(handle) and volume > 0:
            lam, mu = volume / 60.0, 1.0 / float(handle)  # per minute
            patience = r.get("patience_min", np.nan)
            theta = 1.0 / float(patience) if pd.notna(patience) else None
            agents = r.get("agents", np.nan)
            try:
                if pd.isna(agents):
                    agents = staff(
                        lam,
                        mu,
                        service_level=service_level,
                        within=within_s / 60,
                        abandonment_rate=theta,
                    ).servers
                agents = int(agents)
                model = (
                    MMc(arrival_rate=lam, service_rate=mu, servers=agents)
                    if theta is None
                    else ErlangA(
                        arrival_rate=lam,
                        service_rate=mu,
                        servers=agents,
                        abandonment_rate=theta,
                    )
                )
                row.update(
                    agents=agents,
                    occupancy=model.occupancy,
                    mean_wait_s=model.mean_wait * 60,
                    service_level=float(model.service_level(within_s / 60)),
                )
                if theta is not None:
                    row["prob_abandon"] = model.prob_abandon
            except CrmkitError as exc:
                row.update(agents=agents, note=str(exc))
        rows.append(row)
    return pd.DataFrame(rows).set_index("channel")
