"""The channel ranking explorer: weights, the rating-to-number mapping, and the
method."""

from __future__ import annotations

from functools import cache

import ipywidgets as widgets

from crmkit._i18n import get_language, tr
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

#: mapping name -> Chinese label of the "ratings → numbers" choice
_MAPPINGS_ZH = {
    "default": "默认（如 低 1 / 中 3 / 高 5）",
    "equal_steps": "等距（1、2、3……）",
    "doubling": "逐级加倍（1、2、4……）",
}


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
    for crit, (name_en, name_zh) in CRITERIA.items():
        controls[f"w_{crit}"] = widgets.IntSlider(
            value=1,
            min=0,
            max=5,
            description=tr(en=f"{name_en} {name_zh}", zh=f"权重：{name_zh}"),
            continuous_update=False,
            # "information richness 传递信息的丰富性" needs about 220 px at 13 px
            style={"description_width": "230px"},
            layout=widgets.Layout(width="480px"),
        )
    controls["mapping"] = widgets.Dropdown(
        options=[(tr(en=m, zh=_MAPPINGS_ZH.get(m, m)), m) for m in MAPPINGS],
        value="default",
        description=tr(en="ratings → numbers", zh="等级 → 分值"),
        style={"description_width": "initial"},
    )
    controls["method"] = widgets.ToggleButtons(
        options=[
            (tr(en="weighted sum", zh="加权求和"), "weighted_sum"),
            (tr(en="TOPSIS", zh="TOPSIS 法"), "topsis"),
        ],
        value="weighted_sum",
    )
    zh = get_language() == "zh"
    # each channel's name as the student reads it: in the metric rows "phone 电话"
    # (en) or "电话" (zh), in the bars and the winner "phone" or "电话"
    chinese = {channel: str(cn) for channel, cn in table["渠道"].items()}
    names = {c: cn if zh else f"{c} {cn}" for c, cn in chinese.items()}
    short = {c: cn if zh else c for c, cn in chinese.items()}
    no_weight = tr(
        en="Give at least one criterion a positive weight.",
        zh="请至少给一项准则设定大于 0 的权重。",
    )
    caption = tr(en="rank (1 = best)", zh="排名（1 = 最好）")

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        weights = [v[f"w_{c}"] for c in CRITERIA]
        if sum(weights) == 0:
            app.results.value = (
                f"<p class='crmkit-error' data-metric='error'>{no_weight}</p>"
            )
            return
        matrix = to_scores(table, v["mapping"])
        ranked = rank_channels(matrix, weights, BENEFIT, method=v["method"])
        rows = [
            (
                f"rank_{r.channel}",
                names.get(r.channel, r.channel),
                tr(
                    en=f"{r.rank:g} (score {r.score:.3f})",
                    zh=f"{r.rank:g}（得分 {r.score:.3f}）",
                ),
            )
            for r in ranked.itertuples()
        ]
        sens = sensitivity(v["mapping"], v["method"])
        share = bars_html(
            [
                (
                    short.get(name, name),
                    float(sh),
                    tr(
                        en=f"wins {sh:.0%} of random weightings",
                        zh=f"在 {sh:.0%} 的随机权重下排名第一",
                    ),
                )
                for name, sh in sens.win_share.items()
            ]
        )
        note = ""
        if v["method"] == "weighted_sum":
            base = rank_channels(matrix, weights, BENEFIT).query("rank == rank.min()")
            best = " = ".join(short.get(c, c) for c in base["channel"])
            note = (
                "<p data-metric='winner'>"
                + tr(en=f"winner: {best}", zh=f"最优渠道：{best}")
                + "</p>"
            )
        app.results.value = metrics_html(rows, caption=caption) + note + share

    return Explorer(
        tr(en="Channel ranking 渠道选择", zh="渠道选择"),
        controls,
        update,
        with_figure=False,
    )
