"""Skills-based routing: customer classes, agent groups with skills, and the model.

A :class:`SkillsModel` is a set of customer classes (Poisson arrivals, optional
patience) and agent groups; each group has a number of identical agents, the classes it
can serve (its *skills*, each with its own service-time distribution) and the order in
which a free agent of the group takes waiting customers (its *priorities*). The
simulation is :func:`crmkit.queues.simulate_skills`.

The static planning problem (the smallest utilisation of the busiest group that any
fixed split of each class's work over the groups with its skill can reach) decides
whether the system can be stable at all; it is a linear programme solved with
:func:`scipy.optimize.linprog` (HiGHS). Source: J. M. Harrison and M. J. López (1999),
"Heavy traffic resource pooling in parallel-server systems", *Queueing Systems*
33(4):339–368, §2 (the static planning problem).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
from scipy import optimize

from crmkit._frozen import set_fields
from crmkit._validate import check_choice, check_count, show
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues._base import (
    MAX_CLASSES,
    MAX_SIM_SERVERS,
    check_kind,
    check_rate,
    check_sequence,
)
from crmkit.queues._distributions import Distribution, Exponential, _check_distribution

__all__ = ["ROUTINGS", "AgentGroup", "CustomerClass", "SkillsModel"]

#: the routing rules for an arriving customer who finds idle agents with its skill
ROUTINGS = ("priority", "longest_idle")


def _check_name(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ParameterError(
            f"{name} = {show(value)} is not a name; pass a non-empty string such as "
            "'billing'."
        )
    return value


@dataclass(frozen=True)
class CustomerClass:
    """A class of customers (a call type): Poisson arrivals, optional patience.

    Parameters
    ----------
    name : str
        The class's name (non-empty), used by groups' skills and in the results.
    arrival_rate : float
        Poisson arrivals per minute (in [1e-100, 1e100]).
    patience : distribution, optional
        Time (minutes) a customer of this class waits before abandoning, e.g.
        ``Exponential(rate=0.5)``; None: never abandons.

    Examples
    --------
    >>> from crmkit.queues import Exponential
    >>> CustomerClass("vip", 1.5, patience=Exponential(0.5)).arrival_rate
    1.5
    """

    name: str
    arrival_rate: float
    patience: Any = None

    def __post_init__(self) -> None:
        _check_name("name", self.name)
        rate = check_rate("arrival_rate", self.arrival_rate)
        if self.patience is not None:
            _check_distribution("patience", self.patience)
        set_fields(self, arrival_rate=rate)


class _Skills(Mapping[str, Distribution]):
    """A read-only mapping of class name to service distribution (unlike
    ``types.MappingProxyType`` it pickles, so models travel to Dask workers)."""

    def __init__(self, skills: Mapping[str, Distribution]) -> None:
        self._skills = dict(skills)

    def __getitem__(self, name: str) -> Distribution:
        return self._skills[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._skills)

    def __len__(self) -> int:
        return len(self._skills)

    def __repr__(self) -> str:
        return repr(self._skills)


def _service(name: str, value: object) -> Distribution:
    """A service distribution, or a mean service time (minutes) as an exponential."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    ):
        return Exponential(rate=1.0 / check_rate(name, value))
    return _check_distribution(name, value)


@dataclass(frozen=True)
class AgentGroup:
    """A group of identical agents: how many, what they can serve, and in which order.

    Parameters
    ----------
    name : str
        The group's name (non-empty).
    agents : int
        Number of agents (1 to 10**6).
    skills : mapping
        Class name → service-time distribution of that class with this group's agents,
        or a mean service time in minutes (read as an exponential distribution). At
        least one class.
    priorities : sequence of str, optional
        The order in which a free agent takes waiting customers, highest priority
        first: every skill exactly once. Default: the order of ``skills``. It also
        ranks the group for an arriving customer under ``routing="priority"`` (see
        :class:`SkillsModel`).

    Examples
    --------
    >>> g = AgentGroup("bilingual", 3, {"english": 4.0, "spanish": 5.0},
    ...                priorities=["spanish", "english"])
    >>> g.priorities, round(g.skills["english"].mean, 3)
    (('spanish', 'english'), 4.0)
    """

    name: str
    agents: int
    skills: Mapping[str, Any]
    priorities: Sequence[str] | None = None

    def __post_init__(self) -> None:
        _check_name("name", self.name)
        n = check_count("agents", self.agents, minimum=1, maximum=MAX_SIM_SERVERS)
        skills = check_kind(
            "skills",
            self.skills,
            Mapping,
            "a mapping of class name to service distribution or mean minutes, e.g. "
            "{'billing': 4.0}",
        )
        if not skills:
            raise ParameterError(
                "skills = {} is empty; pass at least one class the group can serve, "
                "e.g. {'billing': 4.0}."
            )
        if len(skills) > MAX_CLASSES:
            raise ParameterError(
                f"skills has {len(skills)} classes; pass at most {MAX_CLASSES}."
            )
        checked = {
            _check_name("skills key", k): _service(f"skills[{k!r}]", v)
            for k, v in skills.items()
        }
        if self.priorities is None:
            order = tuple(checked)
        else:
            given = check_sequence("priorities", self.priorities, str(list(checked)))
            order = tuple(_check_name("priorities entry", p) for p in given)
            if sorted(order) != sorted(checked):
                raise ParameterError(
                    f"priorities = {show(list(order))} is not an ordering of the "
                    f"skills {show(list(checked))}; pass every skill exactly once, "
                    "highest priority first."
                )
        set_fields(self, agents=n, skills=_Skills(checked), priorities=order)


@dataclass(frozen=True)
class SkillsModel:
    """Customer classes served by agent groups with skills and priorities.

    Parameters
    ----------
    classes : sequence of CustomerClass
        1 to 100 classes with distinct names.
    groups : sequence of AgentGroup
        1 to 100 groups with distinct names (at most 10**6 agents in all); every skill
        names a class, and every class is some group's skill.
    routing : {"priority", "longest_idle"}
        Which idle agent an arriving customer of class k goes to when several groups
        with skill k have idle agents. ``"priority"``: the group that ranks k highest
        in its ``priorities``, among equally ranked groups the one whose agent has
        been idle longest (then the group listed first); ``"longest_idle"``: the agent
        idle longest over all those groups (then the higher rank, then the group
        listed first). Within a group the agent idle longest always answers.

    Notes
    -----
    A freed agent takes the customer who has waited longest in the class its group
    ranks highest among the classes with someone waiting (non-preemptive priority,
    FCFS within a class); with nobody waiting it becomes idle. A customer whose
    patience runs out before service leaves (at the very moment an agent frees, it is
    served).

    ``static_utilization`` is the least utilisation of the busiest group over every
    split of each class's work (λ_k × mean service) over the groups with its skill:
    the value of the static planning problem of J. M. Harrison and M. J. López (1999),
    "Heavy traffic resource pooling in parallel-server systems", *Queueing Systems*
    33(4):339–368, §2. The model refuses a system that no routing can keep stable:
    the same least utilisation, counting only the classes that never abandon, must be
    below 1. That is necessary, not sufficient (a particular priority rule may still
    be unstable), so look at the simulated waits as well.

    Examples
    --------
    >>> from crmkit.queues import AgentGroup, CustomerClass, SkillsModel
    >>> m = SkillsModel(
    ...     classes=[CustomerClass("sales", 2.0), CustomerClass("support", 1.0)],
    ...     groups=[AgentGroup("generalists", 4, {"sales": 1.0, "support": 2.0}),
    ...             AgentGroup("sales desk", 1, {"sales": 1.0})],
    ... )
    >>> round(m.static_utilization, 4)     # (2·1 + 1·2) / 5 agents
    0.8
    """

    classes: Sequence[CustomerClass]
    groups: Sequence[AgentGroup]
    routing: str = "priority"

    def __post_init__(self) -> None:
        classes = self._checked_list("classes", self.classes, CustomerClass)
        groups = self._checked_list("groups", self.groups, AgentGroup)
        routing = check_choice("routing", self.routing, ROUTINGS)
        names = [c.name for c in classes]
        _check_unique("classes", names)
        _check_unique("groups", [g.name for g in groups])
        for i, g in enumerate(groups):
            for skill in g.skills:
                if skill not in names:
                    raise ParameterError(
                        f"groups[{i}] ({g.name!r}) has the skill {skill!r}, which is "
                        f"not a class (classes: {show(names)}); rename the skill or "
                        "add the class."
                    )
        for c in classes:
            if not any(c.name in g.skills for g in groups):
                raise ParameterError(
                    f"classes: {c.name!r} is no group's skill, so its customers would "
                    "never be served; add it to some group's skills."
                )
        total = sum(g.agents for g in groups)
        if total > MAX_SIM_SERVERS:
            raise ParameterError(
                f"groups have {total:,} agents in all, more than {MAX_SIM_SERVERS:,}; "
                "pass fewer agents."
            )
        set_fields(self, classes=classes, groups=groups, routing=routing)
        patient = [c.patience is None for c in classes]
        rho = self._static(patient)
        if rho >= 1.0:
            names = [c.name for c in classes if c.patience is None]
            raise UnstableQueueError(
                f"the classes that never abandon, {show(names)}, need a utilisation "
                f"of at least {rho:.4g} ≥ 1 of some group under the best split of "
                "their work, so their queues would grow without bound; add agents "
                "or skills, lower the arrival rates, or give those classes a "
                "patience."
            )

    @staticmethod
    def _checked_list(name: str, values: object, kind: type) -> tuple[Any, ...]:
        given = check_sequence(name, values, f"[{kind.__name__}(...), ...]")
        if not 1 <= len(given) <= MAX_CLASSES:
            raise ParameterError(
                f"{name} has {len(given)} entries; pass 1 to {MAX_CLASSES} of them."
            )
        return tuple(
            check_kind(f"{name}[{i}]", v, kind, f"a {kind.__name__}")
            for i, v in enumerate(given)
        )

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.classes)

    @property
    def group_names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.groups)

    @property
    def agents(self) -> int:
        """Agents in all groups."""
        return sum(g.agents for g in self.groups)

    @cached_property
    def static_utilization(self) -> float:
        """The least possible utilisation of the busiest group when every class is
        served in full (static planning problem; inf when no split exists)."""
        return self._static([True] * len(self.classes))

    def _static(self, include: list[bool]) -> float:
        """The static planning problem over the classes flagged in ``include`` (the
        others need no agent time)."""
        pairs = [
            (k, j)
            for j, g in enumerate(self.groups)
            for k, c in enumerate(self.classes)
            if include[k] and c.name in g.skills
        ]
        rows = [k for k in range(len(self.classes)) if include[k]]
        if not rows:
            return 0.0
        n_x = len(pairs)
        cost = np.zeros(n_x + 1)
        cost[-1] = 1.0  # minimise ρ
        a_eq = np.zeros((len(self.classes), n_x + 1))
        a_ub = np.zeros((len(self.groups), n_x + 1))
        for p, (k, j) in enumerate(pairs):
            c, g = self.classes[k], self.groups[j]
            a_eq[k, p] = 1.0
            a_ub[j, p] = c.arrival_rate * g.skills[c.name].mean / g.agents
        a_ub[:, -1] = -1.0
        res = optimize.linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.zeros(len(self.groups)),
            A_eq=a_eq[rows],
            b_eq=np.ones(len(rows)),  # shares of each class's arrivals
            bounds=[(0.0, None)] * (n_x + 1),
            method="highs",
        )
        return float(res.fun) if res.status == 0 else math.inf


def _check_unique(name: str, names: list[str]) -> None:
    twice = [n for n, count in Counter(names).items() if count > 1]
    if twice:
        raise ParameterError(
            f"{name} has the name {twice[0]!r} more than once; give every entry its "
            "own name."
        )
