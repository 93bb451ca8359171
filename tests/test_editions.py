"""The Chinese (zh) and English (en) editions come from one source and stay in sync.

Every notebook students open is an edition of a master in ``source/``
(``tools/editions.py``). These tests fail when an edition is stale, when the two
editions' code differs, or when an edition's prose is not in its language.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def _editions_tool():
    spec = importlib.util.spec_from_file_location(
        "crmkit_editions", REPO / "tools" / "editions.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ED = _editions_tool()
PAIRS = [(kind, path) for kind in ED.KINDS for path in ED.masters(kind)]
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _prose(text: str) -> str:
    """Markdown without code, maths, links' targets and HTML tags."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def test_every_kind_has_masters():
    for kind in ED.KINDS:
        assert ED.masters(kind), f"no masters in {kind.masters}"
    assert len(ED.masters(ED.KINDS[0])) >= 10


def test_masters_pair_every_prose_cell():
    problems = []
    for _kind, path in PAIRS:
        problems += ED.check_master(_load(path), path.name)
    assert not problems, problems


def test_editions_are_up_to_date():
    stale = ED.build(check=True)
    assert not stale, (
        "editions out of date; run `make editions` (or `make exercises`): "
        f"{[str(p.relative_to(REPO)) for p in stale]}"
    )
    assert not ED.orphans(), "edition files without a master in source/"


@pytest.mark.parametrize(
    ("kind", "master"), PAIRS, ids=lambda x: getattr(x, "name", str(x))
)
def test_both_editions_have_the_same_code(kind, master):
    code = {}
    for lang in ED.LANGS:
        nb = _load(kind.edition_path(master, lang))
        cells = nb["cells"]
        assert nb["metadata"]["crmkit"]["edition"] == lang
        first = next(c for c in cells if c["cell_type"] == "code")
        assert ED.EDITION_TAG in first["metadata"].get("tags", [])
        assert f'crmkit.set_language("{lang}")' in ED.source_text(first)
        code[lang] = [
            ED.source_text(c)
            for c in cells
            if c["cell_type"] == "code"
            and ED.EDITION_TAG not in c["metadata"].get("tags", [])
        ]
        markdown = [c for c in cells if c["cell_type"] == "markdown"]
        code[lang + "-slides"] = [
            c["metadata"].get("slideshow", {}).get("slide_type") for c in markdown
        ]
    assert code["zh"] == code["en"], "the two editions' code cells differ"
    assert code["zh-slides"] == code["en-slides"], "the slide structure differs"


@pytest.mark.parametrize(
    ("kind", "master"), PAIRS, ids=lambda x: getattr(x, "name", str(x))
)
def test_each_edition_speaks_its_language(kind, master):
    for lang in ED.LANGS:
        nb = _load(kind.edition_path(master, lang))
        cjk = latin = 0
        for cell in nb["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            prose = _prose(ED.source_text(cell))
            n_cjk, n_latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
            cjk, latin = cjk + n_cjk, latin + n_latin
            if lang == "zh" and n_latin > 40:
                # English only beside a Chinese term: a cell of mostly English fails
                assert n_cjk >= n_latin / 4, (
                    f"{master.name} zh: a cell is mostly English: {prose[:120]!r}"
                )
        # a Chinese character carries about as much as a word of 3-4 letters
        if lang == "zh":
            assert cjk > 2 * latin, f"{master.name} zh: {cjk} CJK vs {latin} letters"
        else:
            assert latin > 4 * cjk, f"{master.name} en: {cjk} CJK vs {latin} letters"


def test_course_map_links_both_editions_chinese_first():
    nb = _load(ED.INDEX)
    text = "".join(ED.source_text(c) for c in nb["cells"])
    for path in ED.masters(ED.KINDS[0]):
        zh, en = text.find(f"zh/{path.name}"), text.find(f"en/{path.name}")
        assert 0 <= zh < en, path.name
        assert (REPO / "notebooks" / "zh" / path.name).exists()
    for kind, folder in (("research", "research"), ("case", "cases")):
        for path in ED.masters(next(k for k in ED.KINDS if k.name == kind)):
            zh, en = (
                text.find(f"{folder}/zh/{path.name}"),
                text.find(f"{folder}/en/{path.name}"),
            )
            assert 0 <= zh < en, path.name
            assert (REPO / "notebooks" / folder / "zh" / path.name).exists()
