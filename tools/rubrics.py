"""Render the rubrics of the open exercise questions as instructor pages.

    python tools/rubrics.py --out DIR     write DIR/{zh,en}/rubrics.md
    python tools/rubrics.py --check       write nothing; exit 1 on a problem

An open question (``kind = "open"`` in ``crmkit/exercises/questions/chNN.toml``) is
received by ``check`` but not judged. Its rubric, in ``instructor/rubrics/chNN.toml``,
lists the criteria with their points in both languages; the sample answers are in the
worked solutions. (The rubrics of the two group assignments are in the instructor guide,
sections 5.4 and 5.5.) ``python3 tasks.py book-instructor`` puts the pages on the
instructors' site only; ``tests/test_rubrics.py`` checks the files.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUBRICS = ROOT / "instructor" / "rubrics"
QUESTIONS = ROOT / "crmkit" / "exercises" / "questions"
LANGS = ("zh", "en")
TEXT = {
    "zh": {
        "title": "开放题评分细则",
        "intro": "开放题由 `check` 接收但不评判；请按下列细则评分。参考答案见同一"
        "网站上的练习参考答案。学生在作答后看到的“自查要点”与细则逐条对应。",
        "checklist": "学生看到的自查要点",
        "criteria": "评分细则",
        "points": "分",
        "total": "满分",
        "chapter": "第 {ch} 章",
    },
    "en": {
        "title": "Rubrics for the open questions",
        "intro": "Open questions are received by `check`, not judged; grade them with "
        "these rubrics. Sample answers are in the worked solutions on this site. The "
        "checklist students see after answering matches the criteria one to one.",
        "checklist": "Checklist the students see",
        "criteria": "Criteria",
        "points": "pts",
        "total": "total",
        "chapter": "Chapter {ch}",
    },
}


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def load() -> tuple[dict[str, dict], dict[str, dict]]:
    """``(rubrics by id, open questions by id)``."""
    rubrics: dict[str, dict] = {}
    for path in sorted(RUBRICS.glob("*.toml")):
        for r in tomllib.loads(path.read_text(encoding="utf-8")).get("rubric", []):
            rubrics[r["id"]] = r
    open_qs: dict[str, dict] = {}
    for path in sorted(QUESTIONS.glob("ch*.toml")):
        for q in tomllib.loads(path.read_text(encoding="utf-8")).get("question", []):
            if q["kind"] == "open":
                open_qs[q["id"]] = q
    return rubrics, open_qs


def problems(rubrics: dict[str, dict], open_qs: dict[str, dict]) -> list[str]:
    """What is wrong with the rubric files (empty: nothing)."""
    out = [f"{q}: open question without a rubric" for q in open_qs if q not in rubrics]
    out += [
        f"{r}: rubric without its open question" for r in rubrics if r not in open_qs
    ]
    for rid, r in rubrics.items():
        total = sum(c["points"] for c in r["criteria"])
        if total != r["points"]:
            out.append(f"{rid}: criteria add up to {total}, not {r['points']}")
    return out


def render(rubrics: dict[str, dict], open_qs: dict[str, dict], lang: str) -> str:
    """The rubric page in one language."""
    t = TEXT[lang]
    out = [f"# {t['title']}", "", t["intro"], ""]
    chapter = None
    for qid in sorted(rubrics, key=lambda i: (i[:4], int(i.split("_q")[1]))):
        r, q = rubrics[qid], open_qs[qid]
        if qid[2:4] != chapter:
            chapter = qid[2:4]
            out += [f"## {t['chapter'].format(ch=chapter)}", ""]
        out += [f"### `{qid}` ({t['total']} {r['points']} {t['points']})", ""]
        out += [_one_line(q["prompt"][lang]), "", f"**{t['checklist']}**", ""]
        out += [f"{i}. {item}" for i, item in enumerate(q["checklist"][lang], 1)]
        out += ["", f"**{t['criteria']}**", ""]
        out += [
            f"- **{c['points']} {t['points']}** — {_one_line(c[lang])}"
            for c in r["criteria"]
        ]
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write OUT/{zh,en}/rubrics.md")
    parser.add_argument("--check", action="store_true", help="validate only")
    args = parser.parse_args(argv)
    rubrics, open_qs = load()
    found = problems(rubrics, open_qs)
    if found:
        for p in found:
            print(f"  - {p}", file=sys.stderr)
        return 1
    print(f"{len(rubrics)} rubrics for {len(open_qs)} open questions")
    if args.out and not args.check:
        for lang in LANGS:
            folder = args.out / lang
            folder.mkdir(parents=True, exist_ok=True)
            page = folder / "rubrics.md"
            page.write_text(render(rubrics, open_qs, lang) + "\n", encoding="utf-8")
            print(f"written: {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
