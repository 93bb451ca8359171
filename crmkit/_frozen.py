"""Normalising the fields of a frozen dataclass in ``__post_init__``.

crmkit's models and results are frozen dataclasses (``@dataclass(frozen=True)``), so a
validated, converted value (``"servers"`` checked and made an ``int``, a list of rates
made a tuple) cannot be assigned with ``self.x = ...``. The one idiom the standard
library documents for this is ``object.__setattr__`` (Python documentation,
*dataclasses — Frozen instances*). Every ``__post_init__`` in crmkit writes its checked
values through :func:`set_fields`, once, so the idiom has one home and one spelling.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Rate:
...     per_minute: float
...     def __post_init__(self) -> None:
...         set_fields(self, per_minute=float(self.per_minute))
>>> Rate(2).per_minute
2.0
"""

from __future__ import annotations

from typing import Any

__all__ = ["set_fields"]


def set_fields(obj: object, **values: Any) -> None:
    """Assign checked ``values`` to the fields of the frozen dataclass ``obj``.

    Only for ``__post_init__``: after it returns, the instance is as immutable as any
    other frozen dataclass.
    """
    for name, value in values.items():
        object.__setattr__(obj, name, value)
