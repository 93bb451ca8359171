"""The segmentation explorer: ABC cut-offs and the number of clusters."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from crmkit._i18n import tr
from crmkit.datasets import load_cdnow
from crmkit.plotting import plot_cluster_profile, plot_lorenz
from crmkit.segmentation import (
    abc_classes,
    customer_summary,
    gini,
    kmeans_segments,
    lorenz_curve,
)
from crmkit.widgets._base import (
    Explorer,
    bars_html,
    figure_output,
    metrics_html,
    show_figure,
    slider,
)
from crmkit.widgets._labels import translated

__all__ = ["segmentation_explorer"]

_FEATURES = ["n_purchase_days", "days_since_last", "total_spend"]

#: metric -> (English, Chinese) row label
_LABELS = {
    "gini": ("Gini coefficient 基尼系数", "基尼系数"),
    "largest_segment": ("largest segment share", "最大细分群体的客户占比"),
    **{
        f"share_{c}": (
            f"class {c}: customers / value",
            f"{c} 类客户：客户占比 / 价值占比",
        )
        for c in "ABC"
    },
    **{f"class_{c}": (f"class {c}", f"{c} 类客户") for c in "ABC"},
}


def segmentation_explorer(
    summary: pd.DataFrame | None = None, *, ks: range = range(2, 9)
) -> Explorer:
    """ABC classes under movable cut-offs, and k-means segments for a chosen k.

    Uses the CDNOW cohort (23,570 customers, spend to 30 June 1998) unless a
    :func:`~crmkit.segmentation.customer_summary` table is given. The k-means solutions
    and the figures that do not depend on the cut-offs are computed once, when the
    explorer is built, so moving a control only recomputes the ABC shares.

    Examples
    --------
    >>> app = segmentation_explorer()
    >>> app.controls["a_cutoff"].value = 0.7
    >>> "data-metric='share_A'" in app.results.value
    True
    """
    s = customer_summary(load_cdnow()) if summary is None else summary
    spend = s["total_spend"]
    g = gini(spend)
    features = s[_FEATURES]
    solutions = {
        k: kmeans_segments(features, k, seed=0, value="total_spend", n_init=4)
        for k in ks
    }
    lorenz_png = figure_output(plot_lorenz(lorenz_curve(spend), gini=g))
    profile_png = {
        k: figure_output(plot_cluster_profile(res.profile, _FEATURES))
        for k, res in solutions.items()
    }
    cutoffs = (("a", 0.80, 0.50, 0.94), ("b", 0.95, 0.55, 0.99))  # start, low, high
    controls = {
        **{
            f"{c}_cutoff": slider(
                tr(en=f"{c.upper()}: value share", zh=f"{c.upper()} 类：价值占比"),
                start,
                low,
                high,
                0.01,
                fmt=".2f",
                style={"description_width": "initial"},
            )
            for c, start, low, high in cutoffs
        },
        "k": widgets.IntSlider(
            value=4,
            min=min(ks),
            max=max(ks),
            description=tr(en="k segments", zh="细分群体数 k"),
            continuous_update=False,
        ),
        "view": widgets.ToggleButtons(
            options=[
                (tr(en="Lorenz curve", zh="洛伦兹曲线"), "abc"),
                (tr(en="cluster profiles 聚类", zh="聚类画像"), "k"),
            ],
            value="abc",
        ),
    }

    labels = translated(
        _LABELS,
        {"caption": (f"{len(spend):,} customers", f"共 {len(spend):,} 位客户")},
    )

    def update(app: Explorer) -> None:
        v = {name: c.value for name, c in app.controls.items()}
        a_cut = v["a_cutoff"]
        b_cut = max(v["b_cutoff"], a_cut + 0.01)
        classes = abc_classes(spend, cutoffs=(a_cut, b_cut))
        share_customers = classes.value_counts(normalize=True)
        share_value = spend.groupby(classes, observed=False).sum() / spend.sum()
        result = solutions[int(v["k"])]
        rows = [
            (
                f"share_{c}",
                labels[f"share_{c}"],
                f"{share_customers.get(c, 0):.1%} / {share_value.get(c, 0):.1%}",
            )
            for c in "ABC"
        ]
        rows += [
            ("gini", labels["gini"], f"{g:.3f}"),
            (
                "silhouette",
                tr(en=f"k = {v['k']}: silhouette", zh=f"k = {v['k']}：轮廓系数"),
                f"{result.silhouette:.3f}",
            ),
            (
                "largest_segment",
                labels["largest_segment"],
                f"{result.profile['share'].max():.1%}",
            ),
        ]
        bars = bars_html(
            [
                (
                    labels[f"class_{c}"],
                    float(share_value.get(c, 0.0)),
                    tr(
                        en=f"{share_customers.get(c, 0):.0%} of customers, "
                        f"{share_value.get(c, 0):.0%} of value",
                        zh=f"客户占 {share_customers.get(c, 0):.0%}，"
                        f"价值占 {share_value.get(c, 0):.0%}",
                    ),
                )
                for c in "ABC"
            ]
        )
        app.results.value = metrics_html(rows, caption=labels["caption"]) + bars
        show_figure(
            app.figure, lorenz_png if v["view"] == "abc" else profile_png[int(v["k"])]
        )

    return Explorer(
        tr(en="Segmentation explorer 客户细分", zh="客户细分"), controls, update
    )
