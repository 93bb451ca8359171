"""Explorer callbacks: how long each app takes to answer a change, figures included.

Every control of every app in :data:`crmkit.widgets.APPS` is driven in Python the way a
user would move it (sliders through values across their range, checkboxes toggled,
menus through their options); each change runs the app's callback, which recomputes
the numbers and renders the figure to PNG. Target: 95th percentile under 150 ms on
the course machine (2 cores). Each app is driven twice (the first pass pays for cold
caches); the build of each app is timed separately.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import ipywidgets as widgets
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import table

from crmkit.plotting import set_style
from crmkit.widgets import APPS

TARGET_MS = 150.0


def values_for(control: widgets.Widget) -> list:
    """The values a user would move this control through, ending where it started."""
    start = control.value
    if isinstance(control, widgets.Checkbox | widgets.ToggleButton):
        return [not start, start]
    if hasattr(control, "options"):
        options = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return [o for o in options if o != start] + [start]
    if hasattr(control, "min") and hasattr(control, "max"):
        grid = np.linspace(control.min, control.max, 8)
        if isinstance(control, widgets.IntSlider):
            grid = np.unique(np.round(grid).astype(int))
        steps = [type(start)(v) for v in grid if v != start]
        return [*steps, start]
    if isinstance(control, widgets.Text):
        return ["queue", "投诉", "", start]
    return []


def drive(app) -> list[float]:
    times = []
    for control in app.controls.values():
        for value in values_for(control):
            begin = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - begin) * 1e3)
    return times


def main() -> None:
    set_style()
    rows = []
    for name, spec in APPS.items():
        begin = time.perf_counter()
        app = spec.build()
        built = (time.perf_counter() - begin) * 1e3
        times = np.array(drive(app) + drive(app))  # two passes: cold, then warm
        p95 = np.percentile(times, 95)
        rows.append(
            {
                "app": name,
                "build ms": f"{built:,.0f}",
                "callbacks": len(times),
                "median ms": f"{np.median(times):.0f}",
                "p95 ms": f"{p95:.0f}",
                "max ms": f"{times.max():.0f}",
                "target": "met" if p95 < TARGET_MS else f"MISSED ({TARGET_MS:.0f})",
            }
        )
    print(
        table(
            rows,
            ["app", "build ms", "callbacks", "median ms", "p95 ms", "max ms", "target"],
        )
    )


if __name__ == "__main__":
    main()
