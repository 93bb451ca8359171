"""Explorers without a browser: set a control like a user, read the numbers shown."""

from __future__ import annotations

import re

import pytest

from crmkit.queues import ErlangA, MMc, staff
from crmkit.waiting import PerceivedWaitModel, WaitConditions
from crmkit.widgets import (
    complaint_explorer,
    glossary_explorer,
    perceived_wait_explorer,
    queue_explorer,
    simulation_explorer,
)


def shown(app, metric: str) -> str:
    match = re.search(rf"data-metric='{metric}'>([^<]*)<", app.results.value)
    assert match, f"{metric} not shown"
    return match.group(1)


def test_queue_explorer_shows_erlang_c_numbers():
    app = queue_explorer(calls_per_hour=200, handle_time_s=180, agents=12)
    app.controls["agents"].value = 14
    m = MMc(arrival_rate=200 / 60, service_rate=60 / 180, servers=14)
    assert shown(app, "service_level") == f"{m.service_level(20 / 60):.1%}"
    assert shown(app, "mean_wait_s") == f"{m.mean_wait * 60:.1f}"
    assert shown(app, "recommended") == str(
        staff(200 / 60, 1 / 3, service_level=0.8, within=1 / 3).servers
    )
    assert "data-metric='prob_abandon'" not in app.results.value
    (image,) = app.figure.outputs
    assert image["data"]["image/png"].startswith("iVBOR")  # a PNG is shown


def test_queue_explorer_switches_to_erlang_a_with_patience():
    app = queue_explorer()
    app.controls["patience_min"].value = 3.0
    v = {k: c.value for k, c in app.controls.items()}
    m = ErlangA(
        arrival_rate=v["calls_per_hour"] / 60,
        service_rate=60 / v["handle_time_s"],
        servers=v["agents"],
        abandonment_rate=1 / 3.0,
    )
    assert shown(app, "prob_abandon") == f"{m.prob_abandon:.1%}"
    assert "Erlang A" in app.results.value


def test_queue_explorer_reports_an_unstable_system_instead_of_crashing():
    app = queue_explorer(calls_per_hour=600, handle_time_s=180, agents=5)
    assert "unstable" in shown(app, "error")
    app.controls["agents"].value = 40
    assert "data-metric='service_level'" in app.results.value


def test_perceived_wait_explorer():
    app = perceived_wait_explorer(actual_min=4.0)
    model = PerceivedWaitModel()
    assert shown(app, "perceived_min") == f"{model.perceived(4.0):.2f}"
    app.controls["occupied"].value = True
    app.controls["explained"].value = True
    cond = WaitConditions(occupied=True, explained=True)
    assert shown(app, "perceived_min") == f"{model.perceived(4.0, cond):.2f}"
    app.controls["announcement"].value = "queue_position"
    assert shown(app, "patience_factor") == "×2.70"


def test_simulation_explorer_more_agents_fewer_abandon():
    app = simulation_explorer()
    before = float(shown(app, "prob_abandon").split("%")[0])
    app.controls["agents_morning"].value = 12
    after = float(shown(app, "prob_abandon").split("%")[0])
    assert after < before
    app.controls["vip_share"].value = 0.2
    vip = float(shown(app, "mean_wait_vip_s").split()[0])
    regular = float(shown(app, "mean_wait_regular_s").split()[0])
    assert vip < regular


def test_glossary_explorer_filters_by_chapter():
    app = glossary_explorer()
    app.controls["chapter"].value = "06"  # the label reads "06 queues"
    assert "Erlang C" in app.results.value and "touchpoint" not in app.results.value
    assert shown(app, "matches").startswith("22 of")
    app.controls["query"].value = "zzzz-no-such-term"
    assert shown(app, "matches").startswith("0 of")


@pytest.mark.parametrize(
    "build",
    [
        queue_explorer,
        perceived_wait_explorer,
        simulation_explorer,
        glossary_explorer,
        complaint_explorer,
    ],
)
def test_every_slider_defers_updates(build):
    app = build()
    for control in app.controls.values():
        if hasattr(
            control, "continuous_update"
        ) and control.__class__.__name__.endswith("Slider"):
            assert control.continuous_update is False


def test_segmentation_explorer_matches_abc_classes():
    from crmkit.datasets import load_cdnow
    from crmkit.segmentation import abc_classes, customer_summary
    from crmkit.widgets import segmentation_explorer

    summary = customer_summary(load_cdnow(sample=True))
    app = segmentation_explorer(summary, ks=range(2, 5))
    app.controls["a_cutoff"].value = 0.7
    classes = abc_classes(summary["total_spend"], cutoffs=(0.7, 0.95))
    share = (classes == "A").mean()
    assert shown(app, "share_A").startswith(f"{share:.1%}")
    app.controls["view"].value = "k"
    app.controls["k"].value = 3
    (image,) = app.figure.outputs
    assert image["data"]["image/png"].startswith("iVBOR")


def test_channel_explorer_ranks_like_the_library():
    from crmkit.channels import BENEFIT, course_channels, rank_channels, to_scores
    from crmkit.widgets import channel_explorer

    app = channel_explorer()
    app.controls["w_cost"].value = 0
    app.controls["w_richness"].value = 5
    app.controls["method"].value = "topsis"
    expected = rank_channels(
        to_scores(course_channels()), [0, 1, 5, 1], BENEFIT, method="topsis"
    ).set_index("channel")
    for channel, row in expected.iterrows():
        assert shown(app, f"rank_{channel}").startswith(
            f"{row['rank']:g} (score {row['score']:.3f})"
        )
    for name in ("w_cost", "w_speed", "w_richness", "w_interactivity"):
        app.controls[name].value = 0
    assert "positive weight" in shown(app, "error")


def test_complaint_explorer_matches_the_simulation():
    from crmkit.complaints import ComplaintScenario, WordOfMouth, simulate
    from crmkit.widgets import complaint_explorer

    app = complaint_explorer(customers=5000, periods=6, replications=30, seed=3)
    assert shown(app, "profit_vs_base").startswith("+0 ")  # the baseline itself
    app.controls["complaint_rate"].value = 0.4
    app.controls["resolution_rate"].value = 0.8
    res = simulate(
        ComplaintScenario(
            customers=5000,
            periods=6,
            complaint_rate=0.4,
            resolution_rate=0.8,
            acquisition=75,  # the explorer's default, 1.5 % of the base a period
        ),
        replications=30,
        seed=3,
    )
    totals = res.totals()["mean"]
    assert shown(app, "complaints").startswith(f"{totals['complaints']:,.0f} (")
    assert shown(app, "customers_end").startswith(f"{totals['customers_end']:,.0f} (")
    # more complaints, more of them resolved: more profit than the course baseline
    assert shown(app, "profit_vs_base").startswith("+")
    app.controls["complaint_rate"].value = 0.0
    assert shown(app, "silent_per_complaint") == "—"  # nobody complains: no ratio
    assert shown(app, "mentions") == "0 / 0"
    before = {key: shown(app, key) for key in ("customers_end", "new", "profit")}
    app.controls["word_of_mouth"].value = True
    talk = simulate(
        ComplaintScenario(
            customers=5000,
            periods=6,
            complaint_rate=0.0,
            resolution_rate=0.8,
            acquisition=75,
            word_of_mouth=WordOfMouth(),
        ),
        replications=30,
        seed=3,
    ).totals()["mean"]
    # nobody complains, so every problem is told to 9.5 people: fewer new customers
    assert shown(app, "new").startswith(f"{talk['new']:,.0f} (")
    assert shown(app, "customers_end").startswith(f"{talk['customers_end']:,.0f} (")
    assert shown(app, "mentions").startswith(f"{talk['wom_negative_mentions']:,.0f} /")
    assert talk["wom_negative_mentions"] > 0
    for key, value in before.items():
        assert shown(app, key) != value, key
    # silence now costs more than the (talking) baseline
    assert shown(app, "profit_vs_base").startswith("-")
    app.controls["acquisition"].value = 0
    # word of mouth acts on acquisition only: with none, nothing to keep away
    assert shown(app, "new").startswith("0 (")
    (image,) = app.figure.outputs
    assert image["data"]["image/png"].startswith("iVBOR")


def test_figure_output_keeps_labels_on_the_image():
    import base64
    import io

    import matplotlib.pyplot as plt
    from PIL import Image

    from crmkit.widgets._base import figure_output

    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ax.plot([0, 1], [0, 1e6])
    ax.set_ylabel("a very long label that sticks out\nover two lines")
    ax.set_xlabel("x")
    record = figure_output(fig)
    image = Image.open(io.BytesIO(base64.b64decode(record["data"]["image/png"])))
    pixels = image.convert("L").load()
    # cropped to content and no wider than the canvas; the left edge holds ink
    assert image.size[0] <= 400 and image.size[1] <= 300
    assert min(pixels[x, y] for x in range(12) for y in range(image.size[1])) < 128
