"""Skills-based routing, simulated: :func:`simulate_skills` and the chaining study.

One replication draws every customer's arrival time, class, patience and service
times (vectorised, from streams keyed by the replication and the class), then runs the
event loop of :mod:`crmkit.queues._skills_engine`. Replications run through
:func:`crmkit.experiments.sweep` (serially, or on Dask with a ``client``); replication
r draws from the stream keyed (seed, 0, r) whoever runs it.

**Common random numbers.** Within a replication, arrivals, classes, each class's
patience and each class's service times come from their own keyed streams, and every
service distribution of class k restarts class k's stream. So two models with the same
classes and the same seed see the same customers, and a customer's service time does
not depend on which group serves it when the groups share its distribution; the
designs of :func:`chaining_study` are compared on identical customers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmkit._replication import interval_table, keyed_stream
from crmkit._validate import (
    check_choice,
    check_count,
    check_nonnegative,
    check_work,
    show,
)
from crmkit.errors import CrmkitError, ParameterError, SweepTaskError
from crmkit.queues._base import (
    MAX_CLASSES,
    MAX_SIM_CUSTOMERS,
    MAX_SIM_SERVERS,
    check_kind,
    check_rate,
    check_sequence,
    check_values,
)
from crmkit.queues._day_simulation import MAX_REPLICATIONS, check_seed, run_sweep
from crmkit.queues._distributions import PoissonArrivals, _check_draws
from crmkit.queues._simulate import _area
from crmkit.queues._skills_engine import skills_engine
from crmkit.queues._skills_model import AgentGroup, CustomerClass, SkillsModel

__all__ = ["ChainingStudy", "SkillsSimulation", "chaining_study", "simulate_skills"]

#: most service-time entries (customers × groups) one replication may hold (400 MB)
MAX_SKILL_DRAWS = 5 * 10**7
#: the metrics of each class (and of all customers together)
CLASS_METRICS = ("mean_wait", "service_level", "prob_wait", "prob_abandon")
_DESIGNS = ("specialised", "chain", "pooled")


@dataclass(frozen=True)
class _Job:
    """One checked simulation request: the model, the run length and ``within``."""

    model: SkillsModel
    customers: int
    warmup: int
    within: float


def _draw(job: _Job, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """One replication's arrivals, classes, patience (None: nobody abandons) and the
    groups × customers service-time table."""
    model, n = job.model, job.customers
    base = int(rng.integers(2**63))
    lam = np.array([c.arrival_rate for c in model.classes])
    arr = PoissonArrivals(float(lam.sum())).generate(
        keyed_stream(base, (0,)), customers=n
    )
    cls = keyed_stream(base, (1,)).choice(lam.size, size=n, p=lam / lam.sum())
    members = [np.flatnonzero(cls == k) for k in range(lam.size)]
    pat = None
    if any(c.patience is not None for c in model.classes):
        pat = np.full(n, math.inf)
        for k, c in enumerate(model.classes):
            if c.patience is not None and members[k].size:
                size = members[k].size
                draws = c.patience.sample(keyed_stream(base, (2, k)), size)
                pat[members[k]] = _check_draws("patience", draws, size, allow_inf=True)
    svc = np.zeros((len(model.groups), n))
    index = {name: k for k, name in enumerate(model.class_names)}
    for g, group in enumerate(model.groups):
        for name, dist in group.skills.items():
            idx = members[index[name]]
            if idx.size:
                draws = dist.sample(keyed_stream(base, (3, index[name])), idx.size)
                svc[g, idx] = _check_draws("service", draws, idx.size, allow_inf=False)
    return arr, cls, pat, svc


def _routing_tables(
    model: SkillsModel,
) -> tuple[list[list[tuple[int, int]]], list[list[int]]]:
    """Per class the (rank, group) pairs of the groups with its skill; per group the
    class indices in priority order."""
    index = {name: k for k, name in enumerate(model.class_names)}
    candidates: list[list[tuple[int, int]]] = [[] for _ in model.classes]
    for g, group in enumerate(model.groups):
        for rank, name in enumerate(group.priorities):
            candidates[index[name]].append((rank, g))
    order = [[index[name] for name in g.priorities] for g in model.groups]
    return [sorted(c) for c in candidates], order


def _replication(
    params: Mapping[str, Any], rng: np.random.Generator, day: _Job
) -> dict[str, float]:
    """One replication's metrics (``params`` unused; ``day`` is the job, named as
    :func:`~crmkit.queues._day_simulation.run_sweep` passes it)."""
    job, model = day, day.model
    arr, cls, pat, svc = _draw(job, rng)
    candidates, order = _routing_tables(model)
    rec = skills_engine(
        arr,
        cls,
        svc,
        pat,
        agents=[g.agents for g in model.groups],
        candidates=candidates,
        queue_order=order,
        longest_idle=model.routing == "longest_idle",
    )
    served = rec.group >= 0
    wait = rec.start - arr
    if pat is not None:
        wait = np.where(served, wait, pat)
    first = job.warmup
    ok = served & (wait <= job.within)
    columns = {
        "mean_wait": wait[first:],
        "service_level": ok[first:],
        "prob_wait": rec.found_busy[first:],
        "prob_abandon": ~served[first:],
    }
    out = {metric: float(values.mean()) for metric, values in columns.items()}
    kinds, k = cls[first:], len(model.classes)
    counts = np.bincount(kinds, minlength=k)
    by_class = {}
    with np.errstate(invalid="ignore"):  # a class without kept customers: NaN
        for metric, values in columns.items():
            if values.dtype == bool:  # exact counts: the means of values[kinds == j]
                by_class[metric] = np.bincount(kinds, values, k) / counts
            else:
                by_class[metric] = [
                    values[kinds == j].mean() if counts[j] else math.nan
                    for j in range(k)
                ]
    for j, name in enumerate(model.class_names):
        for metric in columns:
            out[f"{metric}[{name}]"] = float(by_class[metric][j])
    t0, t1 = float(arr[first]), float(arr[-1])
    used = svc[np.maximum(rec.group, 0), np.arange(arr.size)]
    for g, group in enumerate(model.groups):
        mine = rec.group == g
        lo = rec.start[mine]
        busy = _area(lo, lo + used[mine], int(mine[:first].sum()), t0, t1)
        out[f"occupancy[{group.name}]"] = (
            busy / (group.agents * (t1 - t0)) if t1 > t0 else math.nan
        )
    return out


@dataclass(frozen=True, eq=False)
class SkillsSimulation:
    """The result of :func:`simulate_skills`: per-class waits and per-group occupancy
    with their intervals.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per metric: ``estimate`` (mean over replications), ``ci_low``,
        ``ci_high`` (95 % Student-t interval), ``half_width`` and ``replications``.
        Rows ``mean_wait``, ``service_level``, ``prob_wait``, ``prob_abandon`` are over
        all customers; ``<metric>[<class>]`` over one class; ``occupancy[<group>]``
        is a group's busy share of its agents' time.
    per_replication : pandas.DataFrame
        Each replication's metrics.
    settings : dict
        customers, warmup, replications, seed, within.
    model : SkillsModel
        The model simulated.

    ``mean_wait`` counts an abandoner's time in queue (its patience), as
    :class:`~crmkit.queues.ErlangA` does; ``service_level`` is P(served after a wait of
    at most ``within``), abandoners counting as failures; ``prob_wait`` is the share
    that found no idle agent with its skill.
    """

    table: pd.DataFrame
    per_replication: pd.DataFrame
    settings: Mapping[str, Any]
    model: SkillsModel

    def _row(self, metric: str, name: str | None) -> pd.Series:
        metric = check_choice("metric", metric, [*CLASS_METRICS, "occupancy"])
        if metric == "occupancy":
            options = self.model.group_names
            if name is None:
                raise ParameterError(
                    f"occupancy is per group; pass name= one of {show(list(options))}."
                )
        else:
            options = self.model.class_names
        if name is None:
            return self.table.loc[metric]
        name = check_choice("name", name, options)
        return self.table.loc[f"{metric}[{name}]"]

    def estimate(self, metric: str, name: str | None = None) -> float:
        """The estimate of ``metric`` for the class ``name`` (for ``"occupancy"`` the
        group ``name``; None: over all customers)."""
        return float(self._row(metric, name)["estimate"])

    def interval(self, metric: str, name: str | None = None) -> tuple[float, float]:
        """The 95 % interval of ``metric`` (``name`` as in :meth:`estimate`)."""
        row = self._row(metric, name)
        return float(row["ci_low"]), float(row["ci_high"])

    def to_frame(self) -> pd.DataFrame:
        """The table as tidy columns: ``metric``, ``name`` (a class, a group or
        ``"all"``), then the interval columns."""
        labels = self.table.index.to_series()
        parts = labels.str.extract(r"^([a-z_]+)(?:\[(.*)\])?$")
        frame = self.table.reset_index(drop=True)
        frame.insert(0, "name", parts[1].fillna("all").to_numpy())
        frame.insert(0, "metric", parts[0].to_numpy())
        return frame

    def __str__(self) -> str:
        s = self.settings
        lines = [
            f"skills-based routing ({self.model.routing}): {len(self.model.classes)} "
            f"classes, {len(self.model.groups)} groups, {s['replications']} "
            f"replications × {s['customers']:,} customers (warm-up {s['warmup']:,}), "
            f"seed {s['seed']}"
        ]
        for metric, row in self.table.iterrows():
            lines.append(
                f"  {metric:<36} {row['estimate']:.4g}  "
                f"[{row['ci_low']:.4g}, {row['ci_high']:.4g}]"
            )
        return "\n".join(lines)


def _check_job(
    model: object,
    customers: object,
    warmup: object,
    replications: object,
    within: object,
) -> tuple[_Job, int]:
    model = check_kind(
        "model", model, SkillsModel, "a SkillsModel(classes=[...], groups=[...])"
    )
    n = check_count("customers", customers, minimum=2, maximum=MAX_SIM_CUSTOMERS)
    first = check_count("warmup", warmup, minimum=0)
    if first >= n - 1:
        raise ParameterError(
            f"warmup = {first} customers leaves fewer than two of customers = {n}; "
            "pass a warmup below customers - 1."
        )
    reps = check_count(
        "replications", replications, minimum=2, maximum=MAX_REPLICATIONS
    )
    tau = check_nonnegative("within", within)
    check_work(
        f"simulate_skills(replications={reps:,}, customers={n:,})",
        float(reps) * n,
        limit=MAX_SIM_CUSTOMERS,
        fix="reduce replications or customers",
    )
    check_work(
        f"customers = {n:,} × {len(model.groups)} groups of service times",
        float(n) * len(model.groups),
        limit=MAX_SKILL_DRAWS,
        fix="reduce customers (run more replications instead)",
    )
    return _Job(model, n, first, tau), reps


def simulate_skills(
    model: SkillsModel,
    *,
    customers: int = 50_000,
    replications: int = 10,
    warmup: int = 0,
    within: float = 1 / 3,
    seed: int | np.random.Generator | None = None,
    client: Any = None,
) -> SkillsSimulation:
    """Simulate skills-based routing and report each class's waits and each group's
    occupancy with 95 % confidence intervals.

    Parameters
    ----------
    model : SkillsModel
        Classes, groups and the routing rule (see :class:`SkillsModel`).
    customers : int, default 50,000
        Arrivals per replication, all classes together (2 to 2·10**7; at most 5·10**7
        customers × groups).
    replications : int, default 10
        Independent runs (2 to 10,000; at most 2·10**7 customers in all).
    warmup : int, default 0
        The first ``warmup`` customers of each run are left out of the metrics (runs
        start empty and idle); occupancy is measured from the first kept arrival to
        the last arrival.
    within : float, default 1/3
        The service-level time in minutes (20 seconds).
    seed : int, Generator or None
        Replication r draws from the stream keyed (seed, 0, r)
        (:func:`crmkit.experiments.task_rng`); the same seed gives the same customers
        to every model with the same classes (common random numbers).
    client : None, "serial", str or distributed.Client
        None or ``"serial"`` runs here; a Dask client or scheduler address runs the
        replications there (:func:`crmkit.experiments.sweep`), with the same numbers.

    Returns
    -------
    SkillsSimulation

    Raises
    ------
    ParameterError
        For a wrong argument, and before anything is drawn for a run above the work
        limits.

    Notes
    -----
    Each metric is the mean over replications of that replication's value, with the
    Student-t interval of the method of independent replications: A. M. Law (2015),
    *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, §9.4.1. The routing rules
    are those of :class:`SkillsModel`; for the design questions they answer see N.
    Gans, G. Koole and A. Mandelbaum (2003), "Telephone call centers: tutorial, review,
    and research prospects", *Manufacturing & Service Operations Management*
    5(2):79–141, §5.

    Examples
    --------
    A VIP line answered first by a small VIP desk, with generalists as overflow who
    take VIPs before regular callers (impatient regulars hang up after 2 minutes on
    average):

    >>> from crmkit.queues import AgentGroup, CustomerClass, Exponential, SkillsModel
    >>> vip, regular = CustomerClass("vip", 1.0), CustomerClass(
    ...     "regular", 4.0, patience=Exponential(0.5))
    >>> desk = AgentGroup("vip desk", 2, {"vip": 1.5})
    >>> pool = AgentGroup("generalists", 5, {"vip": 1.5, "regular": 1.0})
    >>> res = simulate_skills(SkillsModel([vip, regular], [desk, pool]),
    ...                       customers=20_000, replications=5, warmup=1_000, seed=1)
    >>> bool(res.estimate("mean_wait", "vip") < res.estimate("mean_wait", "regular"))
    True
    >>> lo, hi = res.interval("occupancy", "generalists")
    >>> bool(0.6 < lo < hi < 0.95)
    True
    >>> list(res.to_frame().columns[:3])
    ['metric', 'name', 'estimate']
    """
    job, reps = _check_job(model, customers, warmup, replications, within)
    return _run(job, reps, check_seed(seed), client)


def _run(job: _Job, reps: int, key: int, client: Any) -> SkillsSimulation:
    """Simulate a checked job through :func:`crmkit.experiments.sweep`."""
    try:
        per_rep = run_sweep(job, reps, key, client, func=_replication)
    except SweepTaskError as exc:
        if isinstance(exc.__cause__, CrmkitError):  # e.g. a distribution's bad draws
            raise exc.__cause__ from None
        raise
    if all(c.patience is None for c in job.model.classes):
        per_rep = per_rep.drop(
            columns=[c for c in per_rep.columns if c.startswith("prob_abandon")]
        )
    settings = {
        "customers": job.customers,
        "warmup": job.warmup,
        "replications": reps,
        "seed": key,
        "within": job.within,
    }
    return SkillsSimulation(interval_table(per_rep), per_rep, settings, job.model)


# ------------------------------------------------------------------ chaining study
def _design_groups(design: str, k: int, agents: int, mean: float) -> list[AgentGroup]:
    """The groups of one design: group j ranks its own class j first, then the
    following classes in cyclic order (two of them in a chain, all when pooled)."""
    width = {"specialised": 1, "chain": 2, "pooled": k}[design]
    groups = []
    for j in range(k):
        skills = [f"class {(j + d) % k + 1}" for d in range(width)]
        groups.append(AgentGroup(f"group {j + 1}", agents, dict.fromkeys(skills, mean)))
    return groups


@dataclass(frozen=True, eq=False)
class ChainingStudy:
    """The result of :func:`chaining_study`: the three designs side by side and the
    chain's paired comparison with pooling.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per design (``specialised``, ``chain``, ``pooled``): for each
        all-customer metric its estimate with ``<metric>_ci_low`` and
        ``<metric>_ci_high`` (95 % intervals), and ``occupancy`` (mean over groups).
    benefit : pandas.DataFrame
        Paired comparisons over the same customers (common random numbers), one row
        per metric: ``chain_gap`` = chain − pooled and ``chain_share``, the share of
        the pooling benefit the chain reaches, (specialised − chain) / (specialised −
        pooled), each the mean over replications of the replication's value with its
        95 % interval (``_ci_low``, ``_ci_high``).
    results : dict
        Design → :class:`SkillsSimulation`.
    """

    table: pd.DataFrame
    benefit: pd.DataFrame
    results: Mapping[str, SkillsSimulation]

    def to_frame(self) -> pd.DataFrame:
        """The per-design table (a copy)."""
        return self.table.copy()


def _check_rates(arrival_rate: object, k: int) -> list[float]:
    if isinstance(arrival_rate, Sequence | np.ndarray) and not isinstance(
        arrival_rate, str
    ):
        given = check_sequence("arrival_rate", arrival_rate, "[4.0, 4.0, 4.0, 4.0]")
        rates = check_values("arrival_rate", given, low=0.0, high=1e100)
        if rates.size != k:
            raise ParameterError(
                f"arrival_rate has {rates.size} entries but classes = {k}; pass one "
                "rate per class (or one rate for all)."
            )
        return [check_rate(f"arrival_rate[{i}]", r) for i, r in enumerate(rates)]
    return [check_rate("arrival_rate", arrival_rate)] * k


def chaining_study(
    *,
    classes: int = 4,
    agents_per_group: int = 5,
    arrival_rate: float | Sequence[float] = 4.25,
    mean_service: float = 1.0,
    patience: Any = None,
    routing: str = "priority",
    within: float = 1 / 3,
    customers: int = 40_000,
    replications: int = 10,
    warmup: int = 2_000,
    seed: int | np.random.Generator | None = None,
    client: Any = None,
) -> ChainingStudy:
    """Compare specialised, chained and fully pooled agents on the same customers.

    ``classes`` classes meet ``classes`` groups of ``agents_per_group`` agents each,
    with the same exponential service (``mean_service`` minutes) for every class:

    - *specialised*: group j serves class j only;
    - *chain*: group j serves classes j and j + 1 (the last group serves the last and
      the first class), a closed chain in which every group has two skills;
    - *pooled*: every group serves every class.

    Group j ranks its own class j first (then j + 1, …); all three designs have the
    same agents and see the same customers (common random numbers: the same seed gives
    every design the same arrivals, classes, patience and service times).

    Parameters
    ----------
    classes : int, default 4
        Number of classes and of groups (2 to 100).
    agents_per_group : int, default 5
        Agents in each group (1 to 10**6 / classes).
    arrival_rate : float or sequence of float, default 4.25
        Arrivals per minute of each class (one for all, or one per class, to study
        unbalanced demand).
    mean_service : float, default 1.0
        Mean service minutes (exponential), the same for all classes and groups.
    patience : distribution, optional
        Every class's patience (None: nobody abandons).
    routing, within, customers, replications, warmup, seed, client
        As in :class:`SkillsModel` and :func:`simulate_skills`; the work limit counts
        the three designs together.

    Returns
    -------
    ChainingStudy

    Notes
    -----
    The chain is the design that W. C. Jordan and S. C. Graves (1995), "Principles on
    the benefits of manufacturing process flexibility", *Management Science*
    41(4):577–594, showed to give most of the benefit of total flexibility with two
    skills per plant. For call centres with skills-based routing, R. B. Wallace and
    W. Whitt (2005), "A staffing algorithm for call centers with skill-based
    routing", *Manufacturing & Service Operations Management* 7(4):276–294, found
    that agents with only two skills, suitably arranged, perform almost as well as
    agents with all skills; see also N. Gans, G. Koole and A. Mandelbaum (2003),
    "Telephone call centers: tutorial, review, and research prospects", *Manufacturing
    & Service Operations Management* 5(2):79–141, §5.

    Examples
    --------
    >>> study = chaining_study(customers=20_000, replications=4, warmup=1_000, seed=3)
    >>> w = study.table["mean_wait"]
    >>> bool(w["specialised"] > w["chain"] > w["pooled"])
    True
    >>> bool(study.benefit.loc["mean_wait", "chain_share"] > 0.7)
    True
    """
    k = check_count("classes", classes, minimum=2, maximum=MAX_CLASSES)
    agents = check_count(
        "agents_per_group", agents_per_group, minimum=1, maximum=MAX_SIM_SERVERS // k
    )
    rates = _check_rates(arrival_rate, k)
    mean = check_rate("mean_service", mean_service)
    reps = check_count(
        "replications", replications, minimum=2, maximum=MAX_REPLICATIONS
    )
    n = check_count("customers", customers, minimum=2, maximum=MAX_SIM_CUSTOMERS)
    check_work(
        f"chaining_study: 3 designs × replications={reps:,} × customers={n:,}",
        3.0 * reps * n,
        limit=MAX_SIM_CUSTOMERS,
        fix="reduce replications or customers",
    )
    key = check_seed(seed)
    customer_classes = [
        CustomerClass(f"class {i + 1}", rate, patience=patience)
        for i, rate in enumerate(rates)
    ]
    results = {}
    for design in _DESIGNS:
        model = SkillsModel(
            customer_classes, _design_groups(design, k, agents, mean), routing=routing
        )
        job, _ = _check_job(model, n, warmup, reps, within)
        results[design] = _run(job, reps, key, client)
    return ChainingStudy(*_compare(results), results)


def _compare(
    results: Mapping[str, SkillsSimulation],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-design table and the paired chain-versus-pooling comparisons."""
    metrics = [m for m in CLASS_METRICS if m in results["pooled"].table.index]
    rows = {}
    for design, res in results.items():
        row: dict[str, float] = {}
        for m in metrics:
            est = res.table.loc[m]
            row[m] = est["estimate"]
            row[f"{m}_ci_low"] = est["ci_low"]
            row[f"{m}_ci_high"] = est["ci_high"]
        occ = res.per_replication.filter(like="occupancy[")
        row["occupancy"] = float(occ.to_numpy().mean())
        rows[design] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "design"
    spec, chain, pool = (results[d].per_replication for d in _DESIGNS)
    paired = {}
    for m in metrics:
        with np.errstate(divide="ignore", invalid="ignore"):
            share = (spec[m] - chain[m]) / (spec[m] - pool[m])
        paired[f"{m}|chain_gap"] = chain[m] - pool[m]
        paired[f"{m}|chain_share"] = share.replace([np.inf, -np.inf], np.nan)
    stats = interval_table(pd.DataFrame(paired))
    benefit = pd.DataFrame(index=pd.Index(metrics, name="metric"))
    for what in ("chain_gap", "chain_share"):
        part = stats.loc[[f"{m}|{what}" for m in metrics]]
        benefit[what] = part["estimate"].to_numpy()
        benefit[f"{what}_ci_low"] = part["ci_low"].to_numpy()
        benefit[f"{what}_ci_high"] = part["ci_high"].to_numpy()
    return table, benefit
