"""Checks shared by the CLV models and generators: the same rules for fitting and
for predicting, for every discount rate and margin, and for the arguments every
generator takes.

Built on :func:`crmkit._validate.check_array`; every failure is a
:class:`~crmkit.errors.DataError` or :class:`~crmkit.errors.ParameterError` whose
message names the argument, shows the value and says how to fix it.

The rules for a customer summary (``frequency``, ``recency``, ``T``) are those of
Fader, Hardie & Lee (2005): frequency counts repeat purchases (a whole number), both
times are >= 0 and in one unit, recency cannot exceed T, and a customer without a
repeat purchase has recency 0.

Examples
--------
>>> x, tx, T = btyd_data([2, 0], [30.4, 0.0], [38.9, 38.9])
>>> x.tolist(), tx.tolist(), T.tolist()
([2.0, 0.0], [30.4, 0.0], [38.9, 38.9])
>>> btyd_data([2], [40.0], [38.9])
Traceback (most recent call last):
...
crmkit.errors.DataError: recency = 40 exceeds T = 38.9 at position 0 (1 customer in all); recency (last - first purchase) cannot be longer than T (end - first purchase): check that both come from the same dates and unit, e.g. use customer_summary.
"""  # noqa: E501

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

import numpy as np
from numpy.typing import ArrayLike

from crmkit._validate import (
    check_array,
    check_count,
    check_nonnegative,
    check_real,
    not_a_number,
    show,
)
from crmkit.errors import DataError, ParameterError

F = TypeVar("F", bound=Callable[..., object])

#: Largest count of repeat purchases accepted: more is a data error (and above 2**53
#: whole numbers are not even exact in floating point).
MAX_COUNT = 1e9
#: Largest time (recency, T, t) or amount accepted: larger values are taken as a
#: unit error (for instance nanoseconds passed as weeks).
MAX_VALUE = 1e15


def _same_length(arrays: Mapping[str, np.ndarray]) -> None:
    sizes = {name: arr.size for name, arr in arrays.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in sizes.items())
        raise DataError(
            f"the columns differ in length ({listed} entries); pass one entry per "
            "customer in each."
        )


#: A rule a row of data must keep: the mask of the rows that break it, what the
#: first of them holds (given its position) and how to fix it.
Rule = tuple[np.ndarray, Callable[[int], str], str]


def refuse_rows(rules: Sequence[Rule], noun: str = "row") -> None:
    """Raise a :class:`~crmkit.errors.DataError` for the first rule some row breaks,
    naming what its first such row holds, where it is (``at position 3 (2 rows in
    all)``) and the fix.

    Examples
    --------
    >>> x = np.array([1.0, -2.0, -3.0])
    >>> refuse_rows([(x < 0, lambda i: f"x = {x[i]:g}", "pass x >= 0")])
    Traceback (most recent call last):
    ...
    crmkit.errors.DataError: x = -2 at position 1 (2 rows in all); pass x >= 0.
    """
    for bad, says, fix in rules:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            n = int(bad.sum())
            where = f"at position {i} ({n} {noun}{'s' if n > 1 else ''} in all)"
            raise DataError(f"{says(i)} {where}; {fix}.")


def numbers_array(name: str, values: object, **bounds: object) -> np.ndarray:
    """:func:`~crmkit._validate.check_array`, after refusing what NumPy would convert
    silently or report by the wrong entry: a bool inside a list of numbers (``[2,
    True]`` becomes ``[2, 1]``), a string inside one (reported by its first entry,
    converted to text), nested lists, and containers that are not sequences (dicts,
    sets)."""
    if isinstance(values, Mapping | set | frozenset):
        raise DataError(
            f"{name} = {show(values)} is a {type(values).__name__}, not a sequence of "
            "numbers; pass a list, array or Series of numbers."
        )
    if isinstance(values, list | tuple):
        for i, v in enumerate(values):
            if not_a_number(v):
                raise DataError(
                    f"{name} holds {show(v)} at position {i}, not a number; pass "
                    "numbers only (convert the column first, e.g. pd.to_numeric)."
                )
            if np.ndim(v) > 0 or isinstance(v, Mapping):
                raise DataError(
                    f"{name} holds {show(v)} at position {i}, a container, not a "
                    "number; pass a flat list of numbers, one per customer."
                )
    return check_array(name, values, **bounds)


def counts(name: str, values: ArrayLike) -> np.ndarray:
    """Repeat-purchase counts: whole numbers in [0, 1e9]."""
    return numbers_array(name, values, low=0, high=MAX_COUNT, integer=True)


def times(name: str, values: ArrayLike) -> np.ndarray:
    """Times (recency, T): finite numbers in [0, 1e15]."""
    return numbers_array(name, values, low=0, high=MAX_VALUE)


def btyd_data(
    frequency: ArrayLike,
    recency: ArrayLike,
    T: ArrayLike,
    *,
    names: tuple[str, str, str] = ("frequency", "recency", "T"),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check a customer summary for the BG/NBD model; return float arrays x, t_x, T.

    Used by :meth:`BGNBD.fit` and by every prediction method, so that a prediction
    never accepts data the fit would refuse. ``names`` are used in the messages.
    """
    nx, ntx, nt = names
    x = counts(nx, frequency)
    tx = times(ntx, recency)
    t_obs = times(nt, T)
    _same_length({nx: x, ntx: tx, nt: t_obs})
    rules = (
        (
            tx > t_obs,
            lambda i: f"{ntx} = {tx[i]:g} exceeds {nt} = {t_obs[i]:g}",
            "recency (last - first purchase) cannot be longer than T (end - first "
            "purchase): check that both come from the same dates and unit, e.g. use "
            "customer_summary",
        ),
        (
            (x == 0) & (tx > 0),
            lambda i: f"{nx} = 0 but {ntx} = {tx[i]:g}",
            "a customer without repeat purchases has recency 0: check that frequency "
            "counts repeat purchases (purchase days minus one) and recency is last "
            "minus first purchase",
        ),
    )
    refuse_rows(rules, "customer")
    return x, tx, t_obs


def spend_data(
    frequency: ArrayLike,
    monetary_value: ArrayLike,
    *,
    names: tuple[str, str] = ("frequency", "monetary_value"),
) -> tuple[np.ndarray, np.ndarray]:
    """Check frequency and mean repeat spend for the Gamma-Gamma model.

    Repeat buyers (``frequency > 0``) must have a positive ``monetary_value``; for the
    others it is not used (``customer_summary`` sets it to 0).
    """
    nx, nz = names
    x = counts(nx, frequency)
    z = numbers_array(nz, monetary_value, low=0, high=MAX_VALUE)
    _same_length({nx: x, nz: z})
    free = (
        (x > 0) & (z <= 0),
        lambda i: f"{nz} = {z[i]:g} for a repeat buyer ({nx} = {x[i]:g})",
        "the Gamma-Gamma model needs a positive mean spend for every repeat buyer: "
        "drop those customers (e.g. summary[~((summary.frequency > 0) & "
        "(summary.monetary_value == 0))])",
    )
    refuse_rows([free], "customer")
    return x, z


def horizon(name: str, value: object) -> float:
    """A prediction horizon: a finite number of time units in [0, 1e15]."""
    return check_real(name, value, low=0, high=MAX_VALUE)


def horizons(name: str, value: object) -> np.ndarray | float:
    """A horizon, or an array of them (returned as a float or a float array)."""
    if np.ndim(value) == 0:
        return horizon(name, value)
    return numbers_array(name, value, low=0, high=MAX_VALUE)


def model_params(
    model: str, params: object, names: tuple[str, ...]
) -> dict[str, float]:
    """Check a parameter dict (hand-set or fitted): exactly ``names``, each a positive
    finite number below 1e15. Returns the values as floats."""
    if not isinstance(params, Mapping):
        raise ParameterError(
            f"{model}.params_ = {show(params)} is not a dict; pass a dict such as "
            + "{"
            + ", ".join(f"{n!r}: 1.0" for n in names)
            + "}, or fit the model first."
        )
    if not params:
        raise ParameterError(
            f"{model}.params_ is empty; fit the model first ({model}().fit(...)) or "
            "set params_."
        )
    missing = [n for n in names if n not in params]
    extra = [k for k in params if k not in names]
    if missing or extra:
        raise ParameterError(
            f"{model}.params_ = {show(dict(params), 90)} has "
            + (f"no {missing}" if missing else "")
            + (" and " if missing and extra else "")
            + (f"unknown key(s) {extra}" if extra else "")
            + f"; pass exactly the keys {list(names)}."
        )
    out = {}
    for n in names:
        value = check_real(
            f"{model}.params_[{n!r}]", params[n], low=0, low_open=True, high=MAX_VALUE
        )
        if value < 1e-300 or math.isnan(value):  # subnormal: logs would overflow
            raise ParameterError(
                f"{model}.params_[{n!r}] = {value:g} is too small; pass a positive "
                "number above 1e-300."
            )
        out[n] = value
    return out


#: Most customers a generator draws in one call (the memory of a teaching machine).
MAX_CUSTOMERS = 10**7


#: The first two arguments of every generator, as its docstring lists them in place
#: of ``{GENERATOR_ARGS}`` (see :func:`generator_doc`).
GENERATOR_ARGS = """n_customers : int
        Number of customers (1 to 10⁷).
    seed : int, numpy.random.Generator or None
        Random seed; None draws a fresh one (not reproducible)."""


def generator_doc(func: F) -> F:
    """Write :data:`GENERATOR_ARGS` into ``func``'s docstring."""
    func.__doc__ = func.__doc__.replace("{GENERATOR_ARGS}", GENERATOR_ARGS)
    return func


def generator_args(n_customers: object, **params: object) -> tuple[int, list[float]]:
    """The arguments every generator checks: ``n_customers`` (a whole number, 1 to
    10⁷) and the model's parameters (positive finite numbers up to 1e15), in the
    order given."""
    n = check_count("n_customers", n_customers, minimum=1, maximum=MAX_CUSTOMERS)
    values = [
        check_real(name, v, low=0, low_open=True, high=1e15)
        for name, v in params.items()
    ]
    return n, values


def check_discount_rate(
    value: object,
    *,
    finite: tuple[str, float] | None = None,
    infinite: str = "",
    example: str = "0.1",
) -> float:
    """A discount rate per period, as a share in [0, 1] (0.1 for 10 %; a value above
    1 is taken for a percentage and refused).

    Where the undiscounted sum is finite only when a shape parameter exceeds 1,
    ``finite`` gives its name and value: a rate of 0 is then refused when the
    parameter is at most 1, with ``infinite`` saying what is infinite (and why) and
    ``example`` a positive rate to pass instead.

    Examples
    --------
    >>> check_discount_rate(0.1)
    0.1
    >>> check_discount_rate(0, finite=("alpha", 0.7),
    ...                     infinite="the lifetime is infinite")
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: discount_rate = 0 with alpha = 0.7 <= 1: the lifetime is infinite; pass a positive discount_rate such as 0.1.
    """  # noqa: E501
    d = check_nonnegative("discount_rate", value)
    if d > 1:
        raise ParameterError(
            f"discount_rate = {d:g} is more than 100 % per period; pass a share "
            "(0.1 for 10 %), not a percentage."
        )
    if d == 0 and finite is not None and finite[1] <= 1:
        name, shape = finite
        raise ParameterError(
            f"discount_rate = 0 with {name} = {shape:g} <= 1: {infinite}; pass a "
            f"positive discount_rate such as {example}."
        )
    return d


def check_margin(value: object) -> float:
    """The value of one transaction (or period) in a CLV: a finite number within
    ±1e15 (negative for a loss)."""
    return check_real("margin", value, low=-1e15, high=1e15)
