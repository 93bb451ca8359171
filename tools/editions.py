"""Build the Chinese (zh) and English (en) editions of every notebook from one source.

    python tools/editions.py            write every edition that is out of date
    python tools/editions.py --check    write nothing; exit 1 and list stale editions

The source of each notebook is one *master* notebook under ``source/``: an ordinary
``.ipynb`` that opens in JupyterLab. Its code cells are written once. Each prose
(markdown) cell carries a language tag in its metadata, ``{"crmkit": {"lang": "zh"}}``
or ``{"crmkit": {"lang": "en"}}``; the Chinese cell stands right before its English
twin, so a translator sees both. A markdown cell without a tag (a figure, a formula
alone) goes into both editions.

An edition is the master with the other language's cells removed and one cell added
before the first code cell, ``crmkit.set_language("zh")`` (tagged ``edition``), which
switches the library's messages, labels and hints to the edition's language. Nothing
else differs: the code cells of the two editions are identical, which
``tests/test_editions.py`` checks together with staleness.

=====================================  =======================================
master                                 editions
=====================================  =======================================
``source/notebooks/NN_slug.ipynb``     ``notebooks/{zh,en}/NN_slug.ipynb``
``source/apps/name.ipynb``             ``notebooks/apps/{zh,en}/name.ipynb``
``source/research/name.ipynb``         ``notebooks/research/{zh,en}/name.ipynb``
``source/cases/name.ipynb``            ``notebooks/cases/{zh,en}/name.ipynb``
``source/exercises/NN_slug.ipynb``     ``exercises/solutions/{zh,en}/NN_slug.ipynb``
                                       and the student copies
                                       ``exercises/{zh,en}/NN_slug.ipynb``
=====================================  =======================================

Worked solutions keep the outputs that nbval compares: when an edition's cells are
unchanged, the outputs already stored are kept; ``make exercises`` executes the
solutions and stores them anew. Student copies are made from the solution editions by
``tools/build_exercises.py`` (solution blocks replaced by ``...``).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
LANGS = ("zh", "en")
LANG_NAMES = {"zh": "中文", "en": "English"}
EDITION_TAG = "edition"
#: how the notebook index names the group-assignment templates (the course's names)
GROUP_LABELS = {
    "group_1_firm_crm": "作业一 · firm's CRM",
    "group_2_crm_software": "作业二 · CRM software",
}


@dataclass(frozen=True)
class Kind:
    """One family of notebooks: where its masters live and where editions go."""

    name: str
    masters: Path
    target: str  # folder of an edition, with {lang}

    def edition_path(self, master: Path, lang: str) -> Path:
        return ROOT / self.target.format(lang=lang) / master.name


KINDS = (
    Kind("chapter", SOURCE / "notebooks", "notebooks/{lang}"),
    Kind("app", SOURCE / "apps", "notebooks/apps/{lang}"),
    Kind("research", SOURCE / "research", "notebooks/research/{lang}"),
    Kind("case", SOURCE / "cases", "notebooks/cases/{lang}"),
    Kind("solution", SOURCE / "exercises", "exercises/solutions/{lang}"),
)


def cell_lang(cell: dict) -> str | None:
    """The language tag of a master cell (None: both editions)."""
    return cell.get("metadata", {}).get("crmkit", {}).get("lang")


def source_text(cell: dict) -> str:
    src = cell.get("source", "")
    return src if isinstance(src, str) else "".join(src)


def edition_cell(lang: str, cell_id: str) -> dict:
    """The first code cell of an edition: it selects the library's language."""
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": f"edition-{lang}-{cell_id}"[:64],
        "metadata": {"slideshow": {"slide_type": "skip"}, "tags": [EDITION_TAG]},
        "outputs": [],
        "source": ["import crmkit\n", "\n", f'crmkit.set_language("{lang}")'],
    }


def check_master(master: dict, where: str) -> list[str]:
    """Problems that would let the two editions drift apart."""
    problems = []
    runs: list[list[dict]] = [[]]
    for i, cell in enumerate(master["cells"]):
        lang = cell_lang(cell)
        if lang is not None and lang not in LANGS:
            problems.append(f"{where} cell {i}: unknown language tag {lang!r}")
        if cell["cell_type"] == "code":
            if lang is not None:
                problems.append(
                    f"{where} cell {i}: a code cell carries a language tag; code is "
                    "shared by both editions"
                )
            runs.append([])
        elif lang is not None:
            runs[-1].append(cell)
    for run in runs:
        kinds = {
            lang: [_slide(c) for c in run if cell_lang(c) == lang] for lang in LANGS
        }
        if kinds["zh"] != kinds["en"]:
            first = source_text(run[0]).splitlines()[0][:60] if run else ""
            problems.append(
                f"{where}: the prose before a code cell has {len(kinds['zh'])} zh and "
                f"{len(kinds['en'])} en cells (or different slide types), near "
                f"{first!r}; give every zh cell its en twin"
            )
    return problems


def _slide(cell: dict) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def make_edition(master: dict, lang: str, *, origin: str = "") -> dict:
    """Return the ``lang`` edition of a master notebook (a new dict)."""
    nb = copy.deepcopy(master)
    cells = []
    added = False
    for cell in nb["cells"]:
        tag = cell_lang(cell)
        if tag not in (None, lang):
            continue
        meta = cell.get("metadata", {})
        meta.pop("crmkit", None)
        if cell["cell_type"] == "code" and not added:
            cells.append(edition_cell(lang, cell.get("id", "0")))
            added = True
        cells.append(cell)
    nb["cells"] = cells
    meta = nb.setdefault("metadata", {})
    meta["crmkit"] = {"edition": lang, "source": origin}
    return nb


def masters(kind: Kind) -> list[Path]:
    return sorted(kind.masters.glob("*.ipynb"))


def iter_editions() -> Iterator[tuple[Kind, Path, str, dict]]:
    """Every (kind, master path, language, edition) the sources define."""
    for kind in KINDS:
        for path in masters(kind):
            master = json.loads(path.read_text(encoding="utf-8"))
            origin = path.relative_to(ROOT).as_posix()
            for lang in LANGS:
                yield kind, path, lang, make_edition(master, lang, origin=origin)


def shape(nb: dict) -> list[tuple[str, str, str]]:
    """What must agree between an edition on disk and its master: cell types,
    sources and metadata (not outputs or execution counts)."""
    out = []
    for cell in nb["cells"]:
        meta = {k: v for k, v in cell.get("metadata", {}).items() if k != "execution"}
        out.append(
            (cell["cell_type"], source_text(cell), json.dumps(meta, sort_keys=True))
        )
    out.append(("notebook", "", json.dumps(nb.get("metadata", {}), sort_keys=True)))
    return out


def dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _keep_outputs(new: dict, old: dict) -> dict:
    """Carry stored outputs over when the cells are unchanged."""
    if len(new["cells"]) != len(old["cells"]):
        return new
    for a, b in zip(new["cells"], old["cells"], strict=True):
        if a["cell_type"] == "code" and source_text(a) == source_text(b):
            a["outputs"] = b.get("outputs", [])
            a["execution_count"] = b.get("execution_count")
    return new


INDEX = ROOT / "notebooks" / "index.ipynb"


def _title(nb: dict) -> str:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            first = source_text(cell).strip().splitlines()[0]
            return first.lstrip("# ").strip()
    return ""


def make_index() -> dict:
    """The bilingual course map that ``make lab`` opens: links to both editions of
    every chapter, exercise set, explorer app, research notebook and worked case,
    Chinese first."""
    editions = {(k.name, p.name, lang): nb for k, p, lang, nb in iter_editions()}
    lines = [
        "# 课程地图 · Course map",
        "",
        "本课程有中文版和英文版两个版本，内容与代码完全相同。请选择你的版本。  ",
        "The course comes in two editions, Chinese and English, with identical "
        "content and code. Choose yours.",
        "",
        "| 章 Chapter | 中文版 | English |",
        "|---|---|---|",
    ]
    chapter = next(k for k in KINDS if k.name == "chapter")
    exercises = masters(next(k for k in KINDS if k.name == "solution"))
    for path in masters(chapter):
        zh = _title(editions[("chapter", path.name, "zh")])
        en = _title(editions[("chapter", path.name, "en")])
        lines.append(
            f"| {path.name[:2]} | [{zh}](zh/{path.name}) | [{en}](en/{path.name}) |"
        )
    lines += [
        "",
        "**练习 · Exercises**: "
        + " · ".join(
            f"[{p.name[:2]} 中文](../exercises/zh/{p.name}) / "
            f"[{p.name[:2]} EN](../exercises/en/{p.name})"
            for p in exercises
            if p.name[:2].isdigit()
        ),
        "",
        "**小组作业 · Group assignments** (templates): "
        + " · ".join(
            f"[{GROUP_LABELS.get(p.stem, p.stem)} 中文](../exercises/zh/{p.name}) / "
            f"[EN](../exercises/en/{p.name})"
            for p in exercises
            if not p.name[:2].isdigit()
        ),
        "",
        "**演示程序 · Explorer apps** (`make present APP=<name> EDITION=zh|en`): "
        + " · ".join(
            f"{p.stem} ([中文](apps/zh/{p.name}), [EN](apps/en/{p.name}))"
            for p in masters(next(k for k in KINDS if k.name == "app"))
        ),
        "",
        "**研究笔记 · Research notebooks**: "
        + " · ".join(
            f"{p.stem} ([中文](research/zh/{p.name}), [EN](research/en/{p.name}))"
            for p in masters(next(k for k in KINDS if k.name == "research"))
        ),
        "",
        "**案例 · Worked cases**: "
        + " · ".join(
            f"{p.stem} ([中文](cases/zh/{p.name}), [EN](cases/en/{p.name}))"
            for p in masters(next(k for k in KINDS if k.name == "case"))
        ),
    ]
    return {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "course-map",
                "metadata": {"slideshow": {"slide_type": "slide"}},
                "source": [line + "\n" for line in lines[:-1]] + [lines[-1]],
            }
        ],
        "metadata": {
            "crmkit": {"edition": "both", "source": "tools/editions.py"},
            "kernelspec": {
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "name": "python3",
            },
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def build(*, check: bool = False) -> list[Path]:
    """Write (or, with ``check``, only list) the editions that are out of date."""
    problems = []
    for kind in KINDS:
        for path in masters(kind):
            master = json.loads(path.read_text(encoding="utf-8"))
            problems += check_master(master, path.relative_to(ROOT).as_posix())
    if problems:
        raise SystemExit("editions cannot be built:\n  " + "\n  ".join(problems))
    stale = []
    for kind, master_path, lang, edition in iter_editions():
        target = kind.edition_path(master_path, lang)
        old = (
            json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        )
        if old is not None and shape(old) == shape(edition):
            continue
        stale.append(target)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            if old is not None and kind.name == "solution":
                edition = _keep_outputs(edition, old)
            target.write_text(dump(edition), encoding="utf-8")
    index = dump(make_index())
    if not INDEX.exists() or INDEX.read_text(encoding="utf-8") != index:
        stale.append(INDEX)
        if not check:
            INDEX.write_text(index, encoding="utf-8")
    return stale


def orphans() -> list[Path]:
    """Edition files on disk that no master produces."""
    wanted = {kind.edition_path(p, lang) for kind, p, lang, _ in iter_editions()}
    found = set()
    for kind in KINDS:
        for lang in LANGS:
            found |= set((ROOT / kind.target.format(lang=lang)).glob("*.ipynb"))
    return sorted(found - wanted)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tools/editions.py")
    parser.add_argument("--check", action="store_true", help="only list stale ones")
    args = parser.parse_args(argv)
    stale = build(check=args.check)
    extra = orphans()
    verb = "out of date" if args.check else "written"
    for path in stale:
        print(f"{verb}: {path.relative_to(ROOT)}")
    for path in extra:
        print(f"no master for: {path.relative_to(ROOT)}")
    if not stale and not extra:
        print("every edition is up to date")
    return 1 if args.check and (stale or extra) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
