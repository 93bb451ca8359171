"""Check the speaker notes of the chapter slides, and put them into a deck.

    python tools/speaker_notes.py           summary: chapters and slides with notes
    python tools/speaker_notes.py --check   write nothing; exit 1 on a problem

The notes of chapter ``NN_slug`` are in ``instructor/speaker_notes/NN_slug.toml``: one
``[[slide]]`` table per slide of ``notebooks/en/NN_slug.ipynb``, in slide order, with
``title`` (the slide cell's first non-empty line without its leading ``#``),
``minutes`` (an integer, at least 1) and the note in both languages, ``zh`` (80-250
characters) and ``en`` (40-120 words). A slide is a cell whose slide type is
``"slide"`` or ``"subslide"``; the Chinese edition has the same slides in the same
order, so its k-th slide takes the ``zh`` text of the k-th note.

:func:`with_notes` returns a copy of an edition notebook with each note in a markdown
cell of slide type ``"notes"`` at the end of its slide; ``make slides`` exports that
copy, and reveal.js shows the note in its speaker view (key ``S``). The edition files
on disk are never changed. ``tests/test_speaker_notes.py`` checks the files.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "instructor" / "speaker_notes"
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("zh", "en")
#: the slide types that start a slide (``Reveal.slide(h, v)``: "slide" moves h,
#: "subslide" moves v)
STARTS = ("slide", "subslide")
#: the length of a note: characters without white space (zh), words (en)
LIMITS = {"zh": (80, 250), "en": (40, 120)}
FIELDS = {"title", "minutes", "zh", "en"}


def chapters(root: Path = ROOT) -> list[str]:
    """The chapter stems (``00_course_map`` ...), from the English edition."""
    return [
        p.stem for p in sorted((root / "notebooks" / "en").glob("[0-9][0-9]_*.ipynb"))
    ]


def read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _slide_type(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def slide_starts(nb: dict) -> list[int]:
    """The indices of the cells that start a slide or a subslide."""
    return [i for i, c in enumerate(nb["cells"]) if _slide_type(c) in STARTS]


def slide_title(cell: dict) -> str:
    """The cell's first non-empty line, without its leading ``#`` and spaces."""
    source = cell["source"]
    text = source if isinstance(source, str) else "".join(source)
    line = next((ln for ln in text.splitlines() if ln.strip()), "")
    return line.lstrip("#").strip()


def slide_titles(nb: dict) -> list[str]:
    """The title of every slide, in slide order."""
    return [slide_title(nb["cells"][i]) for i in slide_starts(nb)]


def note_length(text: str, lang: str) -> int:
    """Characters without white space (``"zh"``) or words (``"en"``)."""
    return len(re.sub(r"\s", "", text)) if lang == "zh" else len(text.split())


def load(stem: str, root: Path = ROOT) -> list[dict] | None:
    """The notes of one chapter (``None`` when it has no notes file)."""
    path = root / "instructor" / "speaker_notes" / f"{stem}.toml"
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8")).get("slide", [])


def problems(stem: str, notes: list[dict], root: Path = ROOT) -> list[str]:
    """What is wrong with the notes of chapter ``stem`` (empty: nothing)."""
    nbs = {
        lang: read_notebook(root / "notebooks" / lang / f"{stem}.ipynb")
        for lang in LANGS
    }
    titles = slide_titles(nbs["en"])
    out = []
    n_zh = len(slide_starts(nbs["zh"]))
    if n_zh != len(titles):
        out.append(f"{stem}: the zh edition has {n_zh} slides, the en {len(titles)}")
    if len(notes) != len(titles):
        out.append(f"{stem}: {len(notes)} notes for {len(titles)} slides")
    for k, (note, title) in enumerate(zip(notes, titles, strict=False), 1):
        where = f"{stem} note {k}"
        if note.get("title") != title:
            out.append(f"{where}: title {note.get('title')!r}, slide {k} is {title!r}")
    for k, note in enumerate(notes, 1):
        where = f"{stem} note {k} ({note.get('title', '?')})"
        if set(note) != FIELDS:
            missing, extra = sorted(FIELDS - set(note)), sorted(set(note) - FIELDS)
            out.append(f"{where}: fields missing {missing}, unknown {extra}")
        minutes = note.get("minutes")
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 1:
            out.append(f"{where}: minutes = {minutes!r}, give a whole number >= 1")
        for lang in LANGS:
            text = note.get(lang)
            if not isinstance(text, str):
                continue
            low, high = LIMITS[lang]
            size = note_length(text, lang)
            if not low <= size <= high:
                unit = "characters" if lang == "zh" else "words"
                out.append(f"{where}: {lang} has {size} {unit}, give {low}-{high}")
    return out


def orphans(root: Path = ROOT) -> list[str]:
    """Notes files whose chapter does not exist."""
    known = set(chapters(root))
    folder = root / "instructor" / "speaker_notes"
    return [p.name for p in sorted(folder.glob("*.toml")) if p.stem not in known]


def with_notes(nb: dict, notes: list[dict], lang: str) -> dict:
    """A copy of the edition notebook ``nb`` with the ``lang`` text of the k-th note in
    a ``"notes"`` markdown cell at the end of the k-th slide (before the cell that
    starts the next slide or subslide). ``nb`` itself is not changed.

    Examples
    --------
    >>> nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [
    ...     {"cell_type": "markdown", "id": "a", "source": "# One",
    ...      "metadata": {"slideshow": {"slide_type": "slide"}}},
    ...     {"cell_type": "markdown", "id": "b", "source": "## Two",
    ...      "metadata": {"slideshow": {"slide_type": "subslide"}}}]}
    >>> notes = [{"title": "One", "en": "say one"}, {"title": "Two", "en": "say two"}]
    >>> out = with_notes(nb, notes, "en")
    >>> for c in out["cells"]:
    ...     print(c["metadata"]["slideshow"]["slide_type"], c["source"])
    slide # One
    notes say one
    subslide ## Two
    notes say two
    >>> len(nb["cells"])
    2
    """
    starts = slide_starts(nb)
    if len(notes) != len(starts):
        raise ValueError(
            f"notes: {len(notes)} notes for {len(starts)} slides; give one note per "
            "slide (python tools/speaker_notes.py --check names the difference)"
        )
    out = copy.deepcopy(nb)
    ends = [*starts[1:], len(nb["cells"])]
    # from the last slide backwards, so that the indices still ahead stay valid
    for k in reversed(range(len(starts))):
        cell = {
            "cell_type": "markdown",
            "metadata": {"slideshow": {"slide_type": "notes"}},
            "source": notes[k][lang],
        }
        if (nb.get("nbformat"), nb.get("nbformat_minor", 0)) >= (4, 5):
            cell["id"] = f"speaker-notes-{k + 1}"
        out["cells"].insert(ends[k], cell)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate only")
    parser.parse_args(argv)
    found = [f"{name}: notes without a chapter" for name in orphans()]
    missing, slides = [], 0
    for stem in chapters():
        notes = load(stem)
        if notes is None:
            missing.append(stem)
            continue
        found += problems(stem, notes)
        slides += len(notes)
    found += [f"{stem}: no notes file in instructor/speaker_notes" for stem in missing]
    if found:
        for p in found:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"speaker notes for {slides} slides of {len(chapters())} chapters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
