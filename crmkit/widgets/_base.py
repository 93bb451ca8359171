"""The container every explorer returns, and small helpers shared by the explorers."""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

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


def _inside(fig: plt.Figure, tight: Any, slack: float = 0.0) -> bool:
    width, height = fig.bbox_inches.width, fig.bbox_inches.height
    return (
        tight.x0 >= -slack
        and tight.y0 >= -slack
        and tight.x1 <= width + slack
        and tight.y1 <= height + slack
    )


def _make_room(fig: plt.Figure, pad: float = 0.06) -> None:
    """Move the subplot margins so labels that stick out of the canvas fit inside it
    (one pass of what ``tight_layout`` does, without its second layout pass)."""
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    if _inside(fig, tight) or fig.get_layout_engine() is not None:
        return
    width, height = fig.bbox_inches.width, fig.bbox_inches.height
    sp = fig.subplotpars
    left = sp.left + (max(0.0, -tight.x0) + pad) / width if tight.x0 < 0 else sp.left
    right = (
        sp.right - (tight.x1 - width + pad) / width if tight.x1 > width else sp.right
    )
    bottom = (
        sp.bottom + (max(0.0, -tight.y0) + pad) / height if tight.y0 < 0 else sp.bottom
    )
    top = sp.top - (tight.y1 - height + pad) / height if tight.y1 > height else sp.top
    if left < right and bottom < top:
        fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)


def figure_output(fig: plt.Figure) -> dict:
    """Render ``fig`` to a PNG display record and close it (cache it for static
    figures).

    Like ``savefig(bbox_inches="tight")`` but drawn once instead of twice, which keeps
    the explorers' callbacks quick: margins are widened so every label fits on the
    canvas, the figure is drawn, and the image is cropped to its content. A figure
    whose content still reaches past its edges falls back to ``savefig``.
    """
    _make_room(fig)
    fig.canvas.draw()
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    buffer = io.BytesIO()
    if _inside(fig, tight, slack=0.01):
        width, height = fig.bbox_inches.width, fig.bbox_inches.height
        pad, dpi = 0.1, fig.dpi
        x0, x1 = max(tight.x0 - pad, 0) * dpi, min(tight.x1 + pad, width) * dpi
        top = (height - min(tight.y1 + pad, height)) * dpi
        bottom = (height - max(tight.y0 - pad, 0)) * dpi
        pixels = np.asarray(fig.canvas.buffer_rgba())
        crop = pixels[int(top) : int(np.ceil(bottom)), int(x0) : int(np.ceil(x1))]
        Image.fromarray(crop).save(buffer, format="png", compress_level=3)
    else:
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
