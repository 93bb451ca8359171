"""The container every explorer returns, and small helpers shared by the explorers."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

__all__ = [
    "Explorer",
    "bars_html",
    "figure_output",
    "metrics_html",
    "show_figure",
    "table_html",
]


class Explorer(widgets.VBox):
    """A VBox of controls above result areas, with names a test or notebook can use.

    Attributes
    ----------
    controls : dict[str, ipywidgets.Widget]
        The input widgets by name; setting ``.value`` refreshes the results.
    results : ipywidgets.HTML
        The numbers, as an HTML table whose cells carry ``data-metric`` attributes.
    figure : ipywidgets.Output
        The figure area (a static PNG, redrawn on every change).
    refresh : callable
        Recompute and redraw now (the controls call it on change).
    """

    def __init__(
        self,
        title: str,
        controls: Mapping[str, widgets.Widget],
        update: Callable[[Explorer], None],
        *,
        with_figure: bool = True,
        layout_controls: Iterable[widgets.Widget] | None = None,
    ) -> None:
        self.controls = dict(controls)
        self.results = widgets.HTML()
        self.figure = widgets.Output()
        self._update = update
        heading = widgets.HTML(f"<h3 class='crmkit-title'>{html.escape(title)}</h3>")
        panel = widgets.VBox(list(layout_controls or self.controls.values()))
        body = [self.results, self.figure] if with_figure else [self.results]
        super().__init__([heading, panel, *body])
        self.add_class("crmkit-explorer")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def _on_change(self, _change: Any) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute the results from the current control values."""
        self._update(self)


def figure_output(fig: plt.Figure) -> dict:
    """Render ``fig`` to a PNG display record and close it (cache it for static
    figures)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": "<crmkit figure>"},
        "metadata": {},
    }


def show_figure(output: widgets.Output, fig: plt.Figure | dict) -> None:
    """Show a figure (or a record from :func:`figure_output`) in ``output`` as a PNG.

    The image is rendered here and set as the Output widget's content, so it works the
    same in a notebook, in Voila and without any front end (as in the tests).
    """
    record = fig if isinstance(fig, dict) else figure_output(fig)
    output.outputs = (record,)


def bars_html(rows: Iterable[tuple[str, float, str]]) -> str:
    """Horizontal bars drawn in HTML: instant, unlike a redrawn figure.

    ``rows`` are ``(label, share in [0, 1], caption)``.
    """
    items = "".join(
        f"<div style='margin:2px 0'><span style='display:inline-block;width:90px'>"
        f"{html.escape(label)}</span><span style='display:inline-block;height:14px;"
        f"width:{max(0.0, min(share, 1.0)) * 300:.0f}px;background:#0173b2'></span>"
        f" <small>{html.escape(caption)}</small></div>"
        for label, share, caption in rows
    )
    return f"<div class='crmkit-bars'>{items}</div>"


def metrics_html(rows: Iterable[tuple[str, str, str]], *, caption: str = "") -> str:
    """An HTML table of ``(key, label, formatted value)`` rows; cells carry
    ``data-metric``.
    """
    body = "".join(
        f"<tr><th>{html.escape(label)}</th>"
        f"<td data-metric='{html.escape(key)}'>{html.escape(value)}</td></tr>"
        for key, label, value in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table class='crmkit-metrics'>{cap}{body}</table>"


def table_html(frame: Any, *, max_rows: int = 30) -> str:
    """A plain HTML rendering of the first ``max_rows`` rows of a DataFrame."""
    return frame.head(max_rows).to_html(index=False, border=0, classes="crmkit-table")
