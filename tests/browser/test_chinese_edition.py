"""The Chinese edition in Chromium: a zh explorer app and a zh chapter, each served by
Voila and driven like a student would; labels are Chinese, the numbers are what
crmkit computes, and no character (in the page or in a figure) misses its glyph."""

from __future__ import annotations

import re

import crmkit
from crmkit.widgets import APPS
from tests.browser.conftest import (
    ARTIFACTS,
    missing_glyphs,
    open_app,
    shown_in_python,
    slider_handle,
    voila,
    wait_until_shown,
)
from tests.browser.test_queue_apps import settled

CJK = re.compile(r"[\u4e00-\u9fff]")


def _no_missing_glyph_in_figures(app: str, edition: str) -> None:
    log = (ARTIFACTS / f"{app}-{edition}.log").read_text(encoding="utf-8")
    assert "missing from" not in log, "a figure label misses a glyph; see the log"


def test_zh_queues_app_speaks_chinese_and_answers(browser):
    with crmkit.language("zh"):
        reference = APPS["queues"].build()
        label = reference.controls["agents"].description
        assert CJK.search(label), label
        with voila("queues", "zh") as url:
            page = open_app(browser, url)
            wait_until_shown(page, shown_in_python(reference))
            handle = slider_handle(page, label)
            before = handle.get_attribute("aria-valuetext")
            handle.focus()
            handle.press("ArrowRight")
            settled(handle, before)
            reference.controls["agents"].value += 1
            wait_until_shown(page, shown_in_python(reference))
            text = page.inner_text("body")
            assert len(CJK.findall(text)) > 20, text[:300]
            glyphs = missing_glyphs(page)
            page.screenshot(path=str(ARTIFACTS / "queues-zh.png"), full_page=True)
            page.close()
    assert glyphs["chars"] > 10 and glyphs["missing"] == [], glyphs
    _no_missing_glyph_in_figures("queues", "zh")


def test_zh_chapter_runs_with_its_widget(browser):
    """Chapter 06 of the Chinese edition, run top to bottom by Voila: its prose is
    Chinese and its queue explorer answers in Chinese."""
    path = "notebooks/zh/06_queue_models_and_staffing.ipynb"
    with (
        crmkit.language("zh"),
        voila("chapter06", "zh", path=path) as url,
    ):
        page = open_app(browser, url)
        page.get_by_text("排队模型与人员配置", exact=False).first.wait_for(
            timeout=120_000
        )
        text = page.inner_text("body")
        glyphs = missing_glyphs(page)
        page.screenshot(path=str(ARTIFACTS / "chapter06-zh.png"), full_page=True)
        page.close()
    assert "服务水平" in text and "利特尔法则" in text
    assert glyphs["chars"] > 200 and glyphs["missing"] == [], glyphs["missing"][:20]
    _no_missing_glyph_in_figures("chapter06", "zh")
