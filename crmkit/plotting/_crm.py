"""Figures for the data-driven CRM chapter: the database's entity diagram and a small
dashboard (tables in, figures out)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from crmkit._i18n import tr

__all__ = ["plot_dashboard", "plot_schema"]

_ROW = 0.36  # height of one column line, in axis units
_WIDTH = 3.6  # width of a table box
_GAP_X = 1.4  # space between levels
_GAP_Y = 0.6  # space between boxes of one level


def _levels(schema: pd.DataFrame) -> dict[str, int]:
    """Depth of each table in the foreign-key graph (tables nobody refers to from
    a parent sit at 0; a child sits one level right of its deepest parent)."""
    tables = list(dict.fromkeys(schema["table"]))
    parents = {
        t: {
            r.split(".")[0] for r in schema.loc[schema["table"] == t, "references"] if r
        }
        for t in tables
    }
    level: dict[str, int] = {}

    def depth(t: str, seen: frozenset[str]) -> int:
        if t not in level:
            up = [p for p in parents[t] if p in parents and p not in seen]
            level[t] = 1 + max((depth(p, seen | {t}) for p in up), default=-1)
        return level[t]

    for t in tables:
        depth(t, frozenset())
    return level


def plot_schema(schema: pd.DataFrame, *, rows: dict[str, int] | None = None) -> Figure:
    """An entity diagram of a database: one box per table, its columns (PK = primary
    key, FK = foreign key) and an arrow from each foreign key to the key it refers to.

    ``schema`` is the table of :func:`crmkit.datasets.database_schema` (columns
    ``table``, ``column``, ``type``, ``primary_key``, ``references``); ``rows``
    optionally maps table names to row counts shown in the box titles.
    """
    level = _levels(schema)
    tables = list(dict.fromkeys(schema["table"]))
    place: dict[str, tuple[float, float]] = {}  # top-left corner of each box
    line: dict[tuple[str, str], float] = {}  # y of each column line
    heights = {t: (1 + int((schema["table"] == t).sum())) * _ROW for t in tables}
    for lev in sorted(set(level.values())):
        y = 0.0
        for t in (t for t in tables if level[t] == lev):
            place[t] = (lev * (_WIDTH + _GAP_X), -y)
            y += heights[t] + _GAP_Y
    total_h = max(-place[t][1] + heights[t] for t in tables)
    total_w = (max(level.values()) + 1) * (_WIDTH + _GAP_X) - _GAP_X
    fig, ax = plt.subplots(figsize=(1.55 * total_w, 1.55 * total_h + 0.4))
    for i, t in enumerate(tables):
        x0, top = place[t]
        colour = f"C{i % 10}"
        ax.add_patch(
            FancyBboxPatch(
                (x0, top - heights[t]),
                _WIDTH,
                heights[t],
                boxstyle="round,pad=0.02",
                facecolor="white",
                edgecolor=colour,
                linewidth=1.4,
            )
        )
        ax.add_patch(
            plt.Rectangle((x0, top - _ROW), _WIDTH, _ROW, color=colour, alpha=0.85)
        )
        title = t if rows is None or t not in rows else f"{t}  ({rows[t]:,})"
        ax.text(
            x0 + 0.1,
            top - _ROW / 2,
            title,
            va="center",
            color="white",
            fontweight="bold",
            fontsize="small",
        )
        cols = schema[schema["table"] == t]
        for j, rec in enumerate(cols.itertuples(index=False)):
            y = top - (j + 1.5) * _ROW
            line[(t, rec.column)] = y
            mark = "PK" if rec.primary_key else ("FK" if rec.references else "")
            ax.text(x0 + 0.1, y, mark, va="center", fontsize="x-small", color=colour)
            ax.text(x0 + 0.55, y, rec.column, va="center", fontsize="x-small")
            ax.text(
                x0 + _WIDTH - 0.1,
                y,
                str(rec.type).lower(),
                va="center",
                ha="right",
                fontsize="xx-small",
                color="0.45",
            )
    for rec in schema[schema["references"] != ""].itertuples(index=False):
        parent, key = rec.references.split(".")
        if (parent, key) not in line:
            continue
        x_child = place[rec.table][0]
        x_parent = place[parent][0] + _WIDTH
        ax.annotate(
            "",
            xy=(x_parent, line[(parent, key)]),
            xytext=(x_child, line[(rec.table, rec.column)]),
            arrowprops={
                "arrowstyle": "-|>",
                "color": "0.35",
                "linewidth": 0.9,
                "connectionstyle": "arc3,rad=0.12",
                "shrinkA": 2,
                "shrinkB": 2,
            },
        )
    ax.set_xlim(-0.2, total_w + 0.2)
    ax.set_ylim(-total_h - 0.2, 0.2)
    ax.set_axis_off()
    ax.set_title(
        tr(
            en="The CRM database: tables, keys and links 数据库结构",
            zh="CRM 数据库的结构：表、键与关联",
        )
    )
    return fig


def plot_dashboard(kpis: pd.DataFrame, *, title: str | None = None) -> Figure:
    """A small dashboard: one panel per indicator column of ``kpis``, over its index
    (periods), with the latest value written in the panel.

    A column ``<name>_lower`` / ``<name>_upper`` pair is drawn as the band of the
    column ``<name>`` (e.g. a confidence interval), not as a panel of its own.
    """
    bands = {
        c[: -len("_lower")]
        for c in kpis.columns
        if c.endswith("_lower") and f"{c[: -len('_lower')]}_upper" in kpis.columns
    }
    panels = [
        c
        for c in kpis.columns
        if not (c.endswith(("_lower", "_upper")) and c.rsplit("_", 1)[0] in bands)
    ]
    ncols = min(3, len(panels))
    nrows = int(np.ceil(len(panels) / ncols))
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.4 * ncols, 2.5 * nrows), squeeze=False
    )
    x = np.arange(len(kpis))
    labels = [str(i)[:7] for i in kpis.index]
    for k, (ax, name) in enumerate(zip(axes.flat, panels, strict=False)):
        colour = f"C{k % 10}"
        values = kpis[name].to_numpy(dtype=float)
        if name in bands:
            ax.fill_between(
                x,
                kpis[f"{name}_lower"].to_numpy(dtype=float),
                kpis[f"{name}_upper"].to_numpy(dtype=float),
                color=colour,
                alpha=0.2,
                linewidth=0,
            )
        ax.plot(x, values, marker="o", markersize=3, color=colour)
        ax.set_title(str(name), fontsize="small")
        step = max(1, len(x) // 4)
        ax.set_xticks(x[::step], labels[::step], fontsize="x-small")
        ax.tick_params(axis="y", labelsize="x-small")
        ax.text(
            0.98,
            0.92,
            tr(en=f"latest {values[-1]:,.3g}", zh=f"最新 {values[-1]:,.3g}"),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize="x-small",
            color=colour,
        )
    for ax in list(axes.flat)[len(panels) :]:
        ax.set_axis_off()
    fig.suptitle(title or tr(en="CRM dashboard 客户关系仪表盘", zh="客户关系仪表盘"))
    fig.tight_layout()
    return fig
