"""Parameter grids: a dict of lists (full factorial) or a DataFrame of rows."""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmkit._validate import check_work, show
from crmkit.errors import ParameterError

__all__ = ["expand_grid", "grid_fingerprint"]

#: column names the sweep uses itself
RESERVED = ("point", "replication")
#: the most values (grid points × parameters) a full factorial may hold, e.g.
#: 1,000,000 points of 10 parameters; checked before anything is built
MAX_GRID_VALUES = 10_000_000


def expand_grid(grid: Mapping[str, Sequence[Any]] | pd.DataFrame) -> pd.DataFrame:
    """The grid as a DataFrame with one row per grid point, in a fixed order.

    A mapping of lists becomes the full factorial, the first key varying slowest (as
    :func:`itertools.product`); a DataFrame is taken as it is (rows are the points).
    The caller's object is never changed.

    Parameters
    ----------
    grid : dict of lists or DataFrame
        Parameter name → a list (tuple, range, 1-d array or Series) of its values.
        The full factorial may hold at most 10,000,000 values (grid points ×
        parameters, e.g. 1,000,000 points of 10 parameters); a larger one is refused
        before it is built. Names are text; ``point`` and ``replication`` are taken.

    Raises
    ------
    ParameterError
        Not a dict or DataFrame; a parameter with no values, or a single value not in
        a list; a reserved or repeated name; too many grid points.

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
        if grid.shape[1] == 0:
            raise ParameterError(
                "grid is a DataFrame without columns; add one column per parameter."
            )
        if grid.shape[0] == 0:
            raise ParameterError(
                f"grid is a DataFrame with columns {list(grid.columns)[:10]} but no "
                "rows; add one row per grid point."
            )
        frame = grid.reset_index(drop=True).copy()
    elif isinstance(grid, Mapping):
        if not grid:
            raise ParameterError(
                "grid = {} is empty; give at least one parameter, e.g. "
                "{'load': [0.5, 0.8]}."
            )
        values = {name: _options(name, options) for name, options in grid.items()}
        sizes = [len(v) for v in values.values()]
        points = math.prod(sizes)
        if points * len(sizes) > MAX_GRID_VALUES:
            check_work(
                "grid",
                float(points * len(sizes)) if points < 10**300 else math.inf,
                limit=MAX_GRID_VALUES,
                fix=f"reduce the number of parameters ({len(sizes)}) or of values "
                f"per parameter: their full factorial has {_count(points)} grid "
                "points, "
                f"and at most {MAX_GRID_VALUES:,} values (points × parameters) are "
                "allowed; or pass a DataFrame with just the points you need",
            )
        frame = pd.DataFrame(
            list(itertools.product(*values.values())), columns=list(values)
        )
    else:
        raise ParameterError(
            f"grid = {show(grid)} is a {type(grid).__name__}; pass a dict of lists "
            "(e.g. {'load': [0.5, 0.8]}) or a DataFrame with one row per point."
        )
    names = [_name(c) for c in frame.columns]
    clash = [c for c in names if c in RESERVED]
    if clash:
        raise ParameterError(
            f"grid has the parameter name(s) {clash}, which are reserved (the sweep "
            "uses them itself); rename them."
        )
    if len(set(names)) != len(names):
        raise ParameterError(
            f"grid has repeated parameter names: {names}; rename the copies."
        )
    frame.columns = names
    return frame


def _count(n: int) -> str:
    return f"{n:,}" if n < 10**15 else f"about 10^{len(str(n)) - 1}"


def _name(column: object) -> str:
    if isinstance(column, str):
        if not column.strip():
            raise ParameterError(
                f"grid has the parameter name {column!r}; use a non-empty name."
            )
        return column
    if isinstance(column, bool) or not isinstance(column, int | np.integer):
        raise ParameterError(
            f"grid has the parameter name {show(column)}, a "
            f"{type(column).__name__}; use text names such as 'load'."
        )
    return str(column)


def _options(name: object, options: object) -> list[Any]:
    """One parameter's values as a new list."""
    if isinstance(options, np.ndarray | pd.Series | pd.Index):
        if np.ndim(options) != 1:
            raise ParameterError(
                f"grid[{show(name)}] is a {np.ndim(options)}-d array; pass a list or "
                "1-d array of values."
            )
        options = options.tolist()
    if isinstance(options, set | frozenset):
        raise ParameterError(
            f"grid[{show(name)}] = {show(options)} is a set, which has no order; pass "
            "a list, e.g. sorted(values)."
        )
    if isinstance(options, str | bytes) or not isinstance(options, Sequence):
        raise ParameterError(
            f"grid[{show(name)}] = {show(options)} is not a list of values; pass a "
            f"list, wrapping a single value in one, e.g. [{show(options)}]."
        )
    if len(options) == 0:
        raise ParameterError(
            f"grid[{show(name)}] = {show(options)} is empty; give at least one value."
        )
    return list(options)


def grid_fingerprint(frame: pd.DataFrame) -> str:
    """A hash of the grid's columns and values (to recognise a stored sweep)."""
    digest = hashlib.sha256()
    digest.update(repr(list(frame.columns)).encode())
    for row in frame.itertuples(index=False):
        plain = tuple(v.item() if hasattr(v, "item") else v for v in row)
        digest.update(repr(plain).encode())
    return digest.hexdigest()[:16]
