"""What each channel costs and how long customers wait in it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_array,
    check_frame,
    check_nonnegative,
    check_optional_column,
    check_probability,
)
from crmkit.errors import CrmkitError, DataError, TargetError, UnstableQueueError
from crmkit.queues import erlang_queue, staff

__all__ = ["channel_economics"]


def _optional(plan: pd.DataFrame, column: str, *, integer: bool = False) -> np.ndarray:
    """An optional column of positive numbers: NaN where empty (or absent)."""
    return check_optional_column(
        plan, column, what="plan", empty=np.nan, low=0, low_open=True, integer=integer
    )


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
        One row per channel (index = channel, each once) with ``contacts_per_hour``
        and ``cost_per_contact`` (finite numbers >= 0, one currency, e.g. from
        ``load_channel_costs``). Live channels also give ``handle_time_min`` (> 0);
        optional ``agents`` (whole numbers >= 1; otherwise staffed to
        ``service_level`` within ``within_s``) and ``patience_min`` (> 0; then Erlang
        A, otherwise Erlang C). Leave a cell empty (NaN) where it does not apply:
        rows without a handle time are self-service, with no queue. Text, True/False,
        infinity and fractional agents (12.5) are refused.
    within_s : float, default 20
        The answer-time target in seconds (>= 0), used for staffing and reported as
        ``service_level``.
    service_level : float, default 0.8
        The share to answer within ``within_s``, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        ``cost_per_hour``, ``agents``, ``occupancy``, ``mean_wait_s``, ``service_level``
        and ``prob_abandon`` (NaN where not applicable); ``note`` explains unstable
        rows (or a queue too large to model).

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
    within_s = check_nonnegative("within_s", within_s)
    service_level = check_probability(
        "service_level", service_level, open_low=True, open_high=True
    )
    check_frame(
        plan, ["contacts_per_hour", "cost_per_contact"], what="plan", unique_index=True
    )
    volumes = check_array(
        "plan['contacts_per_hour']", plan["contacts_per_hour"], low=0
    )
    costs = check_array("plan['cost_per_contact']", plan["cost_per_contact"], low=0)
    handles = _optional(plan, "handle_time_min")
    patiences = _optional(plan, "patience_min")
    staffed = _optional(plan, "agents", integer=True)
    with np.errstate(over="ignore"):
        per_hour = volumes * costs
    if not np.isfinite(per_hour).all():
        i = int(np.flatnonzero(~np.isfinite(per_hour))[0])
        raise DataError(
            f"plan row {plan.index[i]!r}: contacts_per_hour × cost_per_contact = "
            f"{volumes[i]:g} × {costs[i]:g} is beyond the float range; pass the costs "
            "in a larger unit (e.g. thousands)."
        )
    rows = []
    for i, channel in enumerate(plan.index):
        volume, handle = float(volumes[i]), float(handles[i])
        row = {
            "channel": channel,
            "contacts_per_hour": volume,
            "cost_per_hour": float(per_hour[i]),
            "agents": np.nan,
            "occupancy": np.nan,
            "mean_wait_s": np.nan,
            "service_level": np.nan,
            "prob_abandon": np.nan,
            "note": "",
        }
        if not np.isnan(handle) and volume > 0:
            lam, mu = volume / 60.0, 1.0 / handle  # per minute
            theta = None if np.isnan(patiences[i]) else 1.0 / float(patiences[i])
            agents: float | int = float(staffed[i])
            try:
                if np.isnan(agents):
                    agents = staff(
                        lam,
                        mu,
                        service_level=service_level,
                        within=within_s / 60,
                        abandonment_rate=theta,
                    ).servers
                agents = int(agents)
                model = erlang_queue(lam, mu, agents, abandonment_rate=theta)
                row.update(
                    agents=agents,
                    occupancy=model.occupancy,
                    mean_wait_s=model.mean_wait * 60,
                    service_level=float(model.service_level(within_s / 60)),
                )
                if theta is not None:
                    row["prob_abandon"] = model.prob_abandon
            except (UnstableQueueError, TargetError) as exc:  # a what-if answer
                row.update(agents=agents, note=str(exc))
            except CrmkitError as exc:  # inputs beyond what the queue models handle
                raise DataError(
                    f"plan row {channel!r} (contacts_per_hour = {volume:g}, "
                    f"handle_time_min = {handle:g}, patience_min = "
                    f"{patiences[i]:g}, agents = {staffed[i]:g}) cannot be modelled "
                    f"as a queue ({exc}); check those values (minutes, and whole "
                    "agents of a realistic size)."
                ) from exc
        rows.append(row)
    return pd.DataFrame(rows).set_index("channel")
