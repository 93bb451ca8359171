"""Parameter grids: a dict of lists (full factorial) or a DataFrame of rows."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from crmkit.errors import ParameterError

__all__ = ["expand_grid", "grid_fingerprint"]

#: column names the sweep uses itself
RESERVED = ("point", "replication")


def expand_grid(grid: Mapping[str, Sequence[Any]] | pd.DataFrame) -> pd.DataFrame:
    """The grid as a DataFrame with one row per grid point, in a fixed order.

    A mapping of lists becomes the full factorial, the first key varying slowest (as
    :func:`itertools.product`); a DataFrame is taken as it is (rows are the points).
    The caller's object is never changed.

    Examples
    --------
    >>> expand_grid({"servers": [1, 2], "load": [0.5, 0.9]})
       servers  load
    0        1   0.5
    1        1   0.9
    2        2   0.5
    3        2   0.9
    """
    if isinstance(grid, pd.DataFrame):
        frame = grid.reset_index(drop=True).copy()
    elif isinstance(grid, Mapping):
        if not grid:
            raise ParameterError("grid is empty; give at least one parameter.")
        values = {}
        for name, options in grid.items():
            if isinstance(options, str | bytes) or not isinstance(options, Sequence):
                raise ParameterError(
                    f"grid[{name!r}] must be a list of values, got {options!r}; wrap a "
                    "single value in a list."
                )
            if len(options) == 0:
                raise ParameterError(f"grid[{name!r}] is empty.")
            values[name] = list(options)
        frame = pd.DataFrame(
            list(itertools.product(*values.values())), columns=list(values)
        )
    else:
        raise ParameterError(
            f"grid must be a dict of lists or a DataFrame, not {type(grid).__name__}."
        )
    if frame.empty:
        raise ParameterError("grid has no rows.")
    names = [str(c) for c in frame.columns]
    clash = [c for c in names if c in RESERVED]
    if clash:
        raise ParameterError(f"grid columns {clash} are reserved; rename them.")
    if len(set(names)) != len(names):
        raise ParameterError(f"grid has repeated column names: {names}.")
    frame.columns = names
    return frame


def grid_fingerprint(frame: pd.DataFrame) -> str:
    """A hash of the grid's columns and values (to recognise a stored sweep)."""
    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    for row in frame.itertuples(index=False):
        plain = tuple(v.item() if hasattr(v, "item") else v for v in row)
        digest.update(repr(plain).encode())
    return digest.hexdigest()[:16]
