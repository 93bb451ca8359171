"""Measure whether the chapter slides fit a 16:9 screen, in Chromium.

    python tools/slide_fit.py [--build] [--decks DIR] [--markdown FILE]
                              [--allow-list FILE] [zh|en] [NAME ...]

opens every deck ``DIR/<edition>/<chapter>.slides.html`` (default ``_build/slides``, as
``make slides`` writes them; ``--build`` builds them first, into DIR) in Debian's
Chromium through Playwright, at a 1280 x 720 window, the slide size the decks configure.
It visits every slide with ``Reveal.slide(h, v)`` and measures

- the overflow: how far the slide's content reaches beyond 1280 x 720 (the section's
  ``scrollHeight`` and ``scrollWidth``), and how much any box inside it hides behind a
  scroll bar or a clip (``scrollHeight - clientHeight``, ``scrollWidth -
  clientWidth``): content that only fits by scrolling does not fit;
- the lines of code it shows (every line of its code cells, blank ones included: they
  take the screen too), at most :data:`MAX_CODE_LINES`.

It prints a summary per chapter and a table (edition, chapter, slide, title, overflow in
px, code lines), and exits 1 if a slide overflows or shows too much code.
``tests/browser/test_slides_fit.py`` runs the same measurement; ``--allow-list`` writes
its lists of the slides known not to fit.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECKS = ROOT / "_build" / "slides"
CHROMIUM = Path(os.environ.get("CRMKIT_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
#: the issue's rule: no slide carries more than about 20 lines of code
MAX_CODE_LINES = 20
#: what a slide may exceed its box by without counting: sub-pixel rounding, and the
#: 2 px that a table's or a widget label's scroll box reports beyond its border box
#: when nothing is hidden (seen in Chromium on 6 slides whose content shows whole)
TOLERANCE = 2


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


decks = _load("decks", ROOT / "tools" / "slides" / "decks.py")
speaker_notes = decks.speaker_notes


@dataclass(frozen=True)
class SlideFit:
    """How one slide fits: overflow beyond the slide (``down``, ``right``) and hidden
    behind a scroll bar inside it (``hidden``), in CSS px of the 1280 x 720 slide."""

    edition: str
    chapter: str
    index: int
    h: int
    v: int
    title: str
    down: int
    right: int
    hidden: int
    code_lines: int

    @property
    def overflow(self) -> int:
        return max(self.down, self.right, self.hidden, 0)

    @property
    def fits(self) -> bool:
        return self.overflow <= TOLERANCE

    @property
    def where(self) -> str:
        parts = [
            f"{what} +{px}"
            for what, px in (
                ("down", self.down),
                ("right", self.right),
                ("scrolled", self.hidden),
            )
            if px > TOLERANCE
        ]
        return ", ".join(parts)


#: visits every slide of the deck and measures it (Reveal is loaded by require.js, so
#: there is no global object: the same module id gives the same instance)
_MEASURE_JS = """
async ([revealUrl, width, height]) => {
  const Reveal = await new Promise((done) => require([revealUrl], done));
  Reveal.configure({transition: "none", backgroundTransition: "none"});
  if (window.MathJax && MathJax.Hub) {
    await new Promise((done) => MathJax.Hub.Queue(done));
  }
  await Promise.all([...document.images].map((img) => img.complete ? null :
    new Promise((done) => { img.onload = img.onerror = done; })));
  const clipped = /(auto|scroll|hidden|clip)/;
  const rows = [];
  Reveal.getHorizontalSlides().forEach((stack, h) => {
    const count = Math.max(stack.querySelectorAll(":scope > section").length, 1);
    for (let v = 0; v < count; v++) {
      Reveal.slide(h, v);
      const slide = Reveal.getCurrentSlide();
      let hidden = 0;
      for (const el of slide.querySelectorAll("*")) {
        const style = getComputedStyle(el);
        if (style.display === "none" || el.closest("aside.notes")) continue;
        if (clipped.test(style.overflowX)) {
          hidden = Math.max(hidden, el.scrollWidth - el.clientWidth);
        }
        if (clipped.test(style.overflowY)) {
          hidden = Math.max(hidden, el.scrollHeight - el.clientHeight);
        }
      }
      const code = [...slide.querySelectorAll(".jp-CodeCell .jp-InputArea-editor")]
        .map((e) => e.innerText.replace(/\\s+$/, "").split("\\n").length)
        .reduce((a, b) => a + b, 0);
      rows.push({h, v, down: slide.scrollHeight - height,
                 right: slide.scrollWidth - width, hidden, code,
                 cont: slide.classList.contains("crmkit-continued")});
    }
  });
  return rows;
}
"""


class StaleDeck(RuntimeError):
    """The deck does not have the notebook's slides: it was built before a change."""


def chromium(playwright):
    """Debian's Chromium, driven by Playwright (which cannot download one here)."""
    path = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if path is None:
        raise FileNotFoundError(
            "Chromium is not installed: apt-get install -y chromium (or set "
            "CRMKIT_CHROMIUM to its path)"
        )
    return playwright.chromium.launch(executable_path=str(path), args=FLAGS)


def measure(browser, deck: Path) -> list[SlideFit]:
    """Open ``deck`` in ``browser`` and measure every slide."""
    edition, chapter = deck.parent.name, deck.name.removesuffix(".slides.html")
    nb = ROOT / "notebooks" / edition / f"{chapter}.ipynb"
    titles = speaker_notes.slide_titles(speaker_notes.read_notebook(nb))
    page = browser.new_page(viewport={"width": decks.WIDTH, "height": decks.HEIGHT})
    try:
        page.goto(deck.as_uri())
        page.wait_for_selector(".reveal.ready", timeout=60_000)
        # the deck continues a slide too tall for the screen on the next one (the
        # template's paginator), once figures, MathJax and widgets have rendered
        page.wait_for_selector(".reveal.crmkit-paginated", timeout=60_000)
        rows = page.evaluate(
            _MEASURE_JS, ["../lib/reveal.js/dist/reveal.js", decks.WIDTH, decks.HEIGHT]
        )
    finally:
        page.close()
    own = [r for r in rows if not r["cont"]]
    if len(own) != len(titles):
        raise StaleDeck(
            f"{deck}: {len(own)} slides, the notebook {len(titles)}: the deck is "
            "older than the notebook; build it again (make slides, or --build)"
        )
    # a title that repeats in the chapter gets its number: "Explore (2)"
    titles = [
        t if titles[:k].count(t) == 0 else f"{t} ({titles[:k].count(t) + 1})"
        for k, t in enumerate(titles)
    ]
    # a continued slide (the paginator's) is named after its slide: "Title (cont. 2)"
    named, part = [], 0
    it = iter(titles)
    for r in rows:
        if r["cont"]:
            part += 1
            named.append(f"{named[-1].split(' (cont. ')[0]} (cont. {part + 1})")
        else:
            part = 0
            named.append(next(it))
    titles = named
    return [
        SlideFit(
            edition,
            chapter,
            k,
            r["h"],
            r["v"],
            title,
            r["down"],
            r["right"],
            r["hidden"],
            r["code"],
        )
        for k, (r, title) in enumerate(zip(rows, titles, strict=True), 1)
    ]


def build(out: Path, editions, names=()) -> list[Path]:
    """Build the decks into ``out`` as ``make slides`` does; returns them."""
    tasks = _load("tasks", ROOT / "tasks.py")
    tasks.slide_libraries(out)
    return [
        decks.build(path, out)[0]
        for edition in editions
        for path in decks.chapters(edition, names)
    ]


def table(fits: list[SlideFit]) -> str:
    """A markdown table of the measurements, one row per slide."""
    out = [
        "| edition | chapter | slide | title | overflow px | where | code lines |",
        "|---|---|---|---|---:|---|---:|",
    ]
    for f in fits:
        code = f"**{f.code_lines}**" if f.code_lines > MAX_CODE_LINES else f.code_lines
        px = f"**{f.overflow}**" if not f.fits else "0"
        short = f.title if len(f.title) <= 60 else f.title[:59] + "…"
        title = short.replace("|", "\\|")
        out.append(
            f"| {f.edition} | {f.chapter[:2]} | {f.index} ({f.h}.{f.v}) | {title} "
            f"| {px} | {f.where} | {code} |"
        )
    return "\n".join(out)


def summary(fits: list[SlideFit]) -> str:
    """A markdown table per chapter: slides, how many overflow (zh, en), and how
    many show more than :data:`MAX_CODE_LINES` lines of code."""
    out = [
        "| chapter | slides | overflow zh | overflow en | worst px | > "
        f"{MAX_CODE_LINES} code lines |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for chapter in sorted({f.chapter for f in fits}):
        mine = [f for f in fits if f.chapter == chapter]
        by = {e: [f for f in mine if f.edition == e] for e in decks.EDITIONS}
        slides = max(len(v) for v in by.values())
        over = {e: sum(not f.fits for f in v) for e, v in by.items()}
        long = max(sum(f.code_lines > MAX_CODE_LINES for f in v) for v in by.values())
        worst = max(f.overflow for f in mine)
        out.append(
            f"| {chapter} | {slides} | {over['zh']} | {over['en']} | {worst} | {long} |"
        )
    return "\n".join(out)


def allow_lists(fits: list[SlideFit]) -> str:
    """The slides that do not fit, as the two dicts of
    ``tests/browser/test_slides_fit.py`` (to paste there)."""
    out = ["KNOWN_OVERFLOW: dict[tuple[str, str, str], int] = {"]
    out += [
        f"    ({f.edition!r}, {f.chapter[:2]!r}, {f.title!r}): {f.overflow},"
        for f in fits
        if not f.fits
    ]
    out += ["}", "", "KNOWN_LONG_CODE: dict[tuple[str, str, str], int] = {"]
    out += [
        f"    ({f.edition!r}, {f.chapter[:2]!r}, {f.title!r}): {f.code_lines},"
        for f in fits
        if f.code_lines > MAX_CODE_LINES
    ]
    return "\n".join([*out, "}"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decks", type=Path, default=DECKS, help="the slides folder")
    parser.add_argument("--build", action="store_true", help="build the decks first")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument(
        "--allow-list", type=Path, help="write the test's lists of known misfits here"
    )
    parser.add_argument("names", nargs="*", help="zh, en and parts of chapter names")
    args = parser.parse_args(argv)
    names = [n for n in args.names if n not in decks.EDITIONS]
    editions = [e for e in decks.EDITIONS if e in args.names] or list(decks.EDITIONS)
    if args.build:
        paths = build(args.decks, editions, names)
    else:
        paths = [
            args.decks / e / f"{p.stem}.slides.html"
            for e in editions
            for p in decks.chapters(e, names)
        ]
        absent = [p for p in paths if not p.is_file()]
        if absent:
            print(f"not built: {absent[0]} (run make slides, or --build)")
            return 2
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = chromium(pw)
        fits, stale = [], []
        for deck in paths:
            try:
                fits += measure(browser, deck)
            except StaleDeck as exc:
                stale.append(str(exc))
        browser.close()
    text = summary(fits) + "\n\n" + table(fits)
    print(text)
    for line in stale:
        print(f"not measured: {line}")
    bad = [f for f in fits if not f.fits or f.code_lines > MAX_CODE_LINES]
    print(
        f"{len(fits)} slides: {sum(not f.fits for f in fits)} overflow, "
        f"{sum(f.code_lines > MAX_CODE_LINES for f in fits)} show more than "
        f"{MAX_CODE_LINES} lines of code"
    )
    if args.markdown:
        args.markdown.write_text(text + "\n", encoding="utf-8")
    if args.allow_list:
        args.allow_list.write_text(allow_lists(fits) + "\n", encoding="utf-8")
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main())
