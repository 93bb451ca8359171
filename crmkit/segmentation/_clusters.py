"""Needs-based clustering (需求聚类) with k-means, made reproducible and diagnosable."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.preprocessing import StandardScaler

from crmkit._replication import check_rng
from crmkit._validate import (
    check_bool,
    check_count,
    check_frame,
    check_numeric_frame,
    show,
)
from crmkit.errors import DataError, ParameterError

__all__ = [
    "ClusterResult",
    "cluster_diagnostics",
    "cluster_stability",
    "kmeans_segments",
]

_SILHOUETTE_SAMPLE = 5_000
#: more k-means starts than this buy nothing but time
_MAX_N_INIT = 1_000
#: larger magnitudes overflow when squared for the standard deviation
_MAX_MAGNITUDE = 1e150


def _prepare(
    features: pd.DataFrame, log: bool
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """The checked features (floats), their transform, and the standardised matrix."""
    raw = check_numeric_frame(
        features,
        what="features",
        item="feature",
        items="features",
        example="summary[['frequency', 'total_spend']]",
    )
    x = raw
    if log:
        for c in raw.columns:
            negative = raw[c].to_numpy() < 0
            if negative.any():
                pos = int(np.flatnonzero(negative)[0])
                raise DataError(
                    f"features[{c!r}] has {int(negative.sum())} negatives (first: "
                    f"{raw[c].iloc[pos]:g} at position {pos}), but the log transform "
                    "needs values >= 0; pass log=False or shift the column."
                )
        x = np.log1p(raw)
    top = np.abs(x.to_numpy()).max(axis=0)
    if (top > _MAX_MAGNITUDE).any():
        col = x.columns[int(np.argmax(top > _MAX_MAGNITUDE))]
        raise DataError(
            f"features[{col!r}] is too large to standardise (largest "
            f"{np.abs(raw[col]).max():g}; squares overflow above about 1e154); "
            "rescale the column (e.g. divide by 1e6) or pass log=True."
        )
    z = StandardScaler().fit_transform(x.to_numpy())
    return raw, x, z


def _sequence(name: str, values: object, example: str) -> list[object]:
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ParameterError(
            f"{name} = {show(values)} is not a sequence of whole numbers; pass e.g. "
            f"{example}."
        )
    items = list(values)
    if not items:
        raise ParameterError(f"{name} is empty; pass e.g. {example}.")
    return items


def _distinct(name: str, numbers: list[int]) -> None:
    seen: set[int] = set()
    for n in numbers:
        if n in seen:
            raise ParameterError(
                f"{name} lists {n} twice; pass each value once."
            )
        seen.add(n)


@dataclass(frozen=True)
class ClusterResult:
    """What :func:`kmeans_segments` returns.

    Attributes
    ----------
    labels : pandas.Series
        Segment 1 … k per customer; 1 is the most valuable segment.
    profile : pandas.DataFrame
        Per segment: ``size``, ``share`` and the mean of each original feature.
    inertia : float
        Within-cluster sum of squares (on the standardised scale).
    silhouette : float
        Mean silhouette (on a random sample of at most 5,000 customers); NaN in the
        rare case that the sample holds one segment only.
    """

    labels: pd.Series
    profile: pd.DataFrame
    inertia: float
    silhouette: float


def kmeans_segments(
    features: pd.DataFrame,
    k: int,
    *,
    seed: int | np.random.Generator | None = 0,
    value: str | None = None,
    log: bool = True,
    n_init: int = 10,
) -> ClusterResult:
    """Segment customers with k-means on log-transformed, standardised features.

    Skewed features (spend, purchase counts) are log-transformed (``log1p``) and each is
    standardised to mean 0 and sd 1, so that no feature dominates by its unit. k-means
    (scikit-learn, ``n_init`` starts, the best kept) then groups customers. Segments are
    renumbered by value, so the same data always give the same labels: segment 1 has the
    highest mean of ``value`` (default: the mean of all standardised features).

    Parameters
    ----------
    features : DataFrame
        One row per customer (the index must not repeat), numeric columns (e.g.
        ``frequency``, ``days_since_last``, ``total_spend``), each named once; never
        modified. NaN, infinity, text and True/False are refused (convert 0/1 flags
        with ``.astype(int)``).
    k : int
        Number of segments, 2 <= k < number of customers, and at most the number of
        distinct rows.
    seed : int or Generator, default 0
    value : str, optional
        The column whose mean orders the segments.
    log : bool, default True
        Apply ``log1p`` first (needs values >= 0).
    n_init : int, default 10
        k-means starts, 1 to 1,000.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = pd.DataFrame({"spend": np.r_[rng.gamma(2, 10, 50), rng.gamma(2, 200, 50)],
    ...                   "orders": np.r_[rng.poisson(1, 50), rng.poisson(8, 50)]})
    >>> res = kmeans_segments(f, 2, value="spend")
    >>> spend = res.profile["spend"]
    >>> res.profile["size"].tolist(), bool(spend.loc[1] > spend.loc[2])
    ([50, 50], True)
    """
    k = check_count("k", k, minimum=2)
    log = check_bool("log", log)
    n_init = check_count("n_init", n_init, minimum=1, maximum=_MAX_N_INIT)
    rng = check_rng(seed)
    raw, x, z = _prepare(features, log)
    if value is not None:
        check_frame(features, {"value": value}, what="features")
    if len(x) <= k:
        raise DataError(
            f"{len(x)} customers cannot form k = {k} segments; use fewer segments "
            f"(k < {len(x)}) or more customers."
        )
    distinct = len(pd.DataFrame(z).drop_duplicates())
    if distinct < k:
        raise DataError(
            f"features have only {distinct} distinct customer(s) (identical rows), "
            f"too few for k = {k} segments; use fewer segments or more varied "
            "features."
        )
    state = int(rng.integers(2**31 - 1))
    model = KMeans(n_clusters=k, n_init=n_init, random_state=state).fit(z)
    raw_labels = model.labels_
    score = raw[value].to_numpy() if value is not None else z.mean(axis=1)
    means = pd.Series(score).groupby(raw_labels).mean()
    ranking = {
        old: new for new, old in enumerate(means.sort_values(ascending=False).index, 1)
    }
    labels = pd.Series(
        np.vectorize(ranking.get)(raw_labels), index=features.index, name="segment"
    )
    sample = min(len(z), _SILHOUETTE_SAMPLE)
    try:
        sil = float(
            silhouette_score(z, raw_labels, sample_size=sample, random_state=state)
        )
    except ValueError:  # the random sample caught a single segment
        sil = float("nan")
    profile = raw.groupby(labels.to_numpy()).mean()
    profile.insert(
        0, "share", labels.value_counts(normalize=True).sort_index().to_numpy()
    )
    profile.insert(0, "size", labels.value_counts().sort_index().to_numpy())
    profile.index.name = "segment"
    return ClusterResult(labels, profile, float(model.inertia_), sil)


def cluster_diagnostics(
    features: pd.DataFrame,
    ks: Sequence[int] = range(2, 9),
    *,
    seed: int = 0,
    log: bool = True,
) -> pd.DataFrame:
    """Inertia and silhouette for each k, to choose the number of segments.

    Look for the "elbow" where inertia stops falling fast, and a high silhouette.
    ``ks`` are distinct whole numbers >= 2, each below the number of customers.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = pd.DataFrame({"a": np.r_[rng.normal(0, 1, 60), rng.normal(8, 1, 60)],
    ...                   "b": np.r_[rng.normal(0, 1, 60), rng.normal(8, 1, 60)]})
    >>> int(cluster_diagnostics(f, range(2, 5), log=False)["silhouette"].idxmax())
    2
    """
    items = _sequence("ks", ks, "range(2, 9)")
    chosen = [check_count(f"ks[{i}]", k, minimum=2) for i, k in enumerate(items)]
    _distinct("ks", chosen)
    check_frame(features, what="features")
    too_big = [k for k in chosen if k >= len(features)]
    if too_big:
        raise DataError(
            f"ks asks for k = {too_big[0]}, but {len(features)} customers cannot form "
            f"that many segments; pass ks below {len(features)}."
        )
    rows = []
    for k in chosen:
        res = kmeans_segments(features, k, seed=seed, log=log)
        rows.append({"k": k, "inertia": res.inertia, "silhouette": res.silhouette})
    return pd.DataFrame(rows).set_index("k")


def cluster_stability(
    features: pd.DataFrame,
    k: int,
    *,
    seeds: Sequence[int] = range(5),
    log: bool = True,
    n_init: int = 1,
) -> float:
    """Mean adjusted Rand index between segmentations from different seeds (1 = stable).

    With one start per seed (``n_init=1``) this shows how much the answer depends on
    where k-means starts; values near 1 mean the segments are a property of the data.
    ``seeds`` are at least two distinct whole numbers >= 0.
    """
    items = _sequence("seeds", seeds, "range(5)")
    chosen = [check_count(f"seeds[{i}]", s, minimum=0) for i, s in enumerate(items)]
    if len(chosen) < 2:
        raise ParameterError(
            f"seeds = {show(seeds)} has {len(chosen)} seed; pass at least two, e.g. "
            "range(5)."
        )
    _distinct("seeds", chosen)
    runs = [
        kmeans_segments(features, k, seed=s, log=log, n_init=n_init).labels
        for s in chosen
    ]
    scores = [
        adjusted_rand_score(a, b) for i, a in enumerate(runs) for b in runs[i + 1 :]
    ]
    return float(np.mean(scores))
