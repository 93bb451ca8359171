"""Where the shipped data sets live: inside the installed package.

The data files and their cards are package data of ``crmkit.datasets`` (the folder
``crmkit/datasets/data``) and are found through :mod:`importlib.resources`, so the
loaders work the same from a clone, an editable install, a wheel or an sdist. The
top-level ``datasets/`` folder of the repository is the students' copy to browse; a
test keeps it byte-identical to the packaged one.
"""

from __future__ import annotations

import atexit
import os
from contextlib import ExitStack
from importlib import resources
from pathlib import Path

from crmkit.errors import DataError

__all__ = ["data_dir", "data_file", "shared_data_dir"]

_PACKAGE = "crmkit.datasets"
_FOLDER = "data"
_EXTRACTED = ExitStack()  # holds extracted copies when crmkit runs from a zip file
atexit.register(_EXTRACTED.close)


def data_dir() -> Path:
    """Return the folder that holds the shipped data sets and their cards.

    ``CRMKIT_DATA_DIR`` overrides it; otherwise it is the package data folder
    ``crmkit/datasets/data`` of the installed crmkit (found with
    :mod:`importlib.resources`; extracted to a temporary folder if crmkit is imported
    from a zip file).

    Examples
    --------
    >>> (data_dir() / "glossary.csv").is_file()
    True
    """
    env = os.environ.get("CRMKIT_DATA_DIR")
    if env:
        path = Path(env)
        if not path.is_dir():
            raise DataError(
                f"CRMKIT_DATA_DIR = {env!r} is not a folder; unset it to use the data "
                "shipped with crmkit, or point it at a folder of data files."
            )
        return path
    folder = resources.files(_PACKAGE).joinpath(_FOLDER)
    if isinstance(folder, Path):
        path = folder
    else:  # a zip import: extract once for this process
        path = _EXTRACTED.enter_context(resources.as_file(folder))
    if not path.is_dir():
        raise DataError(
            f"crmkit's data folder {path} is missing from this installation; "
            "reinstall crmkit (pip install --force-reinstall crmkit)."
        )
    return path


def data_file(name: str) -> Path:
    """Return the path of a shipped data file, with a clear error when it is missing.

    Examples
    --------
    >>> data_file("glossary.csv").name
    'glossary.csv'
    """
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise DataError(
            f"name = {name!r} is not a data file name; pass a file name such as "
            "'glossary.csv' (see data_dir() for the list)."
        )
    path = data_dir() / name
    if not path.is_file():
        have = ", ".join(sorted(p.name for p in data_dir().iterdir() if p.is_file()))
        raise DataError(
            f"name = {name!r}: no such data file in {data_dir()}; choose one of: "
            f"{have}."
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
