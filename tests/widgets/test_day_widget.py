"""The day explorer without a browser: set the controls like a user and compare what
it shows with the library's own staffing and simulation, in both languages."""

from __future__ import annotations

import re

import pytest

import crmkit
from crmkit.queues import (
    isa_staffing,
    lagged_sipp_staffing,
    simulate_day,
    sipp_staffing,
)
from crmkit.widgets import APPS, day_explorer
from crmkit.widgets._day import INTERVAL_MIN, WITHIN_MIN, day_rates

CJK = re.compile(r"[\u3400-\u9fff]")
METHODS = {"sipp": sipp_staffing, "lagged": lagged_sipp_staffing, "isa": isa_staffing}


def shown(app, metric: str) -> str:
    match = re.search(rf"data-metric='{metric}'>([^<]*)<", app.results.value)
    assert match, f"{metric} not shown"
    return match.group(1)


def expected(app, method: str, seed: int, replications: int, isa_reps: int):
    """The plan and the simulated day the library gives for the app's controls."""
    v = {k: c.value for k, c in app.controls.items()}
    rates = day_rates(v["peak_per_hour"], v["peak_hour"])
    mu = 1 / v["handle_time_min"]
    target = {"service_level": v["target"], "within": WITHIN_MIN}
    extra = {"replications": isa_reps, "seed": seed} if method == "isa" else {}
    plan = METHODS[method](rates, INTERVAL_MIN, mu, **target, **extra)
    day = simulate_day(
        rates,
        INTERVAL_MIN,
        plan,
        mu,
        within=WITHIN_MIN,
        replications=replications,
        seed=seed + 1,
    ).table
    return v, plan, day


def test_the_day_has_its_peak_where_the_slider_says():
    rates = day_rates(300, 14.0)
    assert len(rates) == 24 and rates.index[0] == 8.0 and rates.index[-1] == 19.5
    assert rates.idxmax() in (13.5, 14.0)  # the half hours around 14:00
    assert rates.max() < 300 / 60 and rates.min() >= 0.2 * 300 / 60


@pytest.mark.parametrize(
    ("method", "lang"), [("sipp", "en"), ("lagged", "zh"), ("isa", "en")]
)
def test_the_explorer_shows_the_library_numbers(method, lang):
    with crmkit.language(lang):
        app = day_explorer(seed=5, replications=10, isa_replications=4)
        app.controls["method"].value = method
    v, plan, day = expected(app, method, seed=5, replications=10, isa_reps=4)
    assert shown(app, "server_hours") == f"{plan.server_minutes / 60:.1f}"
    assert shown(app, "peak_servers") == str(max(plan.servers))
    below = int((day["service_level_ci_high"] < v["target"]).sum())
    assert shown(app, "below_target") == f"{below} / 24"
    worst = day["service_level"].idxmin()
    assert shown(app, "lowest").startswith(f"{day['service_level'][worst]:.0%} (")
    (image,) = app.figure.outputs
    assert image["data"]["image/png"].startswith("iVBOR")
    for row in re.findall(r"<th>([^<]*)</th>", app.results.value):
        assert bool(CJK.search(row)) == (lang == "zh") or "座席" in row, row


def test_sipp_misses_where_the_peak_falls_and_lagged_sipp_does_less():
    app = day_explorer()  # 240 calls an hour at 11:00, 8-minute calls, 60 days
    sipp = int(shown(app, "below_target").split("/")[0])
    app.controls["method"].value = "lagged"
    lagged = int(shown(app, "below_target").split("/")[0])
    assert sipp >= 1 and lagged < sipp


def test_both_languages_show_the_same_metrics_and_the_app_is_registered():
    with crmkit.language("zh"):
        zh = day_explorer(replications=5, isa_replications=4)
    en = day_explorer(replications=5, isa_replications=4)
    keys = re.compile(r"data-metric='([^']*)'")
    assert keys.findall(zh.results.value) == keys.findall(en.results.value)
    assert (
        zh.controls["method"]._options_values == en.controls["method"]._options_values
    )
    assert APPS["day"].build is day_explorer
    for control in zh.controls.values():
        if hasattr(control, "continuous_update"):
            assert control.continuous_update is False


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_request_shows_a_note_in_the_language(lang):
    with crmkit.language(lang):
        app = day_explorer(replications=1)  # simulate_day needs at least 2 days
    note = shown(app, "error")
    assert "replications" in note
    assert bool(CJK.search(note)) == (lang == "zh")
    assert app.figure.outputs == ()
