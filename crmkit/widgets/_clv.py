"""The CLV explorer: pick a BTYD model and a customer, read P(alive), expected
purchases and lifetime value, and see the customer on the model's heat map."""

from __future__ import annotations

import html
from functools import cache, partial
from types import MappingProxyType

import ipywidgets as widgets
import pandas as pd

from crmkit._i18n import tr
from crmkit.clv import (
    BGNBD,
    MBGNBD,
    ParetoNBD,
    alive_grid,
    calibration_holdout,
    compare_models,
    expected_grid,
)
from crmkit.datasets import load_cdnow
from crmkit.errors import CrmkitError
from crmkit.plotting import plot_alive_heatmap, plot_expected_heatmap
from crmkit.widgets._base import Explorer, metrics_html, show_figure, sliders
from crmkit.widgets._labels import translated

__all__ = ["clv_explorer"]

#: the split of Fader, Hardie & Lee (2005): calibration weeks 1–39, holdout 40–78
CALIBRATION_END, HOLDOUT_END = "1997-09-30", "1998-06-30"
#: control value -> (name shown, model class)
MODELS = MappingProxyType(
    {
        "bgnbd": ("BG/NBD", BGNBD),
        "mbgnbd": ("MBG/NBD", MBGNBD),
        "pareto_nbd": ("Pareto/NBD", ParetoNBD),
    }
)

_STYLE = {"description_width": "190px"}
#: control -> (English, Chinese) description
_DESCRIPTIONS = {
    "frequency": ("repeat purchases x 重复购买", "重复购买次数 x"),
    "recency": ("last purchase t_x (week)", "最近一次购买 t_x（周）"),
    "T": ("weeks since first purchase T", "首次购买至今 T（周）"),
    "horizon_weeks": ("horizon (weeks) 预测期", "预测期（周）"),
    "margin": ("profit per purchase ($) 每次利润", "每次购买的利润（美元）"),
    "discount_rate": ("discount rate a year 年贴现率", "年贴现率"),
}
#: metric -> (English, Chinese) row label
_LABELS = {
    "prob_alive": ("P(alive) 存活概率", "存活概率 P(alive)"),
    "clv": (
        "lifetime value, discounted ($) 客户终身价值",
        "客户终身价值（贴现，美元）",
    ),
    "log_likelihood": ("log-likelihood, weeks 1–39", "对数似然（校准期，第 1–39 周）"),
    "holdout_error_pct": (
        "cohort forecast error, weeks 40–78",
        "检验期（第 40–78 周）总量预测误差",
    ),
}

_sliders = partial(sliders, style=_STYLE, layout=widgets.Layout(width="500px"))


@cache
def fitted_models() -> tuple[MappingProxyType, pd.DataFrame]:
    """The three models fitted on the CDNOW sample's calibration weeks (1–39, in
    weeks), and their :func:`~crmkit.clv.compare_models` table on the holdout (weeks
    40–78); computed once per session."""
    split = calibration_holdout(
        load_cdnow(sample=True),
        calibration_end=CALIBRATION_END,
        holdout_end=HOLDOUT_END,
    )
    cal = split["frequency_cal"], split["recency_cal"], split["T_cal"]
    models = {key: cls().fit(*cal) for key, (_, cls) in MODELS.items()}
    return MappingProxyType(models), compare_models(models, split)


def _error_html(exc: CrmkitError) -> str:
    text = tr(en=str(exc), zh=f"无法计算（{exc}）")
    return f"<p class='crmkit-error' data-metric='error'>{html.escape(text)}</p>"


def clv_explorer(
    frequency: int = 2, recency: float = 30.4, T: float = 38.9
) -> Explorer:
    """One customer under BG/NBD, MBG/NBD or Pareto/NBD: P(alive), the purchases
    expected over a horizon, the residual lifetime value, and the P(alive) (or
    expected purchases) heat map with the customer marked.

    The models are fitted on the CDNOW 1/10 sample (2,357 customers, weeks 1–39), as
    in chapter 03, once per session. Times are in weeks from the customer's first
    purchase. The lifetime value is ``profit per purchase × DERT``, the discounted
    expected purchases over the customer's whole remaining lifetime (the model's
    ``clv``), with the yearly discount rate turned into a weekly one,
    ``(1 + d)^(1/52) − 1``; the horizon applies to the expected purchases and their
    heat map. A recency beyond T is taken as T, and a customer without repeat
    purchases has recency 0 (the caption says which values were used).

    Examples
    --------
    >>> app = clv_explorer()
    >>> app.controls["model"].value = "pareto_nbd"
    >>> "data-metric='prob_alive'" in app.results.value
    True
    """
    models, comparison = fitted_models()
    names = {key: name for key, (name, _) in MODELS.items()}
    controls = {
        "model": widgets.Dropdown(
            options=[(tr(en=n, zh=f"{n} 模型"), k) for k, n in names.items()],
            value="bgnbd",
            description=tr(en="model 模型", zh="模型"),
            style=_STYLE,
        ),
        **_sliders(
            translated(_DESCRIPTIONS),
            {
                "frequency": (frequency, 0, 20, 1, None),
                "recency": (recency, 0.0, 78.0, 0.1, ".1f"),
                "T": (T, 1.0, 78.0, 0.1, ".1f"),
                "horizon_weeks": (52, 4, 104, 1, None),
                "margin": (10.0, 1.0, 50.0, 1.0, ".0f"),
                "discount_rate": (0.10, 0.01, 0.30, 0.01, ".0%"),
            },
        ),
        "view": widgets.ToggleButtons(
            options=[
                (tr(en="P(alive) 存活概率", zh="存活概率"), "alive"),
                (tr(en="expected purchases 预期购买", zh="预期购买次数"), "expected"),
            ],
            value="alive",
        ),
    }
    labels = translated(_LABELS)

    def update(app: Explorer) -> None:
        v = {k: c.value for k, c in app.controls.items()}
        key, x, age = v["model"], int(v["frequency"]), float(v["T"])
        t_x = 0.0 if x == 0 else min(float(v["recency"]), age)
        horizon = int(v["horizon_weeks"])
        weekly_rate = (1 + v["discount_rate"]) ** (1 / 52) - 1
        model = models[key]
        try:
            alive = model.prob_alive([x], [t_x], [age])[0]
            expected = model.expected_purchases(horizon, [x], [t_x], [age])[0]
            value = model.clv(v["margin"], weekly_rate, [x], [t_x], [age])[0]
            if v["view"] == "alive":
                fig = plot_alive_heatmap(alive_grid(model, age), customer=(t_x, x))
            else:
                grid = expected_grid(model, horizon, age)
                fig = plot_expected_heatmap(grid, customer=(t_x, x))
        except CrmkitError as exc:
            app.results.value = _error_html(exc)
            app.figure.outputs = ()
            return
        fit = comparison.loc[key]
        rows = [
            ("prob_alive", labels["prob_alive"], f"{alive:.3f}"),
            (
                "expected_purchases",
                tr(
                    en=f"purchases expected in the next {horizon} weeks",
                    zh=f"未来 {horizon} 周的预期购买次数",
                ),
                f"{expected:.2f}",
            ),
            ("clv", labels["clv"], f"{value:,.2f}"),
            (
                "log_likelihood",
                labels["log_likelihood"],
                f"{fit['log_likelihood']:.1f}",
            ),
            (
                "holdout_error_pct",
                labels["holdout_error_pct"],
                f"{fit['holdout_error_pct']:+.1f} %",
            ),
        ]
        adjusted = ""
        if x == 0 and v["recency"] > 0:
            adjusted = tr(
                en=" (no repeat purchase: t_x = 0)", zh="（没有重复购买，t_x 取 0）"
            )
        elif t_x < v["recency"]:
            adjusted = tr(en=" (t_x cannot exceed T)", zh="（t_x 不能超过 T）")
        caption = tr(
            en=f"{names[key]}, customer x = {x}, t_x = {t_x:.1f}, T = {age:.1f} weeks"
            f"{adjusted}; fitted on the CDNOW sample, weeks 1–39",
            zh=f"{names[key]} 模型；客户 x = {x}，t_x = {t_x:.1f}，T = {age:.1f} 周"
            f"{adjusted}；用 CDNOW 样本第 1–39 周的数据拟合",
        )
        app.results.value = metrics_html(rows, caption=caption)
        show_figure(app.figure, fig, app.margins)

    return Explorer(
        tr(en="Customer lifetime value 客户终身价值", zh="客户终身价值"),
        controls,
        update,
    )
