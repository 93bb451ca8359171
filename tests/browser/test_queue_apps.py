"""The queue, perceived-waiting and simulation apps in Chromium."""

from __future__ import annotations

import time

from crmkit.widgets import APPS
from tests.browser.conftest import (
    ARTIFACTS,
    open_app,
    shown_in_python,
    slider_handle,
    voila,
    wait_until_shown,
)


def settled(handle, before: str, timeout: float = 10.0) -> str:
    """The slider's shown value once it has moved from ``before`` and stopped moving.

    noUiSlider keeps ``aria-valuenow`` for float sliders; ``aria-valuetext`` follows.
    """
    deadline = time.monotonic() + timeout
    last = before
    while time.monotonic() < deadline:
        now = handle.get_attribute("aria-valuetext")
        if now != before and now == last:
            return now
        last = now
        time.sleep(0.1)
    raise AssertionError(f"the slider stayed at {before}")


def _press(browser, app_name, description, control, keys, value):
    """Move a slider with the keyboard to ``value``; the page must then show what crmkit
    computes for that value."""
    reference = APPS[app_name].build()
    with voila(app_name) as url:
        page = open_app(browser, url)
        wait_until_shown(page, shown_in_python(reference))  # the first state
        handle = slider_handle(page, description)
        before = handle.get_attribute("aria-valuetext")
        handle.focus()
        for key in keys:
            handle.press(key)
        settled(handle, before)
        current = reference.controls[control].value
        reference.controls[control].value = type(current)(value)
        wait_until_shown(page, shown_in_python(reference))
        page.screenshot(path=str(ARTIFACTS / f"{app_name}.png"), full_page=True)
        page.close()


def test_queues_app_agents_by_keyboard(browser):
    _press(browser, "queues", "agents 座席", "agents", ["ArrowRight"] * 2, 14.0)


def test_simulation_app_midday_agents(browser):
    _press(browser, "simulation", "agents 12–16", "agents_midday", ["ArrowRight"], 7.0)


def test_perceived_waiting_app_checkbox_by_mouse(browser):
    reference = APPS["perceived_waiting"].build()
    with voila("perceived_waiting") as url:
        page = open_app(browser, url)
        wait_until_shown(page, shown_in_python(reference))
        box = page.locator(".widget-checkbox", has_text="occupied")
        box.locator("input[type=checkbox]").click()
        reference.controls["occupied"].value = True
        wait_until_shown(page, shown_in_python(reference))
        page.screenshot(path=str(ARTIFACTS / "perceived_waiting.png"), full_page=True)
        page.close()
