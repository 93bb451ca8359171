"""The speaker notes of the chapter slides (``instructor/speaker_notes/NN_slug.toml``).

Every chapter 00-10 has a notes file with one note per slide of its English edition, in
slide order, titled with the slide's first line; every note is written in both
languages at the agreed length, and the minutes of a chapter add up, within 25 %, to the
time the instructor guide gives the chapter's sections in the kit (the rows of its
"Time per section" table; rows beginning with "Course:" are taught from the course
documents, not from the slides, and do not count). The last tests check the machinery:
``tools/speaker_notes.py`` puts each note at the end of its slide, and the exported deck
carries it as a reveal.js speaker note (``<aside class="notes">``).
"""

from __future__ import annotations

import copy
import html
import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTES = REPO / "instructor" / "speaker_notes"
CHAPTERS = [f"{n:02d}" for n in range(11)]
CJK = re.compile(r"[\u3400-\u9fff]")


def _tool(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sn = _tool("speaker_notes", REPO / "tools" / "speaker_notes.py")


def _stem(chapter: str) -> str:
    found = sorted((REPO / "notebooks" / "en").glob(f"{chapter}_*.ipynb"))
    assert len(found) == 1, (chapter, found)
    return found[0].stem


def _notebook(lang: str, stem: str) -> dict:
    return json.loads((REPO / "notebooks" / lang / f"{stem}.ipynb").read_text("utf-8"))


def _slides(nb: dict) -> list[tuple[int, str]]:
    """(cell index, title) of each slide, read here without the tool."""
    out = []
    for i, cell in enumerate(nb["cells"]):
        kind = cell["metadata"].get("slideshow", {}).get("slide_type")
        if kind in ("slide", "subslide"):
            lines = [ln for ln in "".join(cell["source"]).splitlines() if ln.strip()]
            out.append((i, re.sub(r"^#+\s*", "", lines[0]).strip()))
    return out


def _notes(chapter: str) -> list[dict]:
    path = NOTES / f"{_stem(chapter)}.toml"
    if not path.is_file():
        pytest.fail(f"no speaker notes for chapter {chapter}: write {path.name}")
    return tomllib.loads(path.read_text(encoding="utf-8"))["slide"]


def _guide_minutes(text: str | None = None) -> dict[str, int]:
    """Chapter -> minutes of its kit sections in the instructor guide (English)."""
    if text is None:
        text = (REPO / "instructor" / "guide.en.md").read_text(encoding="utf-8")
    out = {}
    for part in re.split(r"^### Chapter ", text, flags=re.M)[1:]:
        table = part.split("#### Time per section", 1)[1].split("\n\n")[1]
        rows = [r.split("|")[1:3] for r in table.splitlines()[2:]]
        kit = [int(m) for name, m in rows if name.strip() != "total"]
        kit_rows = [
            int(m)
            for name, m in rows
            if name.strip() != "total" and not name.strip().startswith("Course:")
        ]
        assert kit, part[:40]
        out[part[:2]] = sum(kit_rows)
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_one_note_per_slide_in_slide_order(chapter):
    stem = _stem(chapter)
    notes = _notes(chapter)
    slides = _slides(_notebook("en", stem))
    assert [n["title"] for n in notes] == [t for _i, t in slides]
    assert len(_slides(_notebook("zh", stem))) == len(slides)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_note_in_both_languages(chapter):
    for note in _notes(chapter):
        where = note["title"]
        assert set(note) == {"title", "minutes", "zh", "en"}, where
        assert type(note["minutes"]) is int and note["minutes"] >= 1, where
        zh = re.sub(r"\s", "", note["zh"])
        assert 80 <= len(zh) <= 250, (where, len(zh))
        assert len(CJK.findall(zh)) >= 0.5 * len(zh), (where, "zh is not Chinese")
        words = note["en"].split()
        assert 40 <= len(words) <= 120, (where, len(words))
        assert len(CJK.findall(note["en"])) <= 0.2 * len(note["en"]), where


def test_no_orphan_notes():
    stems = {_stem(c) for c in CHAPTERS}
    assert {p.stem for p in NOTES.glob("*.toml")} <= stems
    assert sorted(p.suffix for p in NOTES.iterdir()) == [".toml"] * len(
        list(NOTES.iterdir())
    )


_GUIDE = """
### Chapter 04 Channels (`04_channels`)

#### Time per section

| section | min | note |
|---|---|---|
| The channels | 20 | week 2 |
| Course: the Haier omnichannel plan | 45 | week 6 |
| Ranking channels | 25 | week 3 |
| total | 90 | |

#### Live demo
"""


def test_the_guide_gives_every_chapter_its_time():
    assert _guide_minutes(_GUIDE) == {"04": 45}  # "Course:" rows are not slides
    minutes = _guide_minutes()
    assert sorted(minutes) == CHAPTERS
    assert all(m > 0 for m in minutes.values()), minutes


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_minutes_add_up_to_the_guide(chapter):
    given = _guide_minutes()[chapter]
    total = sum(n["minutes"] for n in _notes(chapter))
    assert 0.75 * given <= total <= 1.25 * given, (
        f"the notes of chapter {chapter} take {total} min; the guide gives its kit "
        f"sections {given} min"
    )


# the machinery ----------------------------------------------------------------------


def _fake_notes(nb: dict, lang_marker: str = "") -> list[dict]:
    return [
        {"title": t, "minutes": 1, "zh": f"备注{k}{lang_marker}", "en": f"note {k}"}
        for k, (_i, t) in enumerate(_slides(nb), 1)
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_notes_puts_each_note_at_the_end_of_its_slide(lang):
    nb = _notebook(lang, "08_complaint_handling")  # slides and subslides
    before = copy.deepcopy(nb)
    out = sn.with_notes(nb, _fake_notes(_notebook("en", "08_complaint_handling")), lang)
    assert nb == before, "the edition notebook was changed"
    kinds = [c["metadata"]["slideshow"]["slide_type"] for c in out["cells"]]
    assert [c for c in out["cells"] if kinds[out["cells"].index(c)] != "notes"] == (
        nb["cells"]
    )
    starts = [i for i, k in enumerate(kinds) if k in ("slide", "subslide")]
    notes = [i for i, k in enumerate(kinds) if k == "notes"]
    assert len(notes) == len(starts) == len(_slides(nb))
    # each note sits after its own slide's cells and right before the next slide
    assert [n + 1 for n in notes[:-1]] == starts[1:]
    assert notes[-1] == len(kinds) - 1
    assert all(s < n for s, n in zip(starts, notes, strict=True))
    text = [out["cells"][i]["source"] for i in notes]
    key = "备注" if lang == "zh" else "note "
    assert text == [f"{key}{k}" for k in range(1, len(notes) + 1)]
    assert len({out["cells"][i]["id"] for i in notes}) == len(notes)


def test_with_notes_refuses_a_wrong_number_of_notes():
    nb = _notebook("en", "06_queue_models_and_staffing")
    with pytest.raises(ValueError, match="notes for"):
        sn.with_notes(nb, _fake_notes(nb)[:-1], "en")


def test_problems_name_what_is_wrong():
    stem = "06_queue_models_and_staffing"
    nb = _notebook("en", stem)
    good = [
        {**n, "zh": "排队" * 50, "en": " ".join(["word"] * 60)} for n in _fake_notes(nb)
    ]
    assert sn.problems(stem, good) == []
    bad = copy.deepcopy(good)
    bad[1]["title"] = "Forms of queue"
    bad[2]["minutes"] = 0
    bad[3]["en"] = "too short"
    del bad[4]["zh"]
    found = sn.problems(stem, bad[:-1])
    assert f"{len(good) - 1} notes for {len(good)} slides" in found[0]
    text = "\n".join(found)
    assert "note 2: title 'Forms of queue'" in text
    assert "note 3" in text and "minutes = 0" in text
    assert "en has 2 words, give 40-120" in text
    assert "fields missing ['zh']" in text


def test_the_deck_carries_the_notes_as_speaker_notes():
    """Exported (without running the code), each slide's section holds its note in an
    ``<aside class="notes">``, which reveal.js's notes plugin shows in the speaker view;
    the template loads that plugin from the local copy."""
    pytest.importorskip("nbconvert")
    import nbformat

    decks = _tool("decks", REPO / "tools" / "slides" / "decks.py")
    stem = "05_waiting_psychology"
    nb = _notebook("zh", stem)
    notes = _fake_notes(_notebook("en", stem), "·讲者")
    body, _ = decks.exporter().from_notebook_node(
        nbformat.reads(json.dumps(sn.with_notes(nb, notes, "zh")), as_version=4)
    )
    asides = re.findall(r'<aside class="notes">(.*?)</aside>', body, re.S)
    assert len(asides) == len(notes)
    # the text between one <section> tag and the next is one slide's: the one that
    # holds note k shows slide k's title, and holds no other note
    titles = [t for _i, t in _slides(nb)]
    holding = [s for s in body.split("<section")[1:] if "aside class" in s]
    assert len(holding) == len(notes)
    for k, (chunk, title) in enumerate(zip(holding, titles, strict=True), 1):
        shown = html.unescape(re.sub(r"<[^>]+>", "", chunk))
        assert title in shown, (k, title)
        assert re.findall(r"备注(\d+)·讲者", chunk) == [str(k)]
    assert "../lib/reveal.js/plugin/notes/notes.js" in body
    assert "plugins: [RevealNotes]" in body
    assert "width: 1280" in body and "height: 720" in body
