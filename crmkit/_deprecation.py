"""Old names that still work: every public name moved by a restructuring, in one table.

A moved name keeps working from its old module for at least one minor release, through
a module-level ``__getattr__`` (PEP 562) that warns with a ``DeprecationWarning`` naming
the new home and then returns the very same object. :data:`MOVED` is the only list of
such names; ``tests/test_public_api.py`` checks that each old name is the new object.

A module that lost names ends with::

    __getattr__ = moved_from(__name__)

Examples
--------
>>> import warnings
>>> MOVED[("crmkit.queues.perceived", "PerceivedWaitModel")]
'crmkit.waiting.PerceivedWaitModel'
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable

__all__ = ["MOVED", "moved_from"]

#: the names of waiting psychology, moved from the queue models to crmkit.waiting
_WAITING = (
    "ANNOUNCEMENT_ABANDONMENT",
    "PRINCIPLES",
    "PerceivedWaitModel",
    "WaitConditions",
    "announcement_patience_factor",
)

#: (old module, name) → new dotted path; the release that removes them is crmkit 1.0
MOVED: dict[tuple[str, str], str] = {
    # waiting psychology left the queue models (issue 14)
    **{("crmkit.queues.perceived", n): f"crmkit.waiting.{n}" for n in _WAITING},
    **{("crmkit.queues", n): f"crmkit.waiting.{n}" for n in _WAITING[2:]},
}


def moved_from(module: str) -> Callable[[str], object]:
    """A PEP 562 module ``__getattr__`` resolving ``module``'s moved names."""
    names = {old: new for (mod, old), new in MOVED.items() if mod == module}

    def __getattr__(name: str) -> object:
        target = names.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        warnings.warn(
            f"{module}.{name} has moved to {target}; import it from there (the old "
            "name will be removed in crmkit 1.0).",
            DeprecationWarning,
            stacklevel=2,
        )
        new_module, _, new_name = target.rpartition(".")
        return getattr(importlib.import_module(new_module), new_name)

    return __getattr__
