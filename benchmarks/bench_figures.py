"""Explorer figures to PNG: crmkit's one-draw crop against ``savefig(bbox_inches=
"tight")``.

Every explorer callback renders its figure to a PNG. ``savefig(bbox_inches="tight")``
draws the figure twice (once to measure the ink, once to write it);
:func:`crmkit.widgets._base.figure_output` draws it once, crops the pixels to the ink
and encodes the crop. Both are timed here in the same run on the figures the explorers
draw, with the size of the image each gives.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table

from crmkit.complaints import ComplaintScenario, simulate
from crmkit.plotting import (
    plot_customer_trajectory,
    plot_perceived_breakdown,
    plot_service_level_by_servers,
    set_style,
)
from crmkit.queues import staffing_table
from crmkit.waiting import PerceivedWaitModel
from crmkit.widgets._base import figure_output


def figures() -> dict:
    res = simulate(ComplaintScenario(), replications=30, seed=0).metric("customers")
    staffing = staffing_table(200 / 60, 1 / 3, range(6, 19), within=1 / 3)
    breakdown = PerceivedWaitModel().breakdown(4.0)
    return {
        "complaints: trajectory": lambda: plot_customer_trajectory(
            {"this": res, "baseline": res}
        ),
        "queues: service level": lambda: plot_service_level_by_servers(
            staffing, target=0.8, current=12
        ),
        "waiting: breakdown": lambda: plot_perceived_breakdown(breakdown),
    }


def tight(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def main() -> None:
    set_style()
    rows = []
    for label, make in figures().items():
        margins: dict = {}
        t_crop, record = best_time(lambda m=make, g=margins: figure_output(m(), g), 7)
        t_tight, png = best_time(lambda m=make: tight(m()), 7)
        rows.append(
            {
                "figure": label,
                "crop ms": f"{t_crop * 1e3:.0f}",
                'savefig(bbox_inches="tight") ms': f"{t_tight * 1e3:.0f}",
                "tight / crop": f"{t_tight / t_crop:.2f}x",
                "crop kB": f"{len(record['data']['image/png']) * 3 / 4 / 1e3:.0f}",
                "tight kB": f"{len(png) / 1e3:.0f}",
            }
        )
    print("one figure to PNG, best of 7 (figure built inside the timing for both)")
    print(table(rows, list(rows[0])))


if __name__ == "__main__":
    main()
