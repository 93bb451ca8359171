"""Compare complaint strategies with common random numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from crmkit._replication import half_width
from crmkit._validate import check_count, check_work, show
from crmkit.complaints._scenario import (
    OUTCOMES,
    ComplaintScenario,
    check_scenario,
    check_type,
)
from crmkit.complaints._simulate import (
    MAX_AGENT_CUSTOMER_PERIODS,
    ComplaintResult,
    _check_discount,
    simulate,
)
from crmkit.errors import ParameterError

__all__ = ["compare_strategies", "paired_difference"]

#: the most replications × periods × cells drawn over all variants of one comparison
#: (about three minutes on one core)
MAX_COMPARISON_DRAWS = 3_000_000


def compare_strategies(
    base: ComplaintScenario,
    strategies: Mapping[str, Mapping[str, Any] | ComplaintScenario],
    *,
    replications: int = 200,
    seed: int = 0,
    discount_rate: float = 0.01,
) -> pd.DataFrame:
    """Run named variants of a scenario and report their differences from the base.

    Every variant is simulated with the same seed, so each replication of each variant
    uses the same random stream (common random numbers): differences are computed per
    replication (paired) and their intervals are much narrower than those of separate
    runs.

    Parameters
    ----------
    base : ComplaintScenario
    strategies : mapping
        Name → parameter changes (e.g. ``{"complaint_rate": 0.2}`` for a free hotline
        and complaint cards) or a whole scenario.
    replications : int, default 200
        At least 2 (intervals need two); each variant is bounded like
        :func:`simulate`, and all variants together may draw at most 3,000,000
        replications × periods × (severity classes × 5 outcomes).
    seed : int, default 0
        A non-negative int (not a Generator: every variant must start from the same
        stream).
    discount_rate : float, default 0.01
        Per period, in [0, 1], for ``discounted_profit`` and ``customer_equity``
        (discounted profit over the horizon plus the customers left at the end valued
        by the retention formula ``margin · r/(1 + d − r)`` with the scenario's mean
        retention r).

    Returns
    -------
    pandas.DataFrame
        One row per strategy and measure: ``value`` (mean), ``difference`` from the
        base, and its 95 % interval ``diff_low``/``diff_high``.

    Examples
    --------
    >>> hotline = {"hotline": {"complaint_rate": 0.25}}
    >>> out = compare_strategies(ComplaintScenario(), hotline, replications=50)
    >>> row = out.set_index(["strategy", "measure"]).loc[("hotline", "silent")]
    >>> bool(row["diff_high"] < 0)
    True
    """
    check_scenario("base", base)
    check_type(
        "strategies",
        strategies,
        Mapping,
        "mapping",
        "a dict such as {'hotline': {'complaint_rate': 0.25}}",
    )
    reps = check_count(
        "replications", replications, minimum=2, maximum=MAX_AGENT_CUSTOMER_PERIODS
    )
    seed = check_count("seed", seed, minimum=0)
    d = _check_discount(discount_rate)
    variants = {"base": base}
    for name, change in strategies.items():
        if not isinstance(name, str) or not name:
            raise ParameterError(
                f"strategies has the name {show(name)}; use non-empty text names "
                "such as 'hotline'."
            )
        if name == "base":
            raise ParameterError(
                "strategies has a variant named 'base', which is reserved for the "
                "base scenario; rename it."
            )
        if isinstance(change, ComplaintScenario):
            variants[name] = change
        elif isinstance(change, Mapping) and all(isinstance(k, str) for k in change):
            variants[name] = base.replace(**change)
        else:
            raise ParameterError(
                f"strategies[{name!r}] = {show(change)} is neither a dict of parameter "
                "changes nor a ComplaintScenario; pass e.g. {'complaint_rate': 0.25}."
            )
    work = [
        reps * v.periods * len(v.classes()) * len(OUTCOMES) for v in variants.values()
    ]
    check_work(
        "replications × periods × cells over all strategies",
        sum(work),
        limit=MAX_COMPARISON_DRAWS,
        fix=f"compare fewer strategies ({len(variants) - 1}) or reduce replications "
        f"({reps:,}) or periods",
    )
    results = {
        name: simulate(s, replications=reps, seed=seed) for name, s in variants.items()
    }
    tables = [
        paired_difference(res, results["base"], discount_rate=d)
        .rename_axis("measure")
        .reset_index()
        .assign(strategy=name)
        for name, res in results.items()
    ]
    columns = ["strategy", "measure", "value", "difference", "diff_low", "diff_high"]
    return pd.concat(tables, ignore_index=True)[columns]


def paired_difference(
    result: ComplaintResult,
    reference: ComplaintResult,
    *,
    discount_rate: float = 0.01,
) -> pd.DataFrame:
    """How ``result`` differs from ``reference``, replication by replication.

    Both must come from :func:`simulate` with the same seed and number of replications
    (common random numbers): replication ``i`` of each then used the same random stream,
    so the difference of their totals (:meth:`ComplaintResult.per_replication`) is
    taken per replication (paired) and its 95 % Student-t interval is much narrower
    than that of two independent runs (A. M. Law (2015), *Simulation Modeling and
    Analysis*, 5th ed., McGraw-Hill, section 11.2, "Common random numbers"). This is
    the comparison behind :func:`compare_strategies`.

    Parameters
    ----------
    result, reference : ComplaintResult
        With the same number of replications (one replication gives no interval: NaN).
    discount_rate : float, default 0.01
        As in :meth:`ComplaintResult.per_replication`.

    Returns
    -------
    pandas.DataFrame
        One row per measure of :meth:`ComplaintResult.per_replication`: ``value``
        (mean of ``result``), ``difference`` (mean of the paired differences) and its
        95 % interval ``diff_low``/``diff_high``.

    Examples
    --------
    >>> base = ComplaintScenario(customers=2000, periods=6)
    >>> a = simulate(base, replications=20, seed=3)
    >>> b = simulate(base.replace(complaint_rate=0.3), replications=20, seed=3)
    >>> row = paired_difference(b, a).loc["silent"]
    >>> bool(row["diff_high"] < 0)
    True
    """
    for name, value in (("result", result), ("reference", reference)):
        check_type(
            name, value, ComplaintResult, "ComplaintResult", "the result of simulate()"
        )
    d = _check_discount(discount_rate)
    reps, other = result.draws.shape[0], reference.draws.shape[0]
    if reps != other:
        raise ParameterError(
            f"result has {reps:,} replications and reference {other:,}: a paired "
            "difference needs the same number; pass two results simulated with the "
            "same replications and seed."
        )
    frame = result.per_replication(d)
    diff = frame - reference.per_replication(d)
    mean = diff.mean()
    half = half_width(diff.std(ddof=1), reps)
    return pd.DataFrame(
        {
            "value": frame.mean(),
            "difference": mean,
            "diff_low": mean - half,
            "diff_high": mean + half,
        }
    )
