"""Replications: their random streams and the statistics across them.

Every simulation in crmkit (queues, call-log replays, complaint handling, parameter
sweeps) runs independent replications and reports a mean with a Student-t interval.
This module is the one home of both halves, so that every part of the kit seeds and
summarises the same way.

**Random streams.** A seed becomes a :class:`numpy.random.Generator` through
:func:`check_rng`; ``n`` independent streams come from :func:`spawn_streams`
(``numpy.random.SeedSequence(seed).spawn(n)``, or ``Generator.spawn`` for a
Generator); the stream of one keyed run comes from :func:`keyed_stream`
(``SeedSequence(seed, spawn_key=key)``). Streams of different spawn keys are
independent in the sense of O'Neill's hash-based seeding: M. E. O'Neill (2014), *PCG:
A Family of Simple Fast Space-Efficient Statistically Good Algorithms for Random Number
Generation*, Harvey Mudd College HMC-CS-2014-0905, as implemented by NumPy's
``SeedSequence``.

**Replication statistics.** For ``n`` independent replications with mean
:math:`\\bar x` and sample standard deviation :math:`s`, the two-sided
``level`` interval is :math:`\\bar x \\pm t_{(1+\\text{level})/2,\\,n-1}\\, s /
\\sqrt{n}`, the quantile taken from :data:`scipy.stats.t`; with fewer than two
replications the half-width is NaN (undefined), never zero. Source: A. M. Law (2015),
*Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, section 9.4.1, eq. (9.1)
(the fixed-sample-size procedure for terminating simulations).

Examples
--------
>>> import numpy as np
>>> mean, half = mean_interval(np.array([1.0, 2.0, 3.0, 4.0]))
>>> round(float(mean), 3), round(float(half), 3)
(2.5, 2.054)
>>> [round(float(g.random()), 6) for g in spawn_streams(7, 2)] == [
...     round(float(g.random()), 6) for g in spawn_streams(7, 2)]
True
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import show
from crmkit.errors import ParameterError

__all__ = [
    "check_rng",
    "half_width",
    "interval_table",
    "keyed_stream",
    "mean_interval",
    "spawn_streams",
    "t_quantile",
]

Seed = int | np.random.Generator | None


# ---------------------------------------------------------------- random streams
def _check_seed(seed: object) -> int | None:
    """``seed`` as a non-negative int or None; anything else raises."""
    if seed is None:
        return None
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool | np.bool_):
        if int(seed) < 0:
            raise ParameterError(
                f"seed = {seed} must be a non-negative integer; pass e.g. seed=1."
            )
        return int(seed)
    raise ParameterError(
        f"seed = {show(seed)} must be an int, a numpy.random.Generator or None; pass "
        "e.g. seed=1."
    )


def check_rng(seed: Seed) -> np.random.Generator:
    """Turn ``seed`` (an int, a Generator or None) into a
    :class:`numpy.random.Generator`.

    A Generator is returned as it is (the caller's stream advances); an int gives
    ``numpy.random.default_rng(seed)``; None gives fresh OS entropy.

    Examples
    --------
    >>> float(check_rng(1).random()) == float(np.random.default_rng(1).random())
    True
    >>> check_rng(-1)
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: seed = -1 must be a non-negative integer; pass e.g. seed=1.
    """  # noqa: E501
    if isinstance(seed, np.random.Generator):
        return seed
    return np.random.default_rng(_check_seed(seed))


def spawn_streams(seed: Seed, n: int) -> list[np.random.Generator]:
    """``n`` independent random streams for ``n`` replications.

    An int or None seeds ``numpy.random.SeedSequence(seed).spawn(n)``; a Generator
    spawns ``n`` children (``Generator.spawn``), so the caller's own stream does not
    advance. Replication ``i`` always gets the same stream, however many replications
    run after it.

    Examples
    --------
    >>> a = [g.integers(100) for g in spawn_streams(3, 4)]
    >>> b = [g.integers(100) for g in spawn_streams(3, 2)]
    >>> a[:2] == b
    True
    """
    if isinstance(seed, np.random.Generator):
        return list(seed.spawn(n))
    children = np.random.SeedSequence(_check_seed(seed)).spawn(n)
    return [np.random.default_rng(s) for s in children]


def keyed_stream(seed: int, key: tuple[int, ...]) -> np.random.Generator:
    """The stream of one run named by ``key``: ``SeedSequence(seed, spawn_key=key)``.

    It depends only on the seed and the key, never on the order in which runs
    execute, so serial and distributed runs give identical numbers.

    Examples
    --------
    >>> keyed_stream(7, (3, 0)).random() == keyed_stream(7, (3, 0)).random()
    True
    """
    sequence = np.random.SeedSequence(entropy=_check_seed(seed), spawn_key=key)
    return np.random.default_rng(sequence)


# ------------------------------------------------------- replication statistics
def t_quantile(n: np.ndarray | int, level: float = 0.95) -> np.ndarray:
    """Student-t quantile :math:`t_{(1+\\text{level})/2,\\,n-1}` for ``n``
    replications (``n`` < 2 gives the quantile of one degree of freedom; callers mask
    it).

    Examples
    --------
    >>> round(float(t_quantile(10)), 4)
    2.2622
    """
    df = np.maximum(np.asarray(n, dtype=float) - 1.0, 1.0)
    return stats.t.ppf(0.5 + level / 2.0, df)


def half_width(
    sd: np.ndarray | pd.Series | float,
    n: np.ndarray | pd.Series | int,
    level: float = 0.95,
) -> np.ndarray | pd.Series | float:
    """Half-width :math:`t_{(1+\\text{level})/2,\\,n-1}\\, s/\\sqrt{n}` of the
    ``level`` interval for a mean of ``n`` replications with sample standard deviation
    ``sd``; NaN where ``n`` < 2.

    A pandas Series in gives a Series out (index kept).

    Examples
    --------
    >>> round(float(half_width(1.0, 4)), 4)
    1.5912
    >>> half_width(1.0, 1)
    nan
    """
    n_arr = np.asarray(n, dtype=float)
    half = np.where(
        n_arr > 1,
        t_quantile(n_arr, level) * np.asarray(sd, dtype=float) / np.sqrt(n_arr),
        np.nan,
    )
    if isinstance(sd, pd.Series):
        return pd.Series(half, index=sd.index)
    if isinstance(n, pd.Series):
        return pd.Series(half, index=n.index)
    return float(half) if half.ndim == 0 else half


def mean_interval(
    samples: np.ndarray, axis: int = 0, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Mean and interval half-width over ``axis`` (one replication per slice).

    Examples
    --------
    >>> m, h = mean_interval(np.array([[1.0, 10.0], [3.0, 10.0]]))
    >>> m.tolist(), round(float(h[0]), 3), float(h[1])
    ([2.0, 10.0], 12.706, 0.0)
    """
    x = np.asarray(samples, dtype=float)
    n = x.shape[axis]
    mean = x.mean(axis=axis)
    if n < 2:
        return mean, np.full(np.shape(mean), np.nan)
    return mean, np.asarray(half_width(x.std(axis=axis, ddof=1), n, level))


def interval_table(per_rep: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """One row per column of ``per_rep`` (one row per replication): ``estimate``,
    ``ci_low``, ``ci_high``, ``half_width`` and ``replications`` (NaN entries are
    not counted).

    Examples
    --------
    >>> t = interval_table(pd.DataFrame({"wait": [1.0, 2.0, 3.0, 4.0]}))
    >>> t.loc["wait", ["estimate", "replications"]].tolist()
    [2.5, 4.0]
    """
    n = per_rep.count()
    mean = per_rep.mean()
    half = half_width(per_rep.std(ddof=1), n, level)
    return pd.DataFrame(
        {
            "estimate": mean,
            "ci_low": mean - half,
            "ci_high": mean + half,
            "half_width": half,
            "replications": n,
        }
    )
