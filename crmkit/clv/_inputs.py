"""Checks shared by the CLV models."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from crmkit.errors import DataError


def as_arrays(**columns: ArrayLike) -> dict[str, np.ndarray]:
    """Numeric 1-d arrays of equal length, finite and >= 0, named in errors."""
    out = {}
    length = None
    for name, values in columns.items():
        arr = np.asarray(values, dtype=float).ravel()
        if arr.size == 0:
            raise DataError(f"{name} is empty.")
        if not np.isfinite(arr).all():
            raise DataError(f"{name} has NaN or infinite entries.")
        if (arr < 0).any():
            raise DataError(f"{name} has negative entries.")
        if length is not None and arr.size != length:
            raise DataError(f"{name} has {arr.size} entries, the others {length}.")
        length = arr.size
        out[name] = arr
    return out


def check_btyd(x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
    """frequency whole, recency ≤ T, recency 0 exactly when frequency is 0."""
    if not np.allclose(x, np.round(x)):
        raise DataError("frequency must count repeat purchases (whole numbers).")
    if (tx > T + 1e-9).any():
        raise DataError(
            "recency (last − first purchase) cannot exceed T (as_of − first purchase)."
        )
    if ((x == 0) & (tx > 0)).any():
        raise DataError("a customer with frequency 0 must have recency 0.")
