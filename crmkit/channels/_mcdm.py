"""Multi-criteria ranking (多准则决策): weighted sum, TOPSIS and AHP weights."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import (
    check_array,
    check_bool,
    check_choice,
    check_nonnegative,
    check_numeric_frame,
    show,
)
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

NORMALISATIONS = ("max", "minmax", "sum", "vector")
METHODS = ("weighted_sum", "topsis")


def _table(matrix: object, name: str, rows: str = "alternative") -> pd.DataFrame:
    """A DataFrame view of ``matrix`` (a DataFrame or a 2-d array-like), unchecked."""
    if isinstance(matrix, pd.DataFrame):
        return matrix
    if isinstance(matrix, str | bytes | Mapping) or matrix is None:
        raise DataError(
            f"{name} = {show(matrix)} is a {type(matrix).__name__}, not a table; pass "
            f"a DataFrame (one row per {rows}, one column per criterion), e.g. "
            "to_scores(course_channels())."
        )
    try:
        arr = np.asarray(matrix)
    except ValueError:
        raise DataError(
            f"{name} = {show(matrix)} has rows of different lengths, so it is not a "
            f"square or rectangular table (its shape is undefined); pass one row per "
            f"{rows}, each with one number per criterion."
        ) from None
    if arr.ndim != 2:
        raise DataError(
            f"{name} has shape {arr.shape}, not a 2-d table; pass one row per "
            f"{rows} and one column per criterion."
        )
    return pd.DataFrame(arr)


def _matrix(matrix: pd.DataFrame | np.ndarray, name: str = "matrix") -> pd.DataFrame:
    """A new float DataFrame of the decision matrix after checking every entry."""
    frame = _table(matrix, name)
    return check_numeric_frame(
        frame,
        what=name,
        item="criterion",
        items="criteria",
        example="to_scores(course_channels())",
    )


def _rescaled(x: np.ndarray) -> np.ndarray:
    """Each column divided by its largest magnitude when that is extreme (> 1e100 or
    < 1e-100), so squares and sums neither overflow nor vanish. Every normalisation
    here is unchanged by the scale of a column."""
    top = np.abs(x).max(axis=0)
    extreme = (top > 1e100) | ((top < 1e-100) & (top > 0))
    if not extreme.any():
        return x
    return x / np.where(extreme, top, 1.0)


def _weights(
    weights: Sequence[float] | Mapping[str, float] | np.ndarray, columns: pd.Index
) -> np.ndarray:
    if isinstance(weights, Mapping):
        missing = [c for c in columns if c not in weights]
        extra = [k for k in weights if k not in columns]
        if missing or extra:
            raise ParameterError(
                f"weights must name every criterion {list(columns)}; "
                f"missing {missing}, unknown {extra}: pass one weight per criterion."
            )
        w = [check_nonnegative(f"weights[{c!r}]", weights[c]) for c in columns]
    else:
        if (
            isinstance(weights, str | bytes)
            or weights is None
            or not isinstance(weights, Iterable)
        ):
            raise ParameterError(
                f"weights = {show(weights)} is not a list of numbers; pass one weight "
                f"per criterion {list(columns)}, e.g. {[1] * len(columns)}."
            )
        items = list(weights.ravel() if isinstance(weights, np.ndarray) else weights)
        if len(items) != len(columns):
            raise ParameterError(
                f"weights = {show(weights)} gives {len(items)} weights for "
                f"{len(columns)} criteria {list(columns)}; pass one weight per "
                "criterion."
            )
        w = [check_nonnegative(f"weights[{i}]", v) for i, v in enumerate(items)]
    arr = np.array(w, dtype=float)
    if arr.max() <= 0:
        raise ParameterError(
            f"weights = {show(weights)} sum to 0; give at least one positive weight."
        )
    arr = arr / arr.max()  # no overflow in the sum, whatever the scale
    return arr / arr.sum()


def _benefit(
    benefit: Sequence[bool] | Mapping[str, bool] | None, columns: pd.Index
) -> np.ndarray:
    if benefit is None:
        return np.ones(len(columns), bool)
    if isinstance(benefit, Mapping):
        missing = [c for c in columns if c not in benefit]
        if missing:
            raise ParameterError(
                f"benefit does not say the direction of {missing}; add True (more is "
                "better) or False (less is better) for each, e.g. BENEFIT."
            )
        return np.array([check_bool(f"benefit[{c!r}]", benefit[c]) for c in columns])
    if isinstance(benefit, str | bytes) or not isinstance(benefit, Iterable):
        raise ParameterError(
            f"benefit = {show(benefit)} is not a list or mapping of True/False; pass "
            "one bool per criterion, e.g. {'cost': False, 'speed': True} (see "
            "BENEFIT)."
        )
    items = list(benefit.ravel() if isinstance(benefit, np.ndarray) else benefit)
    if len(items) != len(columns):
        raise ParameterError(
            f"benefit = {show(benefit)} gives {len(items)} flags for {len(columns)} "
            f"criteria {list(columns)}; pass one True/False per criterion."
        )
    return np.array([check_bool(f"benefit[{i}]", b) for i, b in enumerate(items)])


def _zero_column(frame: pd.DataFrame, j: int, name: str) -> DataError:
    return DataError(
        f"{name}[{frame.columns[j]!r}] is zero for every alternative, so it cannot "
        "tell them apart; drop that criterion."
    )


def normalise(
    matrix: pd.DataFrame, benefit: np.ndarray, method: str = "max"
) -> pd.DataFrame:
    """Scale every criterion so that larger is better and the scales are comparable.

    ``"max"`` (default): benefit ``x / max``, cost ``min / x``; ``"minmax"``: benefit
    ``(x − min)/(max − min)``, cost ``(max − x)/(max − min)`` (a constant column becomes
    1); ``"sum"``: benefit ``x / Σx``, cost ``(1/x) / Σ(1/x)``; ``"vector"``: benefit
    ``x / ‖x‖``, cost ``1 − x / ‖x‖`` (pymcdm's default for its weighted sum).

    ``matrix`` holds finite numbers (one row per alternative, each index label once);
    ``"max"`` and ``"sum"`` need them positive. ``benefit`` gives one real bool per
    criterion (a list, array or ``{criterion: bool}``); the strings "True"/"False" are
    refused. Columns of extreme magnitude are rescaled first (the result does not
    depend on the scale), so nothing overflows.
    """
    method = check_choice("method", method, NORMALISATIONS)
    frame = _matrix(matrix)
    b = _benefit(benefit, frame.columns)
    x = _rescaled(frame.to_numpy(dtype=float))
    if method in {"max", "sum"} and (x <= 0).any():
        i, j = (int(v[0]) for v in np.nonzero(x <= 0))
        raise DataError(
            f"'{method}' normalisation needs positive values, but "
            f"matrix[{frame.columns[j]!r}] is {frame.iloc[i, j]:g} for "
            f"{frame.index[i]!r}; use 'minmax' or 'vector' normalisation, or shift "
            "the column."
        )
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        col = x[:, j]
        if method == "max":
            out[:, j] = col / col.max() if b[j] else col.min() / col
        elif method == "minmax":
            span = col.max() - col.min()
            if span == 0:
                out[:, j] = 1.0
            else:
                out[:, j] = (
                    (col - col.min()) / span if b[j] else (col.max() - col) / span
                )
        elif method == "sum":
            out[:, j] = col / col.sum() if b[j] else (1 / col) / np.sum(1 / col)
        else:
            norm = np.linalg.norm(col)
            if norm == 0:
                raise _zero_column(frame, j, "matrix")
            out[:, j] = col / norm if b[j] else 1 - col / norm
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def weighted_sum(
    matrix: pd.DataFrame | np.ndarray,
    weights: Sequence[float] | Mapping[str, float],
    benefit: Sequence[bool] | Mapping[str, bool] | None = None,
    *,
    normalization: str = "max",
) -> pd.Series:
    """Simple additive weighting: the weighted sum of normalised criteria.

    Weights are rescaled to sum to 1. See :func:`normalise` for the scalings.

    ``matrix`` is a DataFrame (or 2-d array) of finite numbers, one row per
    alternative (each index label once); ``weights`` one number >= 0 per criterion (a
    list or ``{criterion: weight}``), not all 0; ``benefit`` one real bool per
    criterion (default: all benefits). A single alternative scores 1.

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
    normalization = check_choice("normalization", normalization, NORMALISATIONS)
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
    ``d⁻`` to the anti-ideal. Alternatives identical on every criterion score 0.5 (so
    does a single alternative). Inputs as for :func:`weighted_sum`.

    References
    ----------
    C.-L. Hwang and K. Yoon (1981), *Multiple Attribute Decision Making: Methods and
    Applications*, Springer, §3.3.4 (TOPSIS).

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
    x = _rescaled(frame.to_numpy(dtype=float))
    norms = np.linalg.norm(x, axis=0)
    if (norms == 0).any():
        raise _zero_column(frame, int(np.argmax(norms == 0)), "matrix")
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
    pairwise : DataFrame or 2-d array
        n × n positive finite numbers in [1e-100, 1e100], 1 <= n <= 10 (a
        DataFrame's rows and columns name the same criteria in the same order).
    on_inconsistency : {"warn", "raise", "ignore"}
        What to do when CR exceeds ``threshold`` (default 0.1).
    threshold : float, default 0.1
        A finite number >= 0.

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
    on_inconsistency = check_choice(
        "on_inconsistency", on_inconsistency, ["warn", "raise", "ignore"]
    )
    threshold = check_nonnegative("threshold", threshold)
    frame = _table(pairwise, "pairwise", "criterion")
    n = frame.shape[0]
    if frame.shape != (n, n) or n < 1:
        raise DataError(
            f"the pairwise matrix must be square (n × n, n >= 1), got shape "
            f"{frame.shape}; pass one row and one column per criterion."
        )
    if isinstance(pairwise, pd.DataFrame):
        if not frame.columns.is_unique:
            raise DataError(
                "pairwise names a criterion twice in its columns; rename or drop one "
                "so that each criterion appears once."
            )
        if not isinstance(frame.index, pd.RangeIndex) and not frame.index.equals(
            frame.columns
        ):
            raise DataError(
                f"pairwise rows {list(frame.index)} and columns {list(frame.columns)} "
                "must list the same criteria in the same order; put the rows in the "
                "order of the columns, e.g. pairwise.loc[pairwise.columns, "
                "pairwise.columns]."
            )
    if n > max(RANDOM_INDEX):
        raise ParameterError(
            f"pairwise compares {n} criteria, but Saaty's random index table covers "
            f"up to {max(RANDOM_INDEX)}; use at most {max(RANDOM_INDEX)} criteria "
            "(group related ones)."
        )
    a = np.column_stack(
        [
            check_array(f"pairwise[{c!r}]", frame.iloc[:, j])
            for j, c in enumerate(frame.columns)
        ]
    )
    if (a <= 0).any():
        i, j = (int(v[0]) for v in np.nonzero(a <= 0))
        raise DataError(
            f"pairwise comparisons must be positive numbers (Saaty's 1–9 scale), but "
            f"a[{i},{j}] = {a[i, j]:g}; write how many times more important row {i} "
            f"is than column {j}, e.g. 3 or 1/3."
        )
    extreme = (a > 1e100) | (a < 1e-100)
    if extreme.any():
        i, j = (int(v[0]) for v in np.nonzero(extreme))
        raise DataError(
            f"pairwise comparison a[{i},{j}] = {a[i, j]:g} is outside [1e-100, 1e100], "
            "the range in which the eigenvector is computed accurately; use Saaty's "
            "1–9 scale."
        )
    if not np.allclose(np.diag(a), 1.0):
        i = int(np.argmax(~np.isclose(np.diag(a), 1.0)))
        raise DataError(
            f"the diagonal must be 1 (each criterion is as important as itself), but "
            f"a[{i},{i}] = {a[i, i]:g}; set the diagonal to 1."
        )
    with np.errstate(over="ignore", under="ignore"):
        product = a * a.T
    if not np.allclose(product, 1.0, rtol=1e-6, atol=0):
        i, j = np.unravel_index(np.argmax(np.abs(product - 1)), a.shape)
        raise DataError(
            f"the matrix is not reciprocal: a[{i},{j}] = {a[i, j]:g} but a[{j},{i}] = "
            f"{a[j, i]:g}; set a[{j},{i}] = 1/{a[i, j]:g} exactly (write fractions "
            "such as 1/3, not rounded decimals)."
        )
    with np.errstate(all="ignore"):
        values, vectors = np.linalg.eig(a)
        k = int(np.argmax(values.real))
        lam = float(values[k].real)
        w = np.abs(vectors[:, k].real)
        w = w / w.sum()
    if not (np.isfinite(w).all() and np.isfinite(lam)):
        raise DataError(
            f"the pairwise comparisons are too extreme (largest {a.max():g}) for the "
            "eigenvector method; use Saaty's 1–9 scale."
        )
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    if cr > threshold:
        message = (
            f"consistency ratio {cr:.3f} > {threshold}: the comparisons contradict "
            "each other; check and revise the largest judgements (or pass "
            "on_inconsistency='ignore')."
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

    Scores equal to 12 decimals are ties; tied alternatives are listed by name (as
    text). Inputs as for :func:`weighted_sum`; ``method`` is "weighted_sum" or
    "topsis".

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
    method = check_choice("method", method, METHODS)
    normalization = check_choice("normalization", normalization, NORMALISATIONS)
    if method == "weighted_sum":
        score = weighted_sum(matrix, weights, benefit, normalization=normalization)
    else:
        score = topsis(matrix, weights, benefit)
    ranks = stats.rankdata(-np.round(score.to_numpy(), 12), method="average")
    out = pd.DataFrame(
        {
            "channel": score.index,
            "score": score.to_numpy(),
            "rank": ranks,
            "method": method,
        }
    )
    # ties in rank are listed by the channel's name as text, so that names of mixed
    # types (1 and "phone") still sort
    order = np.lexsort((out["channel"].map(str).to_numpy(), ranks))
    return out.iloc[order].reset_index(drop=True)
