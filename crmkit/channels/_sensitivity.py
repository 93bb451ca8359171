"""How robust is a ranking? Winning shares over all weightings, and the smallest change
of weights that changes the winner."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from crmkit._replication import check_rng
from crmkit._validate import check_choice, check_count, check_work, show
from crmkit.channels._course import BENEFIT, MAPPINGS, to_scores
from crmkit.channels._mcdm import (
    METHODS,
    NORMALISATIONS,
    _benefit,
    _matrix,
    _rescaled,
    _weights,
    _zero_column,
    normalise,
    rank_channels,
)
from crmkit.errors import DataError, ParameterError

__all__ = ["SensitivityResult", "mapping_sensitivity", "weight_sensitivity"]


@dataclass(frozen=True)
class SensitivityResult:
    """What :func:`weight_sensitivity` returns.

    Attributes
    ----------
    win_share : pandas.Series
        Share of random weightings (uniform on the simplex) under which each alternative
        ranks first (ties split).
    base_winner : str
        The winner at ``base_weights`` ("a = b" when alternatives tie; the ranking
        cannot separate identical alternatives).
    smallest_change : float
        Total weight that must move between criteria (half the L1 distance) to make
        another alternative win; for TOPSIS the smallest change seen among the samples.
    challenger : str
        The alternative that wins after that change.
    exact : bool
        Whether ``smallest_change`` is exact (weighted sum, by linear programming) or a
        sampled upper bound (TOPSIS).
    """

    win_share: pd.Series
    base_winner: str
    smallest_change: float
    challenger: str
    exact: bool


def _scores_for(
    weights: np.ndarray,
    x: pd.DataFrame,
    b: np.ndarray,
    method: str,
    scaled: np.ndarray | None,
) -> np.ndarray:
    if method == "weighted_sum":
        return scaled @ weights.T
    return _topsis_many(x.to_numpy(dtype=float), weights, b)


def _topsis_many(x: np.ndarray, weights: np.ndarray, b: np.ndarray) -> np.ndarray:
    """:func:`topsis` for many weight vectors at once (alternatives × draws).

    With non-negative weights the weighted ideal is the weight times the normalised
    ideal, so ``d⁺² = Σ_j w_j² (r_ij − r⁺_j)²`` is one matrix product for all draws
    (likewise ``d⁻``); equal to looping over :func:`topsis` (tested).
    """
    x = _rescaled(x)
    norms = np.linalg.norm(x, axis=0)
    if (norms == 0).any():
        raise DataError(
            f"criterion {int(np.argmax(norms == 0))} is zero for every alternative, so "
            "it cannot tell them apart; drop that criterion."
        )
    r = x / norms
    best = np.where(b, r.max(axis=0), r.min(axis=0))
    worst = np.where(b, r.min(axis=0), r.max(axis=0))
    w2 = (weights / weights.sum(axis=1, keepdims=True)) ** 2
    d_plus = np.sqrt(((r - best) ** 2) @ w2.T)
    d_minus = np.sqrt(((r - worst) ** 2) @ w2.T)
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_minus / total, 0.5)


def weight_sensitivity(
    matrix: pd.DataFrame,
    benefit: Sequence[bool] | Mapping[str, bool] | None = None,
    *,
    base_weights: Sequence[float] | Mapping[str, float] | None = None,
    method: str = "weighted_sum",
    normalization: str = "max",
    samples: int = 20_000,
    seed: int | np.random.Generator | None = 0,
) -> SensitivityResult:
    """Which alternative wins across all weightings, and how fragile the base winner is.

    Weight vectors are drawn uniformly from the simplex (Dirichlet(1, …, 1)), seeded.
    For the weighted sum the score is linear in the weights, so the smallest change that
    lets a challenger catch up is found exactly by a linear programme (scipy
    ``linprog``): minimise ½‖w − w₀‖₁ subject to w ≥ 0, Σw = 1 and score_challenger(w) ≥
    score_winner(w).

    ``matrix``, ``benefit`` and ``base_weights`` (default: equal weights) as for
    :func:`~crmkit.channels.weighted_sum`; ``samples`` a whole number >= 100. With a
    single alternative (or when no weighting lets another alternative win)
    ``smallest_change`` is ``inf`` and ``challenger`` is "".

    Examples
    --------
    >>> from crmkit.channels import course_channels, to_scores
    >>> r = weight_sensitivity(to_scores(course_channels()), BENEFIT, samples=2000)
    >>> r.base_winner, round(float(r.win_share.sum()), 6)
    ('e-mail = website', 1.0)
    """
    method = check_choice("method", method, METHODS)
    normalization = check_choice("normalization", normalization, NORMALISATIONS)
    n = check_count("samples", samples, minimum=100)
    rng = check_rng(seed)
    x = _matrix(matrix)
    b = _benefit(benefit, x.columns)
    k = len(x.columns)
    w0 = _weights(np.ones(k) if base_weights is None else base_weights, x.columns)
    check_work(
        "samples",
        float(n) * (k + 3 * len(x)),
        fix=f"pass fewer samples (samples = {n:,}; 20,000 is plenty)",
    )
    scaled = (
        normalise(x, b, normalization).to_numpy() if method == "weighted_sum" else None
    )
    if method == "topsis" and ((x == 0).all(axis=0)).any():
        raise _zero_column(x, int(np.argmax((x == 0).all(axis=0))), "matrix")
    draws = rng.dirichlet(np.ones(k), size=n)
    scores = _scores_for(draws, x, b, method, scaled)  # alternatives × draws
    best = scores.max(axis=0)
    winners = np.isclose(scores, best, rtol=0, atol=1e-12)
    share = (winners / winners.sum(axis=0)).sum(axis=1) / n
    win_share = pd.Series(share, index=x.index, name="win_share").sort_values(
        ascending=False
    )
    base = _scores_for(w0[None, :], x, b, method, scaled)[:, 0]
    tied = np.flatnonzero(np.isclose(base, base.max(), rtol=0, atol=1e-12))
    winner_name = " = ".join(str(x.index[t]) for t in tied)
    margin = 1e-9
    if method == "weighted_sum":
        best_change, rival = np.inf, ""
        for j in range(len(x)):
            if j in tied:
                continue
            # variables [w (k), u (k)]; minimise Σu with u ≥ |w − w0| and the challenger
            # strictly ahead of every base winner: (s_t − s_j)·w ≤ −margin
            c = np.r_[np.zeros(k), np.ones(k)]
            beat = np.vstack([np.r_[scaled[t] - scaled[j], np.zeros(k)] for t in tied])
            a_ub = np.vstack(
                [np.c_[np.eye(k), -np.eye(k)], np.c_[-np.eye(k), -np.eye(k)], beat]
            )
            b_ub = np.r_[w0, -w0, np.full(len(tied), -margin)]
            res = optimize.linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=np.r_[np.ones(k), np.zeros(k)][None, :],
                b_eq=[1.0],
                bounds=[(0, None)] * (2 * k),
                method="highs",
            )
            if res.status == 0 and res.fun / 2 < best_change:
                best_change, rival = res.fun / 2, str(x.index[j])
        exact = True
    else:
        leader = np.argmax(scores, axis=0)
        others = ~np.isin(leader, tied)
        dist = np.abs(draws - w0).sum(axis=1) / 2
        if others.any():
            pick = int(np.argmin(np.where(others, dist, np.inf)))
            best_change, rival = float(dist[pick]), str(x.index[int(leader[pick])])
        else:
            best_change, rival = np.inf, ""
        exact = False
    return SensitivityResult(win_share, winner_name, float(best_change), rival, exact)


def mapping_sensitivity(
    table: pd.DataFrame,
    weights: Sequence[float] | Mapping[str, float],
    *,
    method: str = "weighted_sum",
    mappings: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Ranks of every channel under each ordinal-to-number mapping in :data:`MAPPINGS`.

    ``table`` as for :func:`~crmkit.channels.to_scores`, ``weights`` one number >= 0
    per criterion; ``mappings`` distinct names in :data:`MAPPINGS` (default: all).

    Examples
    --------
    >>> from crmkit.channels import course_channels
    >>> mapping_sensitivity(course_channels(), [1, 1, 1, 1]).columns.tolist()
    ['default', 'equal_steps', 'doubling']
    """
    method = check_choice("method", method, METHODS)
    if mappings is None:
        names = list(MAPPINGS)
    else:
        if isinstance(mappings, str | bytes) or not isinstance(mappings, Sequence):
            raise ParameterError(
                f"mappings = {show(mappings)} is not a list of mapping names; pass "
                f"e.g. {list(MAPPINGS)[:2]}."
            )
        names = [
            check_choice(f"mappings[{i}]", m, MAPPINGS) for i, m in enumerate(mappings)
        ]
        if not names:
            raise ParameterError(
                f"mappings is empty; pass at least one of {list(MAPPINGS)} (or None "
                "for all)."
            )
        if len(set(names)) != len(names):
            raise ParameterError(
                f"mappings = {show(mappings)} names a mapping twice; pass each once."
            )
    out = {}
    for name in names:
        ranked = rank_channels(to_scores(table, name), weights, BENEFIT, method=method)
        out[name] = ranked.set_index("channel")["rank"]
    return pd.DataFrame(out)
