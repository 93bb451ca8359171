"""The segmentation explorer: ABC cut-offs and the number of clusters."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

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
)

__all__ = ["segmentation_explorer"]

_FEATURES = ["n_purchase_days", "days_since_last", "total_spend"]


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
    controls = {
        "a_cutoff": widgets.FloatSlider(
            value=0.80,
            min=0.50,
            max=0.94,
            step=0.01,
            description="A: value share",
            continuous_update=False,
            readout_format=".2f",
        ),
        "b_cutoff": widgets.FloatSlider(
            value=0.95,
            min=0.55,
            max=0.99,
            step=0.01,
            description="B: value share",
            continuous_update=False,
            readout_format=".2f",
        ),
        "k": widgets.IntSlider(
            value=4,
            min=min(ks),
            max=max(ks),
            description="k segments",
            continuous_update=False,
        ),
        "view": widgets.ToggleButtons(
            options=[("Lorenz curve", "abc"), ("cluster profiles 聚类", "k")],
            value="abc",
        ),
    }

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
                f"class {c}: customers / value",
                f"{share_customers.get(c, 0):.1%} / {share_value.get(c, 0):.1%}",
            )
            for c in "ABC"
        ]
        rows += [
            ("gini", "Gini coefficient 基尼系数", f"{g:.3f}"),
            ("silhouette", f"k = {v['k']}: silhouette", f"{result.silhouette:.3f}"),
            (
                "largest_segment",
                "largest segment share",
                f"{result.profile['share'].max():.1%}",
            ),
        ]
        bars = bars_html(
            [
                (
                    f"class {c}",
                    float(share_value.get(c, 0.0)),
                    f"{share_customers.get(c, 0):.0%} of customers, "
                    f"{share_value.get(c, 0):.0%} of value",
                )
                for c in "ABC"
            ]
        )
        app.results.value = (
            metrics_html(rows, caption=f"{len(spend):,} customers") + bars
        )
        show_figure(
            app.figure, lorenz_png if v["view"] == "abc" else profile_png[int(v["k"])]
        )

    return Explorer("Segmentation explorer 客户细分", controls, update)
