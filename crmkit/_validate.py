"""Argument checks shared by every public function (messages say what, the value, and
the fix).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from crmkit.errors import DataError, ParameterError

__all__ = [
    "check_columns",
    "check_count",
    "check_nonnegative",
    "check_positive",
    "check_probability",
    "check_rng",
]


def _as_float(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ParameterError(
            f"{name} must be a real number, got {value!r} ({type(value).__name__})."
        )
    x = float(value)
    if math.isnan(x):
        raise ParameterError(f"{name} is NaN; pass a number.")
    return x


def check_positive(name: str, value: object, *, allow_inf: bool = False) -> float:
    """Return ``value`` as a float after checking it is > 0 (finite unless allowed)."""
    x = _as_float(name, value)
    if math.isinf(x) and not (allow_inf and x > 0):
        raise ParameterError(
            f"{name} = {x} is infinite; pass a finite positive number."
        )
    if x <= 0:
        raise ParameterError(f"{name} = {x} must be positive (> 0).")
    return x


def check_nonnegative(name: str, value: object) -> float:
    """Return ``value`` as a float after checking it is finite and >= 0."""
    x = _as_float(name, value)
    if math.isinf(x):
        raise ParameterError(f"{name} = {x} is infinite; pass a finite number >= 0.")
    if x < 0:
        raise ParameterError(f"{name} = {x} must not be negative.")
    return x


def check_probability(
    name: str, value: object, *, open_low: bool = False, open_high: bool = False
) -> float:
    """Return ``value`` as a float after checking it lies in [0, 1] (ends open as
    asked).
    """
    x = _as_float(name, value)
    lo = "(" if open_low else "["
    hi = ")" if open_high else "]"
    bad = (
        x < 0
        or x > 1
        or (open_low and x == 0)
        or (open_high and x == 1)
        or math.isinf(x)
    )
    if bad:
        raise ParameterError(f"{name} = {x} must lie in {lo}0, 1{hi}.")
    return x


def check_count(name: str, value: object, *, minimum: int = 0) -> int:
    """Return ``value`` as an int after checking it is a whole number >= ``minimum``."""
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be a whole number, got {value!r}.")
    if isinstance(value, numbers.Integral) or (
        isinstance(value, numbers.Real) and float(value).is_integer()
    ):
        n = int(value)
    else:
        raise ParameterError(
            f"{name} must be a whole number, got {value!r}; round it first if you meant"
            " an approximate count."
        )
    if n < minimum:
        raise ParameterError(f"{name} = {n} must be at least {minimum}.")
    return n


def check_rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    """Turn ``seed`` (an int, a Generator or None) into a
    :class:`numpy.random.Generator`.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (
        isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
    ):
        if seed is not None and int(seed) < 0:
            raise ParameterError(f"seed = {seed} must be a non-negative integer.")
        return np.random.default_rng(seed)
    raise ParameterError(
        f"seed must be an int, a numpy.random.Generator or None, got {seed!r}."
    )


def check_columns(frame: object, columns: Iterable[str], *, what: str = "data") -> None:
    """Raise :class:`DataError` naming every column of ``columns`` missing from
    ``frame``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise DataError(
            f"{what} must be a pandas DataFrame, got {type(frame).__name__}."
        )
    wanted: Sequence[str] = list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        have = ", ".join(map(str, frame.columns[:12]))
        raise DataError(
            f"{what} is missing column(s) {missing}; it has: {have}. Rename your "
            "columns or pass the column names as keyword arguments."
        )
