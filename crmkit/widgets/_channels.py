"""The channel ranking explorer: weights, the rating-to-number mapping, and the
method."""

from __future__ import annotations

from functools import cache

import ipywidgets as widgets

from crmkit.channels import (
    BENEFIT,
    CRITERIA,
    MAPPINGS,
    course_channels,
    rank_channels,
    to_scores,
    weight_sensitivity,
)
from crmkit.widgets._base import Explorer, bars_html, metrics_html

__all__ = ["channel_explorer"]


def channel_explorer() -> Explorer:
    """Rank the course's channels under your weights, mapping and method.

    Shows the ranking (score and rank; ties share the average rank), how often each
    channel wins over all weightings (uniformly random weights, 20,000 draws, seeded),
    and for the weighted sum how much weight must move before another channel wins.

    Examples
    --------
    >>> app = channel_explorer()
    >>> app.controls["w_cost"].value = 5
    >>> "data-metric='rank_phone'" in app.results.value
    True
    """
    table = course_channels()

    @cache
    def sensitivity(mapping: str, method: str):
        return weight_sensitivity(
            to_scores(table, mapping), BENEFIT, method=method, samples=20_000, seed=0
        )

    controls: dict[str, widgets.Widget] = {}
    for crit, (en, zh) in CRITERIA.items():
        controls[f"w_{crit}"] = widgets.IntSlider(
            value=1,
            min=0,
            max=5,
            description=f"{en} {zh}",
            continuous_update=False,
            style={"description_width": "170px"},
            layout=widgets.Layout(width="420px"),
        )
    controls["mapping"] = widgets.Dropdown(
        options=list(MAPPINGS), value="default", description="ratings → numbers"
    )
    controls["method"] = widgets.ToggleButtons(
        options=[("weighted sum", "weighted_sum"), ("TOPSIS", "topsis")],
        value="weighted_sum",
    )

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        weights = [v[f"w_{c}"] for c in CRITERIA]
        if sum(weights) == 0:
            app.results.value = (
                "<p class='crmkit-error' data-metric='error'>Give at least one "
                "criterion a positive weight.</p>"
            )
            return
        matrix = to_scores(table, v["mapping"])
        ranked = rank_channels(matrix, weights, BENEFIT, method=v["method"])
        rows = [
            (
                f"rank_{r.channel}",
                f"{r.channel} {table.loc[r.channel, '渠道']}",
                f"{r.rank:g} (score {r.score:.3f})",
            )
            for r in ranked.itertuples()
        ]
        sens = sensitivity(v["mapping"], v["method"])
        share = bars_html(
            [
                (name, float(sh), f"wins {sh:.0%} of random weightings")
                for name, sh in sens.win_share.items()
            ]
        )
        note = ""
        if v["method"] == "weighted_sum":
            base = rank_channels(matrix, weights, BENEFIT).query("rank == rank.min()")
            note = f"<p data-metric='winner'>winner: {' = '.join(base['channel'])}</p>"
        app.results.value = metrics_html(rows, caption="rank (1 = best)") + note + share

    return Explorer("Channel ranking 渠道选择", controls, update, with_figure=False)
