"""The synthetic data sets and the seeded generator calls that make them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

__all__ = ["GENERATORS"]

#: file name in datasets/ -> zero-argument function returning the table to write.
GENERATORS: dict[str, Callable[[], pd.DataFrame]] = {}
