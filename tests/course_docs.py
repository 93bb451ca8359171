"""Helpers for the course-fact tests: the course documents (read from ``../shared``,
skipped when absent), the chapters' master cells, and order checks on text.

The course documents are never committed (see DEVELOPERS.md); a test that reads one calls
:func:`course_text`, which skips cleanly on a machine without them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO.parent / "shared" / "course"
MASTERS = REPO / "source" / "notebooks"

_FULL_WIDTH_COMMA = str.maketrans({"，": ","})


def course_text(path: Path) -> str:
    """The text of a course document, or a skip when the documents are not beside the
    repository."""
    if not path.exists():
        pytest.skip(f"the course documents are not beside the repository ({path})")
    return path.read_text(encoding="utf-8")


def compact(text: str) -> str:
    """``text`` without white space (the documents break lines inside phrases)."""
    return re.sub(r"\s+", "", text)


def plain(text: str) -> str:
    """``text`` without white space, full-width commas as the documents' ASCII ones."""
    return compact(text).translate(_FULL_WIDTH_COMMA)


def master_cell(notebook: str | Path, cell_id: str) -> str:
    """The source of the one cell ``cell_id`` of a master notebook (a name in
    ``source/notebooks`` or a path)."""
    path = notebook if isinstance(notebook, Path) else MASTERS / notebook
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = [c for c in nb["cells"] if c.get("id") == cell_id]
    assert len(found) == 1, f"{path.name} has {len(found)} cells with id {cell_id!r}"
    return "".join(found[0]["source"])


def in_order(text: str, items: Iterable[str], start: int = 0) -> bool:
    """Whether every item occurs in ``text``, each after the one before (from
    ``start``)."""
    at = start
    for item in items:
        at = text.find(item, at)
        if at < 0:
            return False
        at += len(item)
    return True
