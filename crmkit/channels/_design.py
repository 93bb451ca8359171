"""Interaction design (客户互动设计): the objective–task budget and the channel mix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from crmkit._validate import check_columns, check_nonnegative, check_positive
from crmkit.errors import DataError, TargetError

__all__ = ["ChannelMix", "channel_mix", "objective_task_budget"]


def objective_task_budget(tasks: pd.DataFrame) -> pd.DataFrame:
    """The objective–task method (目标—任务—成本法): budget = the cost of the tasks the
    goals need.

    Parameters
    ----------
    tasks : DataFrame
        One row per task: ``goal``, ``task``, ``units`` (how many, >= 0) and
        ``unit_cost`` (>= 0, one currency).

    Returns
    -------
    pandas.DataFrame
        The tasks with ``cost = units × unit_cost`` and ``share`` of the budget,
        followed by one subtotal row per goal and a grand-total row (``task`` is
        "subtotal" or "total"). ``attrs["total"]`` holds the budget.

    Examples
    --------
    >>> t = pd.DataFrame({"goal": ["retain VIPs", "retain VIPs", "win back"],
    ...                   "task": ["quarterly visit", "birthday gift", "win-back mail"],
    ...                   "units": [200, 200, 5000], "unit_cost": [80.0, 30.0, 0.2]})
    >>> objective_task_budget(t).attrs["total"]
    23000.0
    """
    check_columns(tasks, ["goal", "task", "units", "unit_cost"], what="tasks")
    if tasks.empty:
        raise DataError("no tasks: list the tasks each goal needs.")
    units = pd.to_numeric(tasks["units"], errors="coerce")
    unit_cost = pd.to_numeric(tasks["unit_cost"], errors="coerce")
    for name, col in (("units", units), ("unit_cost", unit_cost)):
        if col.isna().any() or (col < 0).any():
            row = tasks.index[
                int(np.flatnonzero((col.isna() | (col < 0)).to_numpy())[0])
            ]
            raise DataError(f"{name} in row {row!r} must be a number >= 0.")
    out = tasks[["goal", "task"]].copy()
    out["units"] = units
    out["unit_cost"] = unit_cost
    out["cost"] = units * unit_cost
    total = float(out["cost"].sum())
    out["share"] = out["cost"] / total if total > 0 else 0.0
    subtotals = out.groupby("goal", sort=False)["cost"].sum().reset_index()
    subtotals["task"] = "subtotal"
    subtotals["share"] = subtotals["cost"] / total if total > 0 else 0.0
    grand = pd.DataFrame(
        {
            "goal": ["all goals"],
            "task": ["total"],
            "cost": [total],
            "share": [1.0 if total > 0 else 0.0],
        }
    )
    table = pd.concat([out, subtotals, grand], ignore_index=True)
    table.attrs["total"] = total
    return table


@dataclass(frozen=True)
class ChannelMix:
    """The optimal mix: contacts per channel, their cost and value, and what binds."""

    allocation: pd.DataFrame
    total_cost: float
    total_value: float
    value_of_budget: float  # extra value from one more unit of budget (shadow price)


def channel_mix(
    channels: pd.DataFrame,
    *,
    budget: float,
    audience: int,
    max_contacts_per_customer: float = 3.0,
    integer: bool = False,
) -> ChannelMix:
    """Spend a budget across channels to maximise the value reached (linear programme).

    Maximise ``Σ value_per_contact · contacts`` subject to the budget, each channel's
    ``capacity`` (contacts it can carry), each channel's ``max_per_customer`` (e.g. the
    same e-mail content at most 2–3 times a month) times the audience, and a total of
    ``max_contacts_per_customer`` per customer across channels. Solved with scipy's
    HiGHS (``linprog``, or ``milp`` with ``integer=True`` for whole contacts).

    Parameters
    ----------
    channels : DataFrame
        Index = channel; ``cost_per_contact`` (> 0), ``value_per_contact`` (>= 0, e.g.
        expected margin from a response), optional ``capacity`` and
        ``max_per_customer``.
    budget : float
        Money to spend (same currency as the costs).
    audience : int
        Customers in the target group.

    Examples
    --------
    >>> ch = pd.DataFrame({"cost_per_contact": [0.1, 5.25],
    ...                    "value_per_contact": [0.3, 9.0],
    ...                    "max_per_customer": [3, 1]}, index=["e-mail", "phone"])
    >>> mix = channel_mix(ch, budget=2000, audience=1000)
    >>> mix.allocation["contacts"].round().tolist()
    [2670.0, 330.0]
    """
    check_columns(channels, ["cost_per_contact", "value_per_contact"], what="channels")
    budget = check_nonnegative("budget", budget)
    audience = check_positive("audience", audience)
    cap_total = check_positive("max_contacts_per_customer", max_contacts_per_customer)
    cost = channels["cost_per_contact"].to_numpy(dtype=float)
    value = channels["value_per_contact"].to_numpy(dtype=float)
    if (cost <= 0).any() or not np.isfinite(cost).all():
        raise DataError("cost_per_contact must be positive for every channel.")
    if (value < 0).any() or not np.isfinite(value).all():
        raise DataError("value_per_contact must be >= 0 for every channel.")
    upper = np.full(len(channels), np.inf)
    if "capacity" in channels:
        upper = np.minimum(
            upper, channels["capacity"].fillna(np.inf).to_numpy(dtype=float)
        )
    if "max_per_customer" in channels:
        per = channels["max_per_customer"].fillna(np.inf).to_numpy(dtype=float)
        upper = np.minimum(upper, per * audience)
    a_ub = np.vstack([cost, np.ones(len(channels))])
    b_ub = np.array([budget, cap_total * audience])
    bounds = [(0, None if np.isinf(u) else u) for u in upper]
    if integer:
        res = optimize.milp(
            -value,
            constraints=optimize.LinearConstraint(a_ub, -np.inf, b_ub),
            integrality=np.ones(len(channels)),
            bounds=optimize.Bounds(0, np.where(np.isinf(upper), np.inf, upper)),
        )
        shadow = np.nan
    else:
        res = optimize.linprog(
            -value, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs"
        )
        shadow = float(-res.ineqlin.marginals[0]) if res.status == 0 else np.nan
    if res.status != 0:
        raise TargetError(f"the channel mix has no solution: {res.message}")
    x = np.asarray(res.x, dtype=float)
    alloc = pd.DataFrame(
        {
            "contacts": x,
            "cost": x * cost,
            "value": x * value,
            "per_customer": x / audience,
            "at_limit": np.isclose(x, np.where(np.isinf(upper), -1, upper)),
        },
        index=channels.index,
    )
    return ChannelMix(
        alloc, float(alloc["cost"].sum()), float(alloc["value"].sum()), shadow
    )
