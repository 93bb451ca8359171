"""Build the chapter slide decks: reveal.js, offline, with the speaker notes.

    python tools/slides/decks.py --out DIR [zh|en] [NAME ...]

writes ``DIR/<edition>/<chapter>.slides.html`` for every chapter of the editions named
(both when none is) whose stem contains one of the NAMEs (all when none is given).
``python3 tasks.py slides`` calls it after copying reveal.js, MathJax, require.js,
jQuery and the widget renderer into ``DIR/lib``, which the decks load by relative paths.

Each chapter notebook is executed with nbclient (its widgets' state is kept, so the
explorers show in the deck); the executed copy is kept in ``_build/slides-cache`` under
a key made of the notebook, every file of the ``crmkit`` package and of ``datasets/``,
the lock file and the Python version, so it is reused only while none of them changed.
The speaker notes of ``instructor/speaker_notes`` go in as ``"notes"`` cells
(:func:`speaker_notes.with_notes`), which nbconvert writes as ``<aside class="notes">``;
reveal.js shows them in its speaker view (key ``S``). A chapter without a notes file is
built without notes, and says so. The template (``crmkit_reveal``) sets the slide size,
16:9 at 1280 x 720, and the sizes of text, code and figures so that a slide fits.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent
CACHE = ROOT / "_build" / "slides-cache"
EDITIONS = ("zh", "en")
#: the slide size reveal.js lays out (it scales the slide to the screen): 16:9
WIDTH, HEIGHT = 1280, 720
#: what a cached execution depends on besides the notebook itself
INPUTS = ("crmkit", "datasets", "requirements/lock.txt")


def _speaker_notes():
    spec = importlib.util.spec_from_file_location(
        "speaker_notes", ROOT / "tools" / "speaker_notes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


speaker_notes = _speaker_notes()


def chapters(edition: str, names: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """The chapter notebooks of ``edition`` whose stem contains one of ``names``."""
    found = sorted((ROOT / "notebooks" / edition).glob("[0-9][0-9]_*.ipynb"))
    return [p for p in found if not names or any(n in p.stem for n in names)]


def cache_key(path: Path) -> str:
    """A digest of the notebook and of everything its outputs depend on."""
    digest = hashlib.sha256(path.read_bytes())
    files = [ROOT / name for name in INPUTS]
    for item in files:
        members = sorted(item.rglob("*")) if item.is_dir() else [item]
        for f in members:
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(str(f.relative_to(ROOT)).encode())
                digest.update(f.read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def executed(path: Path, timeout: int = 600) -> dict:
    """The notebook at ``path`` with its outputs (from the cache when still valid)."""
    edition = path.parent.name
    cached = CACHE / edition / path.name
    stamp = cached.with_suffix(".key")
    key = cache_key(path)
    if cached.is_file() and stamp.is_file() and stamp.read_text() == key:
        return json.loads(cached.read_text(encoding="utf-8"))
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(nbformat.writes(nb), encoding="utf-8")
    stamp.write_text(key)
    return json.loads(nbformat.writes(nb))


def exporter():
    """nbconvert's slides exporter with the crmkit template and local libraries."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.template_name = "crmkit_reveal"
    c.SlidesExporter.reveal_url_prefix = "../lib/reveal.js"
    # "white" uses the fonts shipped with reveal.js; "simple" fetches Google Fonts
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_width = str(WIDTH)
    c.SlidesExporter.reveal_height = str(HEIGHT)
    c.SlidesExporter.require_js_url = "../lib/require.js"
    c.SlidesExporter.jquery_url = "../lib/jquery.min.js"
    c.SlidesExporter.mathjax_url = "../lib/mathjax/MathJax.js?config=TeX-AMS_CHTML-full"
    c.SlidesExporter.widget_renderer_url = "../lib/html-manager/embed-amd.js"
    c.SlidesExporter.font_awesome_url = ""
    return SlidesExporter(config=c)


def aligned(stem: str, notes: list[dict]) -> bool:
    """Whether the k-th note is the k-th slide's in both editions."""
    titles = [n.get("title") for n in notes]
    en, zh = (
        speaker_notes.read_notebook(ROOT / "notebooks" / e / f"{stem}.ipynb")
        for e in ("en", "zh")
    )
    starts = len(speaker_notes.slide_starts(zh))
    return titles == speaker_notes.slide_titles(en) and starts == len(titles)


def build(path: Path, out: Path) -> tuple[Path, bool]:
    """Write the deck of the edition notebook ``path`` into ``out/<edition>``;
    returns the deck and whether it carries speaker notes."""
    import nbformat

    nb = executed(path)
    notes = speaker_notes.load(path.stem)
    if notes is not None and not aligned(path.stem, notes):
        print(
            f"{path.stem}: the notes' titles are not the slides' (python "
            "tools/speaker_notes.py --check); built without notes"
        )
        notes = None
    if notes is not None:
        nb = speaker_notes.with_notes(nb, notes, path.parent.name)
    body, _ = exporter().from_notebook_node(
        nbformat.reads(json.dumps(nb), as_version=4),
        resources={"metadata": {"name": path.stem}},
    )
    deck = out / path.parent.name / f"{path.stem}.slides.html"
    deck.parent.mkdir(parents=True, exist_ok=True)
    deck.write_text(body, encoding="utf-8")
    return deck, notes is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the slides folder")
    parser.add_argument("names", nargs="*", help="zh, en and parts of chapter names")
    args = parser.parse_args(argv)
    names = [n for n in args.names if n not in EDITIONS]
    editions = [e for e in EDITIONS if e in args.names] or list(EDITIONS)
    without = []
    for edition in editions:
        for path in chapters(edition, names):
            deck, has_notes = build(path, args.out)
            print(f"written: {deck}" + ("" if has_notes else " (no speaker notes)"))
            if not has_notes:
                without.append(f"{edition}/{path.stem}")
    if without:
        print(
            "built without speaker notes (instructor/speaker_notes/<chapter>.toml "
            f"missing or not matching the slides): {', '.join(without)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
