"""Interaction design (客户互动设计): the objective–task budget and the channel mix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from crmkit._validate import (
    check_array,
    check_bool,
    check_count,
    check_frame,
    check_nonnegative,
    check_optional_column,
    check_positive,
    show,
)
from crmkit.errors import DataError, ParameterError, TargetError

#: money amounts (per contact, budget) and contact counts the LP solver (HiGHS, which
#: treats 1e20 as infinite) handles accurately
_MONEY = 1e15
_CONTACTS = 1e15


def _limit(frame: pd.DataFrame, column: str) -> np.ndarray:
    """An optional upper-limit column: numbers >= 0, empty (NaN) or inf = no limit."""
    return check_optional_column(
        frame, column, what="channels", empty=np.inf, low=0, allow_inf=True
    )

__all__ = ["ChannelMix", "channel_mix", "objective_task_budget"]


def objective_task_budget(tasks: pd.DataFrame) -> pd.DataFrame:
    """The objective–task method (目标—任务—成本法): budget = the cost of the tasks the
    goals need.

    Parameters
    ----------
    tasks : DataFrame
        One row per task: ``goal``, ``task`` (neither missing), ``units`` (how many,
        >= 0) and ``unit_cost`` (>= 0, one currency): finite numbers, not text or
        True/False. The index is not used.

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
    check_frame(tasks, ["goal", "task", "units", "unit_cost"], what="tasks")
    for name in ("goal", "task"):
        missing = tasks[name].isna().to_numpy()
        if missing.any():
            pos = int(np.flatnonzero(missing)[0])
            raise DataError(
                f"tasks[{name!r}] is missing in row {show(tasks.index[pos])} "
                f"({int(missing.sum())} such row(s)); fill in every {name} (a row "
                "without one would drop out of the subtotals)."
            )
    units = check_array("tasks['units']", tasks["units"], low=0)
    unit_cost = check_array("tasks['unit_cost']", tasks["unit_cost"], low=0)
    with np.errstate(over="ignore"):
        cost = units * unit_cost
        total = float(cost.sum())
    if not np.isfinite(total):
        raise DataError(
            f"the total budget ({total:g}) is beyond the float range; pass unit_cost "
            "in a larger unit (e.g. thousands)."
        )
    out = tasks[["goal", "task"]].copy()
    out["units"] = units
    out["unit_cost"] = unit_cost
    out["cost"] = cost
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
        Index = channel (each once); ``cost_per_contact`` (> 0), ``value_per_contact``
        (>= 0, e.g. expected margin from a response), optional ``capacity`` and
        ``max_per_customer`` (>= 0; empty or inf = no limit). Finite numbers up to
        1e15, not text or True/False.
    budget : float
        Money to spend (same currency as the costs), 0 to 1e15.
    audience : int
        Customers in the target group, a whole number >= 1.
    max_contacts_per_customer : float, default 3
        > 0 (an average, so fractions are fine).
    integer : bool, default False
        Whole contacts (a mixed-integer programme).

    Examples
    --------
    >>> ch = pd.DataFrame({"cost_per_contact": [0.1, 5.25],
    ...                    "value_per_contact": [0.3, 9.0],
    ...                    "max_per_customer": [3, 1]}, index=["e-mail", "phone"])
    >>> mix = channel_mix(ch, budget=2000, audience=1000)
    >>> mix.allocation["contacts"].round().tolist()
    [2670.0, 330.0]
    """
    budget = check_nonnegative("budget", budget)
    audience = check_count("audience", audience, minimum=1)
    cap_total = check_positive("max_contacts_per_customer", max_contacts_per_customer)
    integer = check_bool("integer", integer)
    check_frame(
        channels,
        ["cost_per_contact", "value_per_contact"],
        what="channels",
        unique_index=True,
    )
    cost = check_array(
        "channels['cost_per_contact']",
        channels["cost_per_contact"],
        low=0,
        low_open=True,
        high=_MONEY,
    )
    value = check_array(
        "channels['value_per_contact']",
        channels["value_per_contact"],
        low=0,
        high=_MONEY,
    )
    upper = np.minimum(
        _limit(channels, "capacity"), _limit(channels, "max_per_customer") * audience
    )
    if budget > _MONEY:
        raise ParameterError(
            f"budget = {budget:g} is beyond {_MONEY:g}, more than the solver handles "
            "accurately; pass money in a larger unit (e.g. thousands)."
        )
    with np.errstate(over="ignore"):
        reach = cap_total * audience
    if not reach <= _CONTACTS:
        raise ParameterError(
            f"max_contacts_per_customer × audience = {reach:g} contacts is more than "
            f"{_CONTACTS:g}, beyond what the solver handles accurately; pass a smaller "
            "audience or fewer contacts per customer."
        )
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
        raise TargetError(
            f"the channel mix has no solution ({res.message}); check the costs, "
            "limits and budget for contradictions."
        )
    x = np.asarray(res.x, dtype=float)
    x = np.where(x > 0, x, 0.0)  # no -0.0 or round-off below zero from the solver
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
