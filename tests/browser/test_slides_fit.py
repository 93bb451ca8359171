"""The chapter slides fit a 16:9 screen: measured in Chromium, slide by slide.

A module fixture builds the 22 decks (both editions) as ``make slides`` does, into
``_build/slide-fit`` (apart from ``_build/slides``, which ``tests/test_site.py`` writes
at the same time), and ``tools/slide_fit.py`` opens each one at 1280 x 720 and visits
every slide. The executed notebooks are cached in ``_build/slides-cache`` under a key of
the notebook, the ``crmkit`` package, the data sets and the lock file, so a run after an
unchanged checkout only exports and measures; a fresh CI run executes every chapter
once more (nbval and the book build run them too; about 4 min of one core for the 22).

A slide overflows when its content reaches beyond 1280 x 720 or hides behind a scroll
bar; no slide may show more than 20 lines of code (the issue's rule). A slide taller than
the screen is continued on the next vertical slide by the template (whole cells, then
paragraphs, outputs or table rows; see ``tools/slides/crmkit_reveal``), so the measured
slides include those continuations. Slides that do not fit would be listed below with
what was measured (``python tools/slide_fit.py --allow-list FILE`` writes the lists); the
lists are empty and may only stay so. A slide that overflows and is not listed fails, and
so does a listed slide that fits now or that overflows by much more than was measured.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import REPO, require

pytestmark = [pytest.mark.browser, pytest.mark.slow]

_spec = importlib.util.spec_from_file_location(
    "slide_fit", REPO / "tools" / "slide_fit.py"
)
slide_fit = importlib.util.module_from_spec(_spec)
sys.modules["slide_fit"] = slide_fit  # its dataclass looks its module up there
_spec.loader.exec_module(slide_fit)

OUT = REPO / "_build" / "slide-fit"
EDITIONS = ("zh", "en")

#: (edition, chapter, slide title) -> overflow in px measured when the list was made.
#: Empty: the template's paginator continues a slide too tall for the screen on the next
#: one, so every slide of both editions fits (630 slides measured on 2026-12-01).
KNOWN_OVERFLOW: dict[tuple[str, str, str], int] = {}

#: (edition, chapter, slide title) -> lines of code on the slide; empty, as above (no
#: code cell of a chapter is longer than 20 lines, and the paginator splits a slide
#: between its cells when together they are)
KNOWN_LONG_CODE: dict[tuple[str, str, str], int] = {}


def _grown(measured: int, known: int) -> bool:
    """Much more than was measured (font rendering differs by a few px between
    machines; a slide that gains a cell gains far more)."""
    return measured > 1.25 * known + 40


@pytest.fixture(scope="module")
def fits() -> dict[str, list]:
    require(
        shutil.which("npm") is not None, "npm is not installed (apt-get install -y npm)"
    )
    require(
        CHROMIUM.exists(), "Chromium is not installed (apt-get install -y chromium)"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (it is in the test extras)")
    decks = slide_fit.build(OUT, EDITIONS)
    with sync_playwright() as pw:
        browser = slide_fit.chromium(pw)
        measured = [f for deck in decks for f in slide_fit.measure(browser, deck)]
        browser.close()
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    (REPO / "test-artifacts" / "slide-fit.md").write_text(
        slide_fit.table(measured) + "\n", encoding="utf-8"
    )
    return {e: [f for f in measured if f.edition == e] for e in EDITIONS}


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_is_measured(fits, edition):
    chapters = sorted({f.chapter for f in fits[edition]})
    assert [c[:2] for c in chapters] == [f"{n:02d}" for n in range(11)]
    assert len(fits[edition]) >= 11 * 5
    keys = [(f.chapter, f.title) for f in fits[edition]]
    assert len(set(keys)) == len(keys), "slide_fit numbers a title that repeats"
    # the measurement can fail: the first chapter's title slide is short
    first = fits[edition][0]
    assert first.fits and first.down < 0


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_slide_overflows(fits, edition):
    seen = {(f.edition, f.chapter[:2], f.title): f for f in fits[edition] if not f.fits}
    known = {k: v for k, v in KNOWN_OVERFLOW.items() if k[0] == edition}
    new = {k: f"{f.overflow} px ({f.where})" for k, f in seen.items() if k not in known}
    assert not new, f"slides that overflow the 16:9 screen: {new}"
    fixed = sorted(k for k in known if k not in seen)
    assert not fixed, f"these fit now; remove them from KNOWN_OVERFLOW: {fixed}"
    grown = {
        k: (known[k], f.overflow)
        for k, f in seen.items()
        if _grown(f.overflow, known[k])
    }
    assert not grown, f"overflow grew (listed px, measured px): {grown}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_slide_shows_more_than_20_lines_of_code(fits, edition):
    limit = slide_fit.MAX_CODE_LINES
    seen = {(f.edition, f.chapter[:2], f.title): f.code_lines for f in fits[edition]}
    long = {k: n for k, n in seen.items() if n > limit}
    known = {k: n for k, n in KNOWN_LONG_CODE.items() if k[0] == edition}
    new = {k: n for k, n in long.items() if k not in known}
    assert not new, f"slides with more than {limit} lines of code: {new}"
    fixed = sorted(k for k in known if k not in long)
    assert not fixed, f"these show {limit} lines or fewer now; unlist them: {fixed}"
    grown = {k: (known[k], n) for k, n in long.items() if n > known[k]}
    assert not grown, f"more code than listed (listed, measured): {grown}"


def test_speaker_view_shows_the_notes_offline(fits):
    """Key S opens reveal.js's speaker view (a window built by the notes plugin from
    the local copy), which shows the current slide's note; nothing is fetched from a
    network."""
    import re
    import tomllib

    from playwright.sync_api import sync_playwright

    stem = "06_queue_models_and_staffing"
    notes = REPO / "instructor" / "speaker_notes" / f"{stem}.toml"
    require(notes.is_file(), f"no speaker notes for {stem} yet")
    first = tomllib.loads(notes.read_text(encoding="utf-8"))["slide"][0]["zh"]
    words = re.findall(r"[\u4e00-\u9fff]{6,}", first)[0]
    deck = OUT / "zh" / f"{stem}.slides.html"
    refused: list[str] = []
    with sync_playwright() as pw:
        browser = slide_fit.chromium(pw)
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file://", "about:"))
                else (refused.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        with context.expect_page(timeout=30_000) as popup:
            page.keyboard.press("s")
        view = popup.value
        view.wait_for_selector(".speaker-controls-notes", timeout=30_000)
        view.wait_for_function(
            "(w) => document.querySelector('.speaker-controls-notes')"
            ".innerText.includes(w)",
            arg=words,
            timeout=30_000,
        )
        shown = view.inner_text(".speaker-controls-notes")
        view.screenshot(path=str(REPO / "test-artifacts" / "speaker-view.png"))
        browser.close()
    assert words in shown
    assert refused == []
