"""Multi-criteria ranking (多准则决策): weighted sum, TOPSIS and AHP weights."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmkit.errors import DataError, ParameterError

__all__ = [
    "RANDOM_INDEX",
    "AHPResult",
    "ahp_weights",
    "normalise",
    "rank_channels",
    "topsis",
    "weighted_sum",
]

#: Saaty's random consistency index RI(n), n = 1 … 10 (Saaty 1980, Table 1.7).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}


def _matrix(matrix: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    frame = (
        matrix
        if isinstance(matrix, pd.DataFrame)
        else pd.DataFrame(np.asarray(matrix, dtype=float))
    )
    try:
        frame = frame.astype(float)
    except (TypeError, ValueError) as exc:
        raise DataError(
            "the decision matrix must be numeric (use to_scores first)."
        ) from exc
    if frame.empty:
        raise DataError("the decision matrix is empty.")
    if not np.isfinite(frame.to_numpy()).all():
        raise DataError("the decision matrix has NaN or infinite entries.")
    return frame


def _weights(
    weights: Sequence[float] | Mapping[str, float] | np.ndarray, columns: pd.Index
) -> np.ndarray:
    if isinstance(weights, Mapping):
        missing = [c for c in columns if c not in weights]
        extra = [k for k in weights if k not in columns]
        if missing or extra:
            raise ParameterError(
                f"weights must name every criterion {list(columns)}; "
                f"missing {missing}, unknown {extra}."
            )
        w = np.array([weights[c] for c in columns], dtype=float)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.size != len(columns):
            raise ParameterError(
                f"{w.size} weights for {len(columns)} criteria {list(columns)}."
            )
    if not np.isfinite(w).all() or (w < 0).any():
        raise ParameterError(f"weights must be finite and >= 0, got {w.tolist()}.")
    if w.sum() <= 0:
        raise ParameterError("weights sum to 0; give at least one positive weight.")
    return w / w.sum()


def _benefit(
    benefit: Sequence[bool] | Mapping[str, bool] | None, columns: pd.Index
) -> np.ndarray:
    if benefit is None:
        return np.ones(len(columns), bool)
    if isinstance(benefit, Mapping):
        missing = [c for c in columns if c not in benefit]
        if missing:
            raise ParameterError(f"benefit does not say the direction of {missing}.")
        return np.array([bool(benefit[c]) for c in columns])
    b = np.asarray(benefit, dtype=bool).ravel()
    if b.size != len(columns):
        raise ParameterError(f"{b.size} benefit flags for {len(columns)} criteria.")
    return b


def normalise(
    matrix: pd.DataFrame, benefit: np.ndarray, method: str = "max"
) -> pd.DataFrame:
    """Scale every criterion so that larger is better and the scales are comparable.

    ``"max"`` (default): benefit ``x / max``, cost ``min / x``; ``"minmax"``: benefit
    ``(x − min)/(max − min)``, cost ``(max − x)/(max − min)`` (a constant column becomes
    1); ``"sum"``: benefit ``x / Σx``, cost ``(1/x) / Σ(1/x)``; ``"vector"``: benefit
    ``x / ‖x‖``, cost ``1 − x / ‖x‖`` (pymcdm's default for its weighted sum).
    """
    x = matrix.to_numpy(dtype=float)
    if method in {"max", "sum"} and (x <= 0).any():
        raise DataError(f"'{method}' normalisation needs positive values.")
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        col = x[:, j]
        if method == "max":
            out[:, j] = col / col.max() if benefit[j] else col.min() / col
        elif method == "minmax":
            span = col.max() - col.min()
            if span == 0:
                out[:, j] = 1.0
            else:
                out[:, j] = (
                    (col - col.min()) / span if benefit[j] else (col.max() - col) / span
                )
        elif method == "sum":
            out[:, j] = col / col.sum() if benefit[j] else (1 / col) / np.sum(1 / col)
        elif method == "vector":
            norm = np.linalg.norm(col)
            if norm == 0:
                raise DataError("a criterion is zero for every alternative.")
            out[:, j] = col / norm if benefit[j] else 1 - col / norm
        else:
            raise ParameterError(
                "normalisation must be 'max', 'minmax', 'sum' or 'vector', not "
                f"{method!r}."
            )
    return pd.DataFrame(out, index=matrix.index, columns=matrix.columns)


def weighted_sum(
    matrix: pd.DataFrame | np.ndarray,
    weights: Sequence[float] | Mapping[str, float],
    benefit: Sequence[bool] | Mapping[str, bool] | None = None,
    *,
    normalization: str = "max",
) -> pd.Series:
    """Simple additive weighting: the weighted sum of normalised criteria.

    Weights are rescaled to sum to 1. See :func:`normalise` for the scalings.

    References
    ----------
    C.-L. Hwang and K. Yoon (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, §3.3 (simple additive weighting).

    Examples
    --------
    >>> m = pd.DataFrame({"price": [10, 20], "quality": [3, 5]}, index=["a", "b"])
    >>> weighted_sum(m, [0.5, 0.5], {"price": False, "quality": True}).round(3).tolist()
    [0.8, 0.75]
    """
    frame = _matrix(matrix)
    w = _weights(weights, frame.columns)
    b = _benefit(benefit, frame.columns)
    scaled = normalise(frame, b, normalization)
    return pd.Series(scaled.to_numpy() @ w, index=frame.index, name="score")


def topsis(
    matrix: pd.DataFrame | np.ndarray,
    weights: Sequence[float] | Mapping[str, float],
    benefit: Sequence[bool] | Mapping[str, bool] | None = None,
) -> pd.Series:
    """TOPSIS closeness to the ideal alternative (Hwang & Yoon 1981).

    Steps: vector-normalise each criterion (``x / ‖x‖``), multiply by the weights, take
    the ideal (best value of each criterion) and anti-ideal (worst), and score each
    alternative by ``d⁻ / (d⁺ + d⁻)`` with Euclidean distances ``d⁺`` to the ideal and
    ``d⁻`` to the anti-ideal. Alternatives identical on every criterion score 0.5.

    References
    ----------
    Hwang and Yoon (1981), op. cit., §3.3.4.

    Examples
    --------
    >>> m = pd.DataFrame({"price": [10, 20, 15], "quality": [3, 5, 4]},
    ...                  index=list("abc"))
    >>> topsis(m, [0.5, 0.5], {"price": False, "quality": True}).round(3).tolist()
    [0.5, 0.5, 0.5]
    """
    frame = _matrix(matrix)
    w = _weights(weights, frame.columns)
    b = _benefit(benefit, frame.columns)
    x = frame.to_numpy(dtype=float)
    norms = np.linalg.norm(x, axis=0)
    if (norms == 0).any():
        raise DataError("a criterion is zero for every alternative.")
    v = x / norms * w
    ideal = np.where(b, v.max(axis=0), v.min(axis=0))
    anti = np.where(b, v.min(axis=0), v.max(axis=0))
    d_plus = np.linalg.norm(v - ideal, axis=1)
    d_minus = np.linalg.norm(v - anti, axis=1)
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(total > 0, d_minus / total, 0.5)
    return pd.Series(c, index=frame.index, name="score")


@dataclass(frozen=True)
class AHPResult:
    """Weights from a pairwise comparison matrix, with Saaty's consistency check."""

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        """CR ≤ 0.1, Saaty's rule of thumb."""
        return self.consistency_ratio <= 0.1


def ahp_weights(
    pairwise: pd.DataFrame | np.ndarray,
    *,
    on_inconsistency: str = "warn",
    threshold: float = 0.1,
) -> AHPResult:
    """Criterion weights from pairwise comparisons (the analytic hierarchy process).

    ``pairwise[i, j]`` says how much more important criterion i is than j (Saaty's 1–9
    scale); the matrix must be positive with ``a_ji = 1 / a_ij`` and ones on the
    diagonal (write 1/3, not 0.33). The weights are the principal eigenvector,
    normalised to sum 1; ``CI = (λmax − n)/(n − 1)`` and ``CR = CI / RI(n)`` with
    Saaty's random index.

    Parameters
    ----------
    on_inconsistency : {"warn", "raise", "ignore"}
        What to do when CR exceeds ``threshold`` (default 0.1).

    References
    ----------
    T. L. Saaty (1980), *The Analytic Hierarchy Process*, McGraw-Hill (eigenvector
    method, consistency index and the random index table).

    Examples
    --------
    >>> p = [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]]
    >>> r = ahp_weights(p)
    >>> r.weights.round(3).tolist(), round(r.consistency_ratio, 3)
    ([0.637, 0.258, 0.105], 0.033)
    """
    if on_inconsistency not in {"warn", "raise", "ignore"}:
        raise ParameterError("on_inconsistency must be 'warn', 'raise' or 'ignore'.")
    frame = (
        pairwise
        if isinstance(pairwise, pd.DataFrame)
        else pd.DataFrame(np.asarray(pairwise, dtype=float))
    )
    a = frame.to_numpy(dtype=float)
    n = a.shape[0]
    if a.ndim != 2 or a.shape != (n, n) or n < 1:
        raise DataError(f"the pairwise matrix must be square, got shape {a.shape}.")
    if n > max(RANDOM_INDEX):
        raise ParameterError(
            f"{n} criteria: Saaty's random index table covers up to "
            f"{max(RANDOM_INDEX)}."
        )
    if not np.isfinite(a).all() or (a <= 0).any():
        raise DataError(
            "pairwise comparisons must be positive numbers (Saaty's 1–9 scale)."
        )
    if not np.allclose(np.diag(a), 1.0):
        raise DataError(
            "the diagonal must be 1 (each criterion is as important as itself)."
        )
    if not np.allclose(a * a.T, 1.0, rtol=1e-6, atol=0):
        i, j = np.unravel_index(np.argmax(np.abs(a * a.T - 1)), a.shape)
        raise DataError(
            f"the matrix is not reciprocal: a[{i},{j}] = {a[i, j]:g} but a[{j},{i}] = "
            f"{a[j, i]:g}; enter a[{j},{i}] = 1/{a[i, j]:g} exactly (fractions, not "
            "rounded decimals)."
        )
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    w = np.abs(vectors[:, k].real)
    w = w / w.sum()
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    if cr > threshold:
        message = (
            f"consistency ratio {cr:.3f} > {threshold}: the comparisons contradict "
            "each "
            "other; revisit the largest judgements."
        )
        if on_inconsistency == "raise":
            raise DataError(message)
        if on_inconsistency == "warn":
            warnings.warn(message, UserWarning, stacklevel=2)
    index = frame.columns if isinstance(pairwise, pd.DataFrame) else pd.RangeIndex(n)
    return AHPResult(pd.Series(w, index=index, name="weight"), lam, ci, cr)


def rank_channels(
    matrix: pd.DataFrame,
    weights: Sequence[float] | Mapping[str, float],
    benefit: Sequence[bool] | Mapping[str, bool] | None = None,
    *,
    method: str = "weighted_sum",
    normalization: str = "max",
) -> pd.DataFrame:
    """Score and rank alternatives; ties share the average rank.

    Returns
    -------
    pandas.DataFrame
        ``channel``, ``score``, ``rank`` (1 = best; ties averaged) and ``method``,
        sorted by rank.

    Examples
    --------
    >>> from crmkit.channels import BENEFIT, course_channels, to_scores
    >>> m = to_scores(course_channels())
    >>> rank_channels(m, [1, 1, 1, 1], BENEFIT)["channel"].tolist()[:2]
    ['e-mail', 'website']
    """
    if method == "weighted_sum":
        score = weighted_sum(matrix, weights, benefit, normalization=normalization)
    elif method == "topsis":
        score = topsis(matrix, weights, benefit)
    else:
        raise ParameterError(
            f"method must be 'weighted_sum' or 'topsis', not {method!r}."
        )
    ranks = stats.rankdata(-np.round(score.to_numpy(), 12), method="average")
    out = pd.DataFrame(
        {
            "channel": score.index,
            "score": score.to_numpy(),
            "rank": ranks,
            "method": method,
        }
    )
    return out.sort_values(["rank", "channel"], kind="stable").reset_index(drop=True)
