"""An interaction plan (客户互动设计): the course's six steps in one table."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_array,
    check_dates,
    check_frame,
    check_nonnegative,
    check_optional_column,
    check_present,
    show,
)
from crmkit.channels._design import objective_task_budget
from crmkit.errors import DataError

__all__ = [
    "DESIGN_STEPS",
    "EXPECTATIONS",
    "GOAL_RULES",
    "SHARED",
    "InteractionPlan",
    "interaction_plan",
]

#: The course's steps of interaction design (客户互动设计), in its order and words:
#: key -> (中文, English). Course document 004, 四、客户互动设计, numbers steps 1–5
#: (确定互动对象 … 选择互动渠道与频率); its slide deck in document 000 ends with the
#: sixth, 评估互动效果.
DESIGN_STEPS = MappingProxyType(
    {
        "audience": ("确定互动对象", "identify the audience"),
        "goals": ("确定互动目标", "set the goals"),
        "content": ("设计互动内容", "design the content"),
        "budget": ("决定互动预算", "decide the budget"),
        "channel": ("选择互动渠道与频率", "choose the channel and frequency"),
        "evaluation": ("评估互动效果", "evaluate the effect"),
    }
)

#: What the audience expects at each stage of the relationship (客户关系生命周期阶段),
#: from the course's table (document 000): stage -> (阶段, 基本期望, 潜在期望).
EXPECTATIONS = MappingProxyType(
    {
        "acquisition": (
            "潜在获取期",
            "优质的有形产品，配套的附加产品",
            "更大的物质利益，企业的关心",
        ),
        "growth": ("客户成长期", "潜在获取期提供的一切价值", "受到企业非同一般的重视"),
        "maturity": (
            "客户成熟期",
            "成长期提供的一切价值，企业和自己得到的价值对等",
            "成为企业的一部分，自我对企业的重要价值得到认同",
        ),
    }
)

#: The course's four points to watch when setting goals (注意事项, document 004):
#: key -> (中文, English).
GOAL_RULES = MappingProxyType(
    {
        "specific": ("互动目标的具体性", "specific"),
        "achievable": ("互动目标的可实现性", "achievable"),
        "deadline": ("实现互动目标的时间期限", "time-bound"),
        "consistent": ("互动目标的多样性", "several goals, mutually consistent"),
    }
)

#: The ``goal`` of a task whose cost serves every goal (an e-mail account, a licence).
SHARED = "shared"

_GOAL_COLUMNS = ["goal", "audience", "kpi"]
_TASK_COLUMNS = [
    "goal",
    "task",
    "content",
    "channel",
    "per_month",
    "units",
    "unit_cost",
]


@dataclass(frozen=True)
class InteractionPlan:
    """An interaction plan: one row per task, the budget, the KPIs and the checks.

    Attributes
    ----------
    table : DataFrame
        One row per task, its columns in the course's step order: ``audience``,
        ``stage``, ``goal``, ``content``, ``task``, ``units``, ``unit_cost``, ``cost``,
        ``channel``, ``per_month``, ``kpi``, ``target``, ``deadline``.
    budget : DataFrame
        :func:`objective_task_budget` of the tasks (subtotals per goal, a total).
    kpis : DataFrame
        One row per goal (step 6): ``audience``, ``kpi``, ``target``, ``deadline``,
        the goal's own ``cost`` and ``cost_per_target`` (cost / target; NaN without
        a target > 0). Shared costs are in :attr:`total`, not in a goal's cost.
    checks : DataFrame
        The course's goal rules (:data:`GOAL_RULES`), each ``ok`` True, False or
        None (a judgement the kit cannot make), with a ``note``.
    total, available : float
        The planned cost, and the money available (NaN if none was given).
    """

    table: pd.DataFrame
    budget: pd.DataFrame
    kpis: pd.DataFrame
    checks: pd.DataFrame
    total: float
    available: float

    def __post_init__(self) -> None:
        set_fields(self, total=float(self.total), available=float(self.available))

    @property
    def within_budget(self) -> bool | None:
        """Whether the plan costs no more than the money available (None: none
        given)."""
        return None if np.isnan(self.available) else self.total <= self.available

    def __repr__(self) -> str:
        money = "" if np.isnan(self.available) else f" of {self.available:g} available"
        return (
            f"InteractionPlan({len(self.kpis)} goals, {len(self.table)} tasks, "
            f"cost {self.total:g}{money})"
        )


def _text_column(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    check_present(
        f"{what}[{column!r}]",
        frame[column],
        what="entry(ies)",
        fix=f"fill in every {column}",
    )
    return frame[column].astype(str)


def _goals(goals: pd.DataFrame) -> pd.DataFrame:
    check_frame(goals, _GOAL_COLUMNS, what="goals")
    out = pd.DataFrame({c: _text_column(goals, c, "goals") for c in _GOAL_COLUMNS})
    repeated = out["goal"][out["goal"].duplicated()]
    if len(repeated):
        raise DataError(
            f"goals['goal'] names {show(repeated.iloc[0])} twice; give each goal one "
            "row (put its several tasks in tasks)."
        )
    if (out["goal"] == SHARED).any():
        raise DataError(
            f"goals['goal'] = {SHARED!r} is reserved for shared costs in tasks; "
            "rename the goal."
        )
    stage = goals["stage"] if "stage" in goals.columns else pd.Series(None, goals.index)
    bad = stage.notna() & ~stage.isin(list(EXPECTATIONS))
    if bad.any():
        raise DataError(
            f"goals['stage'] = {show(stage[bad].iloc[0])} is not a stage of the "
            f"course's table; use one of {list(EXPECTATIONS)} (or leave it empty)."
        )
    out["stage"] = stage.where(stage.notna(), None).to_numpy()
    out["target"] = check_optional_column(
        goals, "target", what="goals", empty=np.nan, low=0
    )
    deadline = pd.Series(
        goals["deadline"] if "deadline" in goals.columns else None, goals.index
    )
    known = deadline.notna()
    out["deadline"] = pd.NaT
    if known.any():
        out.loc[known, "deadline"] = check_dates(
            "goals['deadline']", deadline[known]
        ).to_numpy()
    out["deadline"] = pd.to_datetime(out["deadline"])
    return out.reset_index(drop=True)


def _checks(goals: pd.DataFrame, total: float, available: float) -> pd.DataFrame:
    vague = goals["goal"][goals["target"].isna()].tolist()
    open_ended = goals["goal"][goals["deadline"].isna()].tolist()
    if np.isnan(available):
        achievable, note = None, "no money available was given"
    else:
        achievable = total <= available
        note = f"cost {total:g} against {available:g} available" + (
            "" if achievable else f": {total - available:g} over"
        )
    rows = {
        "specific": (not vague, f"no numeric target: {vague}" if vague else ""),
        "achievable": (achievable, note),
        "deadline": (
            not open_ended,
            f"no deadline: {open_ended}" if open_ended else "",
        ),
        "consistent": (None, "a judgement: do the goals support one another?"),
    }
    return pd.DataFrame(
        {
            "rule": [GOAL_RULES[k][0] for k in rows],
            "rule_en": [GOAL_RULES[k][1] for k in rows],
            "ok": [ok for ok, _ in rows.values()],
            "note": [note for _, note in rows.values()],
        },
        index=list(rows),
    )


def interaction_plan(
    goals: pd.DataFrame, tasks: pd.DataFrame, *, available: float | None = None
) -> InteractionPlan:
    """Plan an interaction by the course's six steps (:data:`DESIGN_STEPS`): audience →
    goals → content → objective–task budget → channel and frequency → KPIs.

    Parameters
    ----------
    goals : DataFrame
        One row per goal: ``goal`` (each once), ``audience`` (who, step 1) and
        ``kpi`` (how it is measured, step 6), none missing; optional ``stage``
        (a key of :data:`EXPECTATIONS`), ``target`` (a number >= 0 in the KPI's unit)
        and ``deadline`` (a date). A goal without a target or deadline is allowed
        but reported in :attr:`InteractionPlan.checks` (the course asks goals to be
        specific and time-bound).
    tasks : DataFrame
        One row per task: ``goal`` (one of the goals, or :data:`SHARED` for a cost
        every goal uses), ``task``, ``content`` (step 3), ``channel`` and
        ``per_month`` (contacts per customer per month, >= 0; step 5), ``units`` and
        ``unit_cost`` (>= 0; step 4, costed by :func:`objective_task_budget`).
    available : float, optional
        The money available (>= 0, same currency), for the course's rule that goals
        be achievable with the firm's resources.

    Returns
    -------
    InteractionPlan

    Notes
    -----
    The steps and rules are those of the course (documents 004 and 000); the
    budget is the objective–task method: cost = Σ units × unit_cost over the tasks.

    Examples
    --------
    >>> goals = pd.DataFrame({"goal": ["win new customers"], "audience": ["students"],
    ...                       "kpi": ["new accounts"], "target": [40],
    ...                       "deadline": ["2015-06-30"]})
    >>> tasks = pd.DataFrame({"goal": ["win new customers", SHARED],
    ...                       "task": ["staff time", "broadband"],
    ...                       "content": ["price list", "-"],
    ...                       "channel": ["e-mail", "e-mail"], "per_month": [2, 0],
    ...                       "units": [10, 1], "unit_cost": [20.0, 10.0]})
    >>> plan = interaction_plan(goals, tasks, available=150)
    >>> plan.total, plan.within_budget, plan.kpis["cost_per_target"].tolist()
    (210.0, False, [5.0])
    """
    goal_table = _goals(goals)
    check_frame(tasks, _TASK_COLUMNS, what="tasks")
    text = {c: _text_column(tasks, c, "tasks") for c in _TASK_COLUMNS[:4]}
    unknown = ~text["goal"].isin([*goal_table["goal"], SHARED])
    if unknown.any():
        raise DataError(
            f"tasks['goal'] = {show(text['goal'][unknown].iloc[0])} is not one of the "
            f"goals ({goal_table['goal'].tolist()}); add it to goals or write "
            f"{SHARED!r} for a cost every goal shares."
        )
    per_month = check_array("tasks['per_month']", tasks["per_month"], low=0)
    money = np.nan if available is None else check_nonnegative("available", available)
    budget = objective_task_budget(tasks)
    total = budget.attrs["total"]
    rows = budget.iloc[: len(tasks)].reset_index(drop=True)
    info = goal_table.set_index("goal")
    on_goal = rows["goal"].where(rows["goal"] != SHARED)
    table = pd.DataFrame(
        {
            "audience": on_goal.map(info["audience"]).fillna("all"),
            "stage": on_goal.map(info["stage"]),
            "goal": rows["goal"],
            "content": text["content"].to_numpy(),
            "task": rows["task"],
            "units": rows["units"],
            "unit_cost": rows["unit_cost"],
            "cost": rows["cost"],
            "channel": text["channel"].to_numpy(),
            "per_month": per_month,
            "kpi": on_goal.map(info["kpi"]),
            "target": on_goal.map(info["target"]),
            "deadline": on_goal.map(info["deadline"]),
        }
    )
    cost = table.groupby("goal")["cost"].sum()
    kpis = info[["audience", "kpi", "target", "deadline"]].copy()
    kpis["cost"] = cost.reindex(kpis.index, fill_value=0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        kpis["cost_per_target"] = kpis["cost"].where(kpis["target"] > 0) / kpis[
            "target"
        ].where(kpis["target"] > 0)
    return InteractionPlan(
        table, budget, kpis, _checks(goal_table, total, money), total, money
    )
