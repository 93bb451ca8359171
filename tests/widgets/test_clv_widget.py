"""The CLV explorer without a browser: set a control like a user, read the numbers
shown, and hold them against the library and against independent computations (the
BG/NBD P(alive) in closed form, the lifetime value as a brute-force discounted sum of
weekly expected purchases)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import crmkit
from crmkit.clv import alive_grid, calibration_holdout, expected_grid
from crmkit.datasets import load_cdnow
from crmkit.errors import ParameterError
from crmkit.plotting import plot_alive_heatmap, plot_expected_heatmap
from crmkit.widgets import APPS, clv_explorer
from crmkit.widgets._clv import fitted_models

CJK = re.compile(r"[\u3400-\u9fff]")
METRIC = re.compile(r"data-metric='([^']*)'")


def shown(app, metric: str) -> str:
    match = re.search(rf"data-metric='{metric}'>([^<]*)<", app.results.value)
    assert match, f"{metric} not shown"
    return match.group(1)


def caption(app) -> str:
    return re.search(r"<caption>([^<]*)</caption>", app.results.value).group(1)


@pytest.fixture(scope="module")
def app():
    with crmkit.language("en"):
        return clv_explorer()


def test_models_are_fitted_on_the_calibration_weeks_once():
    models, table = fitted_models()
    assert fitted_models() is fitted_models()  # cached
    split = calibration_holdout(
        load_cdnow(sample=True),
        calibration_end="1997-09-30",
        holdout_end="1998-06-30",
    )
    assert len(split) == 2357
    for model in models.values():  # maximised on the calibration columns
        ll = model.log_likelihood(
            split["frequency_cal"], split["recency_cal"], split["T_cal"]
        )
        assert ll == pytest.approx(model.log_likelihood_, rel=1e-12)
    # the published BG/NBD optimum (FHL 2005: r 0.243, alpha 4.414, a 0.793, b 2.426)
    bg = models["bgnbd"].params_
    assert [round(bg[k], 3) for k in ("r", "alpha", "a", "b")] == [
        0.243,
        4.414,
        0.793,
        2.426,
    ]
    assert list(table.index) == ["bgnbd", "mbgnbd", "pareto_nbd"]


def test_bgnbd_prob_alive_matches_the_closed_form(app):
    app.controls["model"].value = "bgnbd"
    app.controls["frequency"].value = 3
    app.controls["recency"].value = 20.0
    app.controls["T"].value = 38.0
    p = fitted_models()[0]["bgnbd"].params_
    r, alpha, a, b = p["r"], p["alpha"], p["a"], p["b"]
    x, t_x, T = 3, 20.0, 38.0
    # FHL (2008), note 021: 1 / (1 + a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r+x))
    closed = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    assert shown(app, "prob_alive") == f"{closed:.3f}"


@pytest.mark.parametrize("key", ["bgnbd", "mbgnbd", "pareto_nbd"])
def test_numbers_are_the_models(app, key):
    app.controls["model"].value = key
    app.controls["frequency"].value = 2
    app.controls["recency"].value = 30.4
    app.controls["T"].value = 38.9
    app.controls["horizon_weeks"].value = 26
    app.controls["margin"].value = 12.0
    app.controls["discount_rate"].value = 0.15
    model = fitted_models()[0][key]
    weekly = 1.15 ** (1 / 52) - 1
    assert shown(app, "prob_alive") == f"{model.prob_alive([2], [30.4], [38.9])[0]:.3f}"
    expected = model.expected_purchases(26, [2], [30.4], [38.9])[0]
    assert shown(app, "expected_purchases") == f"{expected:.2f}"
    clv = model.clv(12.0, weekly, [2], [30.4], [38.9])[0]
    assert shown(app, "clv") == f"{clv:,.2f}"
    table = fitted_models()[1]
    assert shown(app, "log_likelihood") == f"{model.log_likelihood_:.1f}"
    assert shown(app, "holdout_error_pct").endswith(" %")
    assert float(shown(app, "holdout_error_pct")[:-2]) == pytest.approx(
        table.loc[key, "holdout_error_pct"], abs=0.05
    )
    assert "purchases expected in the next 26 weeks" in app.results.value


def test_lifetime_value_is_the_discounted_sum_of_future_purchases(app):
    # brute force: weekly increments of E[Y(t)] over 100 years, each discounted at
    # 10 % a year from the middle of its week; the shown CLV is continuous
    # discounting of the same stream, so the two agree closely
    app.controls["model"].value = "bgnbd"
    app.controls["frequency"].value = 2
    app.controls["recency"].value = 30.4
    app.controls["T"].value = 38.9
    app.controls["margin"].value = 10.0
    app.controls["discount_rate"].value = 0.10
    model = fitted_models()[0]["bgnbd"]
    weeks = np.arange(5201.0)
    cumulative = np.array(
        [model.expected_purchases(w, [2], [30.4], [38.9])[0] for w in weeks]
    )
    brute = 10.0 * np.sum(np.diff(cumulative) * 1.1 ** (-(weeks[1:] - 0.5) / 52))
    assert float(shown(app, "clv").replace(",", "")) == pytest.approx(brute, rel=1e-3)
    # a wrong conversion of the yearly rate (d / 52) would be 2 % off
    wrong = model.clv(10.0, 0.1 / 52, [2], [30.4], [38.9])[0]
    assert abs(wrong / brute - 1) > 0.01


def test_customer_without_repeat_purchases_has_recency_zero(app):
    app.controls["model"].value = "mbgnbd"
    app.controls["frequency"].value = 0
    app.controls["recency"].value = 12.0
    app.controls["T"].value = 30.0
    model = fitted_models()[0]["mbgnbd"]
    assert shown(app, "prob_alive") == f"{model.prob_alive([0], [0], [30.0])[0]:.3f}"
    assert "t_x = 0.0" in caption(app) and "no repeat purchase" in caption(app)


def test_recency_beyond_T_is_taken_as_T(app):
    app.controls["model"].value = "pareto_nbd"
    app.controls["frequency"].value = 4
    app.controls["T"].value = 20.0
    app.controls["recency"].value = 35.0
    model = fitted_models()[0]["pareto_nbd"]
    assert shown(app, "prob_alive") == f"{model.prob_alive([4], [20], [20])[0]:.3f}"
    assert "t_x = 20.0" in caption(app) and "cannot exceed T" in caption(app)


def test_models_disagree_about_a_customer_without_repeat(app):
    # BG/NBD: nobody drops out before a repeat purchase, so P(alive) = 1 at x = 0;
    # MBG/NBD and Pareto/NBD let such a customer be gone
    app.controls["frequency"].value = 0
    app.controls["T"].value = 38.9
    alive = {}
    for key in ("bgnbd", "mbgnbd", "pareto_nbd"):
        app.controls["model"].value = key
        alive[key] = float(shown(app, "prob_alive"))
    assert alive["bgnbd"] == 1.0
    assert alive["mbgnbd"] < 0.5 and alive["pareto_nbd"] < 0.5


def test_both_views_show_a_figure(app):
    for view in ("expected", "alive"):
        app.controls["view"].value = view
        (image,) = app.figure.outputs
        assert image["data"]["image/png"].startswith("iVBOR")


def test_the_heat_map_marks_the_customer():
    model = fitted_models()[0]["bgnbd"]
    for fig in (
        plot_alive_heatmap(alive_grid(model, 38.9), customer=(30.4, 2)),
        plot_expected_heatmap(expected_grid(model, 52, 38.9), customer=(30.4, 2)),
    ):
        (ring,) = fig.axes[0].get_lines()
        assert list(ring.get_xdata()) == [30.4] and list(ring.get_ydata()) == [2]
        assert ring.get_label() == "this customer"
    assert plot_alive_heatmap(alive_grid(model, 38.9)).axes[0].get_lines() == []


def test_a_refusal_is_shown_not_raised(app, monkeypatch):
    model = fitted_models()[0]["bgnbd"]

    def refuse(*args, **kwargs):
        raise ParameterError("discount_rate = 0 is refused here")

    monkeypatch.setattr(model, "clv", refuse)
    app.controls["model"].value = "mbgnbd"
    app.controls["model"].value = "bgnbd"
    assert "refused" in shown(app, "error")
    assert app.figure.outputs == ()
    monkeypatch.undo()
    app.refresh()
    assert "data-metric='clv'" in app.results.value


def test_every_slider_defers_updates(app):
    sliders = [c for c in app.controls.values() if type(c).__name__.endswith("Slider")]
    assert len(sliders) == 6
    assert all(c.continuous_update is False for c in sliders)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_app_speaks_its_language(lang):
    with crmkit.language(lang):
        built = APPS["clv"].build()
        title = APPS["clv"].title
    built.controls["frequency"].value = 5
    value = built.results.value
    rows = re.findall(r"<th>([^<]*)</th>", value)
    assert METRIC.findall(value) == [
        "prob_alive",
        "expected_purchases",
        "clv",
        "log_likelihood",
        "holdout_error_pct",
    ]
    labels = [label for label, _ in built.controls["model"].options]
    if lang == "zh":
        assert title == "客户终身价值"
        assert all(CJK.search(t) for t in [*rows, caption(built), *labels])
        assert "未来 52 周的预期购买次数" in rows
        assert "检验期" in value
    else:
        assert title == "Customer lifetime value 客户终身价值"
        assert labels == ["BG/NBD", "MBG/NBD", "Pareto/NBD"]
        assert "purchases expected in the next 52 weeks" in rows
        assert not CJK.search(caption(built))
    assert [v for _, v in built.controls["model"].options] == [
        "bgnbd",
        "mbgnbd",
        "pareto_nbd",
    ]
