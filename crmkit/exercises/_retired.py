"""Names that left :mod:`crmkit.exercises` for the repository's tools.

Writing the kit's student notebooks walks the repository's folders
(``exercises/solutions/`` → ``exercises/``), so it is a repository tool now,
``tools/build_exercises.py``, which is not installed with the package. A name that
moved there cannot be imported from its new home, so the old name keeps working as a
thin function that runs the tool of the clone it is given, with a
``DeprecationWarning`` (until crmkit 1.0).
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path
from types import ModuleType

from crmkit._validate import show
from crmkit.errors import ParameterError

__all__ = ["build_all", "warn_retired"]

TOOL = Path("tools") / "build_exercises.py"


def _tool(root: object) -> ModuleType:
    """The builder ``tools/build_exercises.py`` of the clone at ``root``."""
    if isinstance(root, bytes) or not isinstance(root, str | os.PathLike):
        raise ParameterError(
            f"root = {show(root)} is a {type(root).__name__}, not a folder; pass the "
            "kit's top folder (a clone of crmkit) as text or a Path, e.g. root='.'."
        )
    path = Path(root) / TOOL
    if not path.is_file():
        raise ParameterError(
            f"root = {show(str(root))} holds no {TOOL.as_posix()}; pass the top folder "
            "of a crmkit clone (student notebooks are built only there)."
        )
    spec = importlib.util.spec_from_file_location("crmkit_build_exercises", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_all(root: str | Path = ".", *, check: bool = False) -> list[Path]:
    """Deprecated: run ``python tools/build_exercises.py [--check]`` in the clone.

    Writes (or with ``check=True`` only compares) every student notebook of the clone
    at ``root`` by calling that clone's ``tools/build_exercises.py``; returns the
    notebooks written, or out of date.
    """
    return _tool(root).build_all(root, check=check)


def warn_retired(module: str, name: str) -> None:
    """Warn that ``module.name`` (the builder) moved out of the package."""
    warnings.warn(
        f"{module}.{name} is deprecated: it walks the repository's folders, so it "
        f"moved to the repository tool {TOOL.as_posix()} (run python "
        f"{TOOL.as_posix()} [--check], or make exercises); the old name will be "
        "removed in crmkit 1.0.",
        DeprecationWarning,
        stacklevel=3,
    )
