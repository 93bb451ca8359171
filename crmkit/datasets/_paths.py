"""Where the shipped data sets live."""

from __future__ import annotations

import os
from pathlib import Path

from crmkit.errors import DataError

__all__ = ["data_dir", "data_file", "shared_data_dir"]


def data_dir() -> Path:
    """Return the kit's ``datasets/`` folder.

    ``CRMKIT_DATA_DIR`` overrides it; otherwise it is the ``datasets`` folder beside the
    ``crmkit`` package (the layout of a clone installed with ``pip install -e .``).

    Examples
    --------
    >>> data_dir().name
    'datasets'
    """
    env = os.environ.get("CRMKIT_DATA_DIR")
    path = Path(env) if env else Path(__file__).resolve().parents[2] / "datasets"
    if not path.is_dir():
        raise DataError(
            f"the data folder {path} does not exist. Install crmkit from a clone with "
            "`pip install -e .` (as `make lab` does) or set CRMKIT_DATA_DIR to the "
            "folder "
            "that holds the kit's datasets."
        )
    return path


def data_file(name: str) -> Path:
    """Return the path of a shipped data file, with a clear error when it is missing."""
    path = data_dir() / name
    if not path.exists():
        raise DataError(
            f"{path} is missing. Synthetic data sets are rebuilt with "
            "`python -m crmkit.datasets build` (or `make data`)."
        )
    return path


def shared_data_dir() -> Path | None:
    """Return the real data folder ``../shared/data`` beside the clone, or None.

    ``CRMKIT_SHARED_DATA`` overrides the location. The real data sets (other than CDNOW)
    are never copied into the kit; tests and notebooks that use them skip cleanly when
    this returns None.
    """
    env = os.environ.get("CRMKIT_SHARED_DATA")
    path = Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"
    return path if path.is_dir() else None
