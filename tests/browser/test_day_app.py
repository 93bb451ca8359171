"""The day app (staffing a day with a peak) in Chromium, in both editions: pick another
staffing method in the page, wait for its answer, and check that the page shows the
numbers the same app computes in Python."""

from __future__ import annotations

import pytest

import crmkit
from crmkit.widgets import APPS
from tests.browser.conftest import (
    ARTIFACTS,
    open_app,
    shown_in_page,
    shown_in_python,
    voila,
    wait_until_shown,
)


@pytest.mark.parametrize(("edition", "method"), [("en", "isa"), ("zh", "lagged")])
def test_day_app_method_changes_the_plan(browser, edition, method):
    with crmkit.language(edition):
        reference = APPS["day"].build()
        first = shown_in_python(reference)
        dropdown = reference.controls["method"]
        dropdown.value = method
        label = dropdown.label
        expected = shown_in_python(reference)
        assert expected != first  # the method changes what is shown
        with voila("day", edition) as url:
            page = open_app(browser, url)
            wait_until_shown(page, first, timeout=180)
            page.locator(".widget-dropdown select").select_option(label=label)
            wait_until_shown(page, expected, timeout=300)
            page.screenshot(path=str(ARTIFACTS / f"day-{edition}.png"), full_page=True)
            shown = shown_in_page(page)
            page.close()
    assert set(shown) == {"server_hours", "peak_servers", "below_target", "lowest"}
