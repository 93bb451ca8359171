"""Helpers shared by the benchmark scripts: timing and table printing."""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from typing import Any


def best_time(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Best wall time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def optional(module: str) -> Any | None:
    """Import a peer library, or say how to install it and return None."""
    try:
        return importlib.import_module(module)
    except ImportError:
        print(f"({module} is not installed: `make bench` installs the bench extra)")
        return None


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain-text table (no dependency beyond the standard library)."""
    cells = [[str(r.get(c, "")) for c in columns] for r in rows]
    widths = [
        max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)
    ]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)) for row in cells
    ]
    return "\n".join([line, rule, *body])
