"""The public API stays: every name crmkit exported before the restructuring (issue 14)
still imports, either where it was or, for a moved name, through a
``DeprecationWarning`` that names its new home."""

from __future__ import annotations

import importlib
import warnings
from pathlib import Path

import pytest

NAMES = [
    tuple(line.split(":"))
    for line in (Path(__file__).with_name("public_api.txt")).read_text().splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("module", "name"), NAMES, ids=[":".join(n) for n in NAMES])
def test_public_name_still_imports(module: str, name: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mod = importlib.import_module(module)
        obj = getattr(mod, name)
    assert obj is not None or name.isupper()
    for w in caught:
        # a moved name may warn, but only with a DeprecationWarning saying where to go
        assert issubclass(w.category, DeprecationWarning), w
        assert "crmkit." in str(w.message), w.message


def test_deprecated_names_point_to_the_same_object() -> None:
    """An old name is the new object, not a copy that could drift."""
    from crmkit._deprecation import MOVED

    for (old_module, name), new_path in MOVED.items():
        new_module, _, new_name = new_path.rpartition(".")
        with pytest.warns(DeprecationWarning, match=new_path.replace(".", r"\.")):
            old = getattr(importlib.import_module(old_module), name)
        assert old is getattr(importlib.import_module(new_module), new_name)
