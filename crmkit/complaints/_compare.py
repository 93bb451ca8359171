"""Compare complaint strategies with common random numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import check_count, check_work, show
from crmkit.complaints._scenario import OUTCOMES, ComplaintScenario
from crmkit.complaints._simulate import (
    MAX_AGENT_CUSTOMER_PERIODS,
    _check_discount,
    simulate,
)
from crmkit.errors import ParameterError

__all__ = ["compare_strategies"]

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
    if not isinstance(base, ComplaintScenario):
        raise ParameterError(
            f"base = {show(base)} is a {type(base).__name__}, not a "
            "ComplaintScenario; pass e.g. ComplaintScenario(customers=1000)."
        )
    if not isinstance(strategies, Mapping):
        raise ParameterError(
            f"strategies = {show(strategies)} is a {type(strategies).__name__}, not a "
            "mapping; pass a dict such as {'hotline': {'complaint_rate': 0.25}}."
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
        name: simulate(s, replications=reps, seed=seed).per_replication(d)
        for name, s in variants.items()
    }
    tq = stats.t.ppf(0.975, reps - 1)
    rows = []
    for name, frame in results.items():
        diff = frame - results["base"]
        half = tq * diff.std(ddof=1) / np.sqrt(reps)
        for measure in frame.columns:
            rows.append(
                {
                    "strategy": name,
                    "measure": measure,
                    "value": frame[measure].mean(),
                    "difference": diff[measure].mean(),
                    "diff_low": diff[measure].mean() - half[measure],
                    "diff_high": diff[measure].mean() + half[measure],
                }
            )
    return pd.DataFrame(rows)
