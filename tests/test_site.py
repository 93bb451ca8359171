"""The offline course website (Jupyter Book 1) and the reveal.js slides build and load
nothing from the internet.

Both need npm for their local copies of MathJax, reveal.js and the widget renderer
(``tools/web``); outside CI the tests skip without it, in CI they are required. The book
build executes every notebook with warnings as errors (about five minutes).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, FLAGS
from tests.conftest import REPO, require

BUILD = REPO / "_build"


class _Refs(HTMLParser):
    """Collects what a page loads: script src, link href (stylesheets), img src."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.loads.append(a["src"])
        if (
            tag == "link"
            and a.get("rel") in ("stylesheet", "preload")
            and a.get("href")
        ):
            self.loads.append(a["href"])
        if tag == "img" and a.get("src"):
            self.loads.append(a["src"])


def external_loads(page: Path) -> list[str]:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    modules = re.findall(r"import\s+\w+\s+from\s+['\"](https?://[^'\"]+)", text)
    return [u for u in parser.loads if re.match(r"(https?:)?//", u)] + modules


def _files_only(refused: list[str]):
    """A Playwright route handler: files load, anything from a network is refused."""

    def handle(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    return handle


def _build(task: str, *args: str) -> subprocess.CompletedProcess:
    require(
        shutil.which("npm") is not None, "npm is not installed (apt-get install -y npm)"
    )
    return subprocess.run(
        [sys.executable, "tasks.py", task, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def site() -> Path:
    res = _build("book")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    return BUILD / "book" / "_build" / "html"


def test_book_has_both_editions_of_every_chapter_and_exercise(site):
    for lang in ("zh", "en"):
        for folder in ("notebooks", "exercises"):
            pages = sorted(
                p.stem for p in (site / lang / folder).glob("[0-9][0-9]_*.html")
            )
            assert len(pages) == 11, (lang, folder, pages)  # 00-10
        research = sorted(
            p.stem for p in (site / lang / "notebooks" / "research").glob("*.html")
        )
        assert research == sorted(
            p.stem for p in (REPO / "source" / "research").glob("*.ipynb")
        )
    index = (site / "intro.html").read_text(encoding="utf-8")
    assert "中文版 · 章节" in index and "English · Chapters" in index
    assert index.find("中文版 · 章节") < index.find("English · Chapters")


def test_book_pages_switch_between_editions(site):
    """Every page links to the same page of the other edition."""
    script = site / "_static" / "edition-switch.js"
    assert script.exists()
    zh = (site / "zh" / "notebooks" / "02_segmentation.html").read_text(
        encoding="utf-8"
    )
    assert "edition-switch.js" in zh
    assert "客户细分" in zh


def _solution_lines() -> set[str]:
    """Lines of worked solutions that the student copies do not show."""
    import json

    from crmkit.exercises import student_source

    hidden = set()
    for path in (REPO / "exercises" / "solutions").glob("*/*.ipynb"):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                if "solution" in cell["metadata"].get("tags", []):
                    hidden |= {ln.strip() for ln in text.splitlines()}
                continue
            shown = set(student_source(text).splitlines())
            hidden |= {ln.strip() for ln in text.splitlines() if ln not in shown}
    return {ln for ln in hidden if len(ln) > 30 and "..." not in ln}


def test_student_site_holds_no_solution(site):
    """The answers stay off the students' website: no solution page, and no line of a
    worked solution on any page."""
    import html

    assert not list(site.rglob("solutions"))
    hidden = _solution_lines()
    assert len(hidden) > 50  # the check below has something to find
    for page in site.rglob("*.html"):
        text = html.unescape(page.read_text(encoding="utf-8"))
        leaked = [ln for ln in hidden if ln in text]
        assert not leaked, (page.name, leaked[:3])
    assert "参考答案不在本站" in (site / "intro.html").read_text(encoding="utf-8")
    # nor the instructor's kit: guide, multiple-choice bank and its answer key
    assert not (site / "instructor").exists()
    assert (site / "references.html").exists()


def test_instructor_site_holds_the_worked_solutions():
    res = _build("book-instructor")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    site = BUILD / "book-instructor" / "_build" / "html"
    for lang in ("zh", "en"):
        pages = list(
            (site / lang / "exercises" / "solutions").glob("[0-9][0-9]_*.html")
        )
        assert len(pages) == 11, lang  # 00-10
        assert list((site / lang / "notebooks" / "research").glob("*.html")), lang
    sol = site / "en" / "exercises" / "solutions" / "06_queue_models_and_staffing.html"
    assert "basic checks passed" in sol.read_text(encoding="utf-8")
    sol_zh = (
        site / "zh" / "exercises" / "solutions" / "06_queue_models_and_staffing.html"
    )
    assert "基本检查通过" in sol_zh.read_text(encoding="utf-8")
    assert external_loads(sol) == []
    kit = site / "instructor"
    assert (kit / "guide_zh.html").exists() and (kit / "guide_en.html").exists()
    for lang in ("zh", "en"):
        banks = sorted((kit / "mcq" / lang).glob("ch*.html"))
        assert len(banks) == 10, (lang, banks)
    assert "ch06_m01" in (kit / "mcq" / "en" / "ch06.html").read_text(encoding="utf-8")
    for lang in ("zh", "en"):
        rubrics = (kit / "rubrics" / lang / "rubrics.html").read_text(encoding="utf-8")
        assert "ch06_q8" in rubrics, lang


def test_book_pages_hold_executed_outputs(site):
    page = (site / "en" / "notebooks" / "06_queue_models_and_staffing.html").read_text(
        encoding="utf-8"
    )
    assert ("cell_output" in page and "data:image/png;base64" in page) or ".png" in page


def test_book_loads_nothing_from_the_internet(site):
    offenders = {
        str(p.relative_to(site)): external_loads(p)
        for p in site.rglob("*.html")
        if external_loads(p)
    }
    assert offenders == {}
    assert (site / "_static" / "mathjax" / "tex-chtml.js").exists()
    page = (site / "zh" / "notebooks" / "03_customer_value.html").read_text(
        encoding="utf-8"
    )
    assert "_static/mathjax/tex-chtml.js" in page  # pages with formulas load it


def test_book_page_renders_math_and_widgets_offline(site):
    """Opened from disk with the network refused, a chapter shows its explorer (the
    state saved when the notebook ran) and typeset mathematics."""
    require(
        CHROMIUM.exists(), "Chromium is not installed (apt-get install -y chromium)"
    )
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.route("**/*", _files_only(refused))
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        chapter = site / "zh" / "notebooks" / "06_queue_models_and_staffing.html"
        page.goto(chapter.as_uri())
        page.wait_for_selector(".widget-slider", timeout=30_000)
        sliders = page.locator(".widget-slider").count()
        page.goto((site / "en" / "notebooks" / "03_customer_value.html").as_uri())
        page.wait_for_selector("mjx-container", timeout=30_000)
        browser.close()
    assert refused == []
    assert sliders >= 6
    assert not [e for e in errors if "CORS" in e or "Failed to load" in e]


def test_book_lists_every_notebook_run_time(site):
    page = (site / "runtimes.html").read_text(encoding="utf-8")
    for name in (
        "zh/notebooks/00_course_map",
        "en/notebooks/09_research_sweeps",
        "zh/exercises/08_complaint_handling",
    ):
        assert name in page
    assert len(re.findall(r"<tr", page)) >= 41  # a header and 40 notebooks


def test_slides_work_offline():
    res = _build("slides", "05_waiting")
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-4000:]
    for lang in ("zh", "en"):
        assert (BUILD / "slides" / lang / "05_waiting_psychology.slides.html").exists()
    deck = BUILD / "slides" / "zh" / "05_waiting_psychology.slides.html"
    assert external_loads(deck) == []
    text = deck.read_text(encoding="utf-8")
    assert "等待" in text
    for local in re.findall(r'(?:src|href)="(\.\./lib/[^"?]+)', text):
        assert (deck.parent / local).exists(), local
    for sheet in (deck.parent.parent / "lib").rglob("*.css"):
        if "theme" in sheet.parts and sheet.stem != "white":
            continue  # unused themes; the deck links only its own
        assert "googleapis" not in sheet.read_text(encoding="utf-8"), sheet
    assert "reveal.js" in text and "Reveal.initialize" in text
    _open_offline(deck)


def _open_offline(deck: Path) -> None:
    """Open the deck from disk in Chromium with every network request refused."""
    require(
        CHROMIUM.exists(), "Chromium is not installed (apt-get install -y chromium)"
    )
    from playwright.sync_api import sync_playwright

    refused: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.route("**/*", _files_only(refused))
        page.goto(deck.as_uri())
        # reveal.js marks its root "ready" once initialised (loaded through require.js,
        # so there is no global Reveal object)
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        slides = page.evaluate("document.querySelectorAll('.slides section').length")
        (REPO / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "test-artifacts" / "slides.png"))
        math = page.evaluate("typeof window.MathJax")
        browser.close()
    assert refused == []
    assert slides >= 8
    assert math == "object"
