"""P(alive) and expected purchases over a (frequency, recency) grid at one customer
age T: the tables behind the heat maps of a BTYD model."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_count, check_real, check_work
from crmkit.clv._holdout import check_model
from crmkit.clv._inputs import MAX_VALUE

__all__ = ["alive_grid", "expected_grid"]

#: most cells a grid may have
MAX_CELLS = 10**6


def _cells(
    T: object, max_frequency: object, recency_points: object
) -> tuple[float, np.ndarray, np.ndarray]:
    """The checked age, the frequencies 0..max and the recencies 0..T."""
    age = check_real("T", T, low=0, low_open=True, high=MAX_VALUE)
    top = check_count("max_frequency", max_frequency, minimum=1, maximum=10**5)
    points = check_count("recency_points", recency_points, minimum=2, maximum=10**5)
    check_work(
        "max_frequency x recency_points",
        float(top + 1) * points,
        limit=MAX_CELLS,
        fix="use fewer frequencies or recency points",
    )
    return age, np.arange(top + 1, dtype=float), np.linspace(0.0, age, points)


def _grid(
    values_of, age: float, freqs: np.ndarray, recencies: np.ndarray, attrs: dict
) -> pd.DataFrame:
    """``values_of(x, t_x, T)`` on every (frequency, recency) cell; a customer without
    repeat purchases has recency 0, so the other cells of row 0 are NaN."""
    x = np.repeat(freqs[1:], recencies.size)
    tx = np.tile(recencies, freqs.size - 1)
    x = np.concatenate(([0.0], x))
    tx = np.concatenate(([0.0], tx))
    values = np.asarray(values_of(x, tx, np.full(x.size, age)), dtype=float)
    table = np.full((freqs.size, recencies.size), np.nan)
    table[0, 0] = values[0]
    table[1:] = values[1:].reshape(freqs.size - 1, recencies.size)
    out = pd.DataFrame(
        table,
        index=pd.Index(freqs.astype(np.int64), name="frequency"),
        columns=pd.Index(recencies, name="recency"),
    )
    out.attrs.update(attrs, T=age)
    return out


def alive_grid(
    model: object, T: float, *, max_frequency: int = 20, recency_points: int = 40
) -> pd.DataFrame:
    """P(alive | x, t_x, T) for x = 0 … ``max_frequency`` repeat purchases and
    ``recency_points`` recencies from 0 to ``T``, at customer age ``T``.

    Parameters
    ----------
    model : fitted BTYD model
        Any model with ``params_`` and ``prob_alive(frequency, recency, T)``
        (``BGNBD``, ``ParetoNBD``, ``MBGNBD``).
    T : float
        Age of the customers (time since the first purchase, > 0), in the model's
        time unit.
    max_frequency : int
        Largest number of repeat purchases (>= 1).
    recency_points : int
        Number of recencies, evenly spaced from 0 to ``T`` (>= 2).

    Returns
    -------
    pandas.DataFrame
        Index ``frequency``, columns ``recency``; row 0 has a value only at recency
        0 (without repeat purchases recency is 0), NaN elsewhere. ``attrs`` records
        ``quantity`` (``"prob_alive"``), ``model`` and ``T``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284
    (the BG/NBD); P(alive) for it: P. S. Fader, B. G. S. Hardie and K. L. Lee (2008),
    "Computing P(alive) using the BG/NBD model", note, brucehardie.com/notes/021.

    Examples
    --------
    >>> from crmkit.clv import BGNBD
    >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> grid = alive_grid(m, 39.0, max_frequency=3, recency_points=4)
    >>> grid.round(3)  # doctest: +NORMALIZE_WHITESPACE
    recency     0.0    13.0   26.0   39.0
    frequency
    0          1.000    NaN    NaN    NaN
    1          0.151  0.496  0.663  0.754
    2          0.025  0.358  0.660  0.812
    3          0.003  0.224  0.638  0.848
    """
    label = check_model(model, ("prob_alive",))
    age, freqs, recencies = _cells(T, max_frequency, recency_points)
    attrs = {"quantity": "prob_alive", "model": label}
    return _grid(model.prob_alive, age, freqs, recencies, attrs)  # type: ignore[attr-defined]


def expected_grid(
    model: object,
    t: float,
    T: float,
    *,
    max_frequency: int = 20,
    recency_points: int = 40,
) -> pd.DataFrame:
    """E[Y(t) | x, t_x, T], the purchases expected in the next ``t``, on the same grid
    as :func:`alive_grid`.

    Parameters
    ----------
    model : fitted BTYD model
        Any model with ``params_`` and ``expected_purchases(t, frequency, recency,
        T)``.
    t : float
        Length of the future period (> 0), in the model's time unit.
    T, max_frequency, recency_points
        As in :func:`alive_grid`.

    Returns
    -------
    pandas.DataFrame
        As :func:`alive_grid`; ``attrs`` records ``quantity``
        (``"expected_purchases"``), ``model``, ``t`` and ``T``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284,
    eq. 10 and Figure 4 (expected purchases over recency and frequency).

    Examples
    --------
    >>> from crmkit.clv import BGNBD
    >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> expected_grid(m, 52.0, 39.0, max_frequency=2, recency_points=3).round(3)
    recency     0.0    19.5   39.0
    frequency
    0          0.251    NaN    NaN
    1          0.185  0.725  0.921
    2          0.053  1.137  1.737
    """
    label = check_model(model, ("expected_purchases",))
    horizon = check_real("t", t, low=0, low_open=True, high=MAX_VALUE)
    age, freqs, recencies = _cells(T, max_frequency, recency_points)

    def values_of(x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray) -> np.ndarray:
        return model.expected_purchases(horizon, x, tx, t_obs)  # type: ignore[attr-defined]

    attrs = {"quantity": "expected_purchases", "model": label, "t": horizon}
    return _grid(values_of, age, freqs, recencies, attrs)
