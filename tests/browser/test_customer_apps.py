"""The segmentation, channel and complaint apps in Chromium."""

from __future__ import annotations

from tests.browser.test_queue_apps import _press


def test_segmentation_app_a_cutoff(browser):
    _press(
        browser, "segmentation", "A: value share", "a_cutoff", ["ArrowLeft"] * 5, 0.75
    )


def test_channels_app_cost_weight(browser):
    _press(browser, "channels", "cost 成本", "w_cost", ["ArrowRight"] * 3, 4.0)


def test_complaints_app_resolution(browser):
    _press(
        browser,
        "complaints",
        "resolved | complaint",
        "resolution_rate",
        ["ArrowRight"] * 2,
        0.6,
    )
