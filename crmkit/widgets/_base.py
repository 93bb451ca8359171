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

from crmkit._i18n import get_language, language

__all__ = [
    "Explorer",
    "bars_html",
    "figure_output",
    "metrics_html",
    "show_figure",
    "slider",
    "sliders",
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
    language : str
        The language the explorer was built in (``"zh"`` or ``"en"``); it keeps
        speaking it on every refresh, whatever :func:`crmkit.set_language` says later.
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
        self.margins: dict = {}  # figure margins that fit, by figure size
        self._update = update
        self.language = get_language()
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
        """Recompute the results from the current control values (in the explorer's
        language)."""
        with language(self.language):
            self._update(self)


def _inside(fig: plt.Figure, tight: Any, slack: float = 0.0) -> bool:
    width, height = fig.bbox_inches.width, fig.bbox_inches.height
    return (
        tight.x0 >= -slack
        and tight.y0 >= -slack
        and tight.x1 <= width + slack
        and tight.y1 <= height + slack
    )


def _make_room(fig: plt.Figure, pad: float = 0.06) -> bool:
    """Move the subplot margins so labels that stick out of the canvas fit inside it
    (one pass of what ``tight_layout`` does). Returns whether anything moved."""
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    if _inside(fig, tight) or fig.get_layout_engine() is not None:
        return False
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
    if not (left < right and bottom < top):
        return False
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=top)
    return True


def _ink_box(pixels: np.ndarray, background: np.ndarray) -> tuple[int, int, int, int]:
    """Rows and columns (top, bottom, left, right) that hold anything but
    background."""
    ink = np.any(pixels != background, axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        return 0, pixels.shape[0], 0, pixels.shape[1]
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def figure_output(fig: plt.Figure, margins: dict | None = None) -> dict:
    """Render ``fig`` to a PNG display record and close it (cache it for static
    figures).

    Like ``savefig(bbox_inches="tight")``, which draws a figure twice, at two thirds
    of its cost, which keeps the explorers' callbacks quick: the figure is drawn once
    and its pixels cropped to the ink (encoded with PIL).
    ``benchmarks/bench_figures.py`` measures both on the explorers' figures: savefig
    with ``bbox_inches="tight"`` takes 1.5 times as long (152 ms against 98 ms for the
    complaint trajectory). When ink touches the canvas edge (a label sticking out),
    the margins are widened and the figure drawn again; pass a ``margins`` dict (one
    per explorer) to remember the widened margins for the next figure of the same
    size, so redraws happen once.
    """
    key = (fig.get_figwidth(), fig.get_figheight(), len(fig.axes))
    if margins is not None and key in margins and fig.get_layout_engine() is None:
        fig.subplots_adjust(**margins[key])
    background = np.round(np.asarray(fig.get_facecolor()) * 255).astype(np.uint8)
    for attempt in range(2):
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba())
        top, bottom, left, right = _ink_box(pixels, background)
        height, width = pixels.shape[:2]
        touches = top == 0 or left == 0 or bottom == height or right == width
        if not touches or attempt == 1 or not _make_room(fig):
            break
        if margins is not None:
            sp = fig.subplotpars
            margins[key] = {
                "left": sp.left,
                "right": sp.right,
                "bottom": sp.bottom,
                "top": sp.top,
            }
    pad = round(0.1 * fig.dpi)
    crop = pixels[
        max(top - pad, 0) : min(bottom + pad, height),
        max(left - pad, 0) : min(right + pad, width),
    ]
    buffer = io.BytesIO()
    Image.fromarray(crop).save(buffer, format="png", compress_level=3)
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": "<crmkit figure>"},
        "metadata": {},
    }


def show_figure(
    output: widgets.Output, fig: plt.Figure | dict, margins: dict | None = None
) -> None:
    """Show a figure (or a record from :func:`figure_output`) in ``output`` as a PNG.

    The image is rendered here and set as the Output widget's content, so it works the
    same in a notebook, in Voila and without any front end (as in the tests).
    ``margins`` is passed on to :func:`figure_output`.
    """
    record = fig if isinstance(fig, dict) else figure_output(fig, margins)
    output.outputs = (record,)


def slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    *,
    fmt: str | None = None,
    integer: bool = False,
    style: Mapping[str, str] | None = None,
    layout: widgets.Layout | None = None,
) -> widgets.FloatSlider | widgets.IntSlider:
    """A slider from ``lo`` to ``hi`` that reports only when released
    (``continuous_update=False``, so a callback runs once per move).

    ``fmt`` is the readout format (e.g. ``".0%"``); ``integer`` gives an
    ``IntSlider``; ``style`` and ``layout`` size the description and the slider.

    Examples
    --------
    >>> s = slider("agents", 6, 1, 15, 1, integer=True)
    >>> type(s).__name__, s.value, s.continuous_update
    ('IntSlider', 6, False)
    """
    cls = widgets.IntSlider if integer else widgets.FloatSlider
    extra: dict[str, Any] = {} if fmt is None else {"readout_format": fmt}
    if style is not None:
        extra["style"] = dict(style)
    if layout is not None:
        extra["layout"] = layout
    return cls(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=False,
        **extra,
    )


def sliders(
    descriptions: Mapping[str, str],
    ranges: Mapping[str, tuple[float, float, float, float, str | None]],
    *,
    style: Mapping[str, str] | None = None,
    layout: widgets.Layout | None = None,
) -> dict[str, widgets.FloatSlider | widgets.IntSlider]:
    """A :func:`slider` per name: ``ranges`` gives (start, low, high, step, readout
    format); a range without a format is a count (an integer slider).

    Examples
    --------
    >>> s = sliders({"n": "agents"}, {"n": (6, 1, 15, 1, None)})
    >>> type(s["n"]).__name__, s["n"].description
    ('IntSlider', 'agents')
    """
    return {
        name: slider(
            descriptions[name],
            *bounds,
            fmt=fmt,
            integer=fmt is None,
            style=style,
            layout=layout,
        )
        for name, (*bounds, fmt) in ranges.items()
    }


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
