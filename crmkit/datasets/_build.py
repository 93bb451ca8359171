"""Regenerate the synthetic data sets shipped in ``datasets/`` (``python -m
crmkit.datasets build``).

Each entry names the file, the generator call that makes it (with its seed), and so
gives the one command that rebuilds it byte for byte. The data cards quote the same
calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

__all__ = ["build"]


def _generators() -> dict[str, Callable[[], pd.DataFrame]]:
    # Imported here so that ``import crmkit.datasets`` stays light.
    from crmkit.datasets import _registry

    return dict(_registry.GENERATORS)


def build(
    folder: str | Path | None = None, *, names: list[str] | None = None
) -> list[Path]:
    """Write every synthetic data set (or those in ``names``) as CSV into ``folder``.

    Returns the paths written.
    """
    from crmkit.datasets._paths import data_dir

    target = Path(folder) if folder is not None else data_dir()
    written = []
    for name, make in _generators().items():
        if names is not None and name not in names:
            continue
        path = target / name
        make().to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written
