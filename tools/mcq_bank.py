"""Validate and render the instructor's multiple-choice bank (instructor/mcq/chNN.toml).

Each chapter file holds ``chapter``, ``title.zh``/``title.en`` and an array of
``[[question]]`` tables. Every question has ``id`` ("ch04_m01", numbered from 01
without gaps), ``section.zh``/``section.en``, ``source``, ``stem.zh``/``stem.en``,
``answer`` (a letter "A".."D", or a list of at least two letters for a multi-answer
question, whose stems start with "（多选）" and "(Select all that apply)"), exactly
four ``[[question.option]]`` tables with ``zh``, ``en``, ``explain.zh`` and
``explain.en`` (a multi-answer question may have five, A-E, as the course's own
multiple-choice review questions do), and optionally ``check`` (a Python expression
using crmkit) with ``value`` (the number it must give; tests/test_mcq_bank.py
evaluates it).

    python tools/mcq_bank.py --check    # validate only, print the report
    python tools/mcq_bank.py --out DIR  # validate, then write DIR/{zh,en}/chNN.md
                                        # (default: _build/instructor/mcq)

Standard library only (Python 3.11+), so it runs before the package is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BANK = REPO / "instructor" / "mcq"
OUT = REPO / "_build" / "instructor" / "mcq"
CHAPTERS = tuple(f"{n:02d}" for n in range(1, 11))
MIN_QUESTIONS = 15
LETTERS = "ABCD"
#: the letters of the options of a multi-answer question, which may have a fifth
MULTI_LETTERS = "ABCDE"
LANGS = ("zh", "en")
MULTI_LABEL = {"zh": "（多选）", "en": "(Select all that apply)"}
BANNED = ("以上都", "以上皆", "以上全", "all of the above", "none of the above")
#: a letter holding more than this share (or less than the low one) of a chapter's
#: single-answer keys counts as unbalanced
BALANCE = (0.10, 0.40)

QUESTION_KEYS = {
    "id",
    "section",
    "source",
    "stem",
    "answer",
    "option",
    "check",
    "value",
}
OPTION_KEYS = {"zh", "en", "explain"}

TEXT = {
    "zh": {
        "title": "第{ch}章 {title}：选择题库",
        "intro": "共 {n} 题（其中多选题 {multi} 道，计算题 {comp} 道）。"
        "答案与解析见文末。",
        "multi": "多选",
        "section": "考查内容",
        "source": "出处",
        "key": "答案与解析",
        "answer": "答案",
        "right": "正确",
        "wrong": "错误",
        "index": "选择题库（教师用）",
    },
    "en": {
        "title": "Chapter {ch} {title}: multiple-choice bank",
        "intro": "{n} questions ({multi} multi-answer, {comp} computational). "
        "The answer key with explanations follows the questions.",
        "multi": "multi-answer",
        "section": "Tests",
        "source": "Source",
        "key": "Answer key",
        "answer": "Answer",
        "right": "right",
        "wrong": "wrong",
        "index": "Multiple-choice bank (instructor)",
    },
}


def load_bank(bank: Path = BANK) -> dict[str, dict]:
    """Read every ``chNN.toml`` in ``bank``, keyed by chapter number ("01".."10")."""
    chapters: dict[str, dict] = {}
    for path in sorted(bank.glob("ch*.toml")):
        with path.open("rb") as fh:
            chapters[path.stem[2:]] = tomllib.load(fh)
    return chapters


def _text(value: object) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _bilingual(value: object) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == set(LANGS)
        and all(_text(value[k]) for k in LANGS)
    )


def answers(question: dict) -> list[str]:
    """The correct letters of a question as a list (one for a single answer)."""
    answer = question.get("answer")
    return [answer] if isinstance(answer, str) else list(answer or [])


def validate_question(q: object, chapter: str, number: int) -> list[str]:
    """Problems with one question (an empty list when it is sound)."""
    where = f"ch{chapter} question {number}"
    if not isinstance(q, dict):
        return [f"{where}: not a table"]
    errors: list[str] = []
    qid = q.get("id")
    expected = f"ch{chapter}_m{number:02d}"
    if qid != expected:
        errors.append(
            f"{where}: id {qid!r}, expected {expected!r} (ids are sequential)"
        )
    where = f"{expected}"
    if extra := set(q) - QUESTION_KEYS:
        errors.append(f"{where}: unknown keys {sorted(extra)}")
    for key in ("section", "stem"):
        if not _bilingual(q.get(key)):
            errors.append(f"{where}: {key} needs non-empty zh and en")
    if not _text(q.get("source")):
        errors.append(f"{where}: source is missing or empty")
    options = q.get("option")
    multi = isinstance(q.get("answer"), list)
    sizes = (4, 5) if multi else (4,)
    if not isinstance(options, list) or len(options) not in sizes:
        errors.append(
            f"{where}: needs exactly 4 options"
            + (" (or 5 for a multi-answer question)" if multi else "")
            + f", has {len(options) if isinstance(options, list) else 0}"
        )
        options = options if isinstance(options, list) else []
    for k, opt in enumerate(options):
        label = f"{where} option {MULTI_LETTERS[k] if k < 5 else k}"
        if not isinstance(opt, dict):
            errors.append(f"{label}: not a table")
            continue
        if extra := set(opt) - OPTION_KEYS:
            errors.append(f"{label}: unknown keys {sorted(extra)}")
        for lang in LANGS:
            if not _text(opt.get(lang)):
                errors.append(f"{label}: empty or missing {lang} text")
            elif any(b in opt[lang].lower() for b in BANNED):
                errors.append(
                    f"{label}: 'all/none of the above' options are not allowed"
                )
        if not _bilingual(opt.get("explain")):
            errors.append(f"{label}: needs an explanation in zh and en")
    for lang in LANGS:
        texts = [o.get(lang) for o in options if isinstance(o, dict)]
        if len(set(texts)) != len(texts):
            errors.append(f"{where}: two options have the same {lang} text")
    answer = q.get("answer")
    letters = answers(q)
    if isinstance(answer, str):
        if answer not in LETTERS[: len(options) or 4]:
            errors.append(f"{where}: answer {answer!r} is not one of A-D")
    elif isinstance(answer, list):
        if (
            len(letters) < 2
            or len(set(letters)) != len(letters)
            or letters != sorted(letters)
        ):
            errors.append(
                f"{where}: a multi-answer key needs 2+ distinct letters in order"
            )
        offered = MULTI_LETTERS[: max(len(options), 4)]
        if any(x not in offered for x in letters):
            errors.append(
                f"{where}: answer {answer!r} has letters outside A-{offered[-1]}"
            )
        stem = q.get("stem") if isinstance(q.get("stem"), dict) else {}
        for lang in LANGS:
            if not str(stem.get(lang, "")).startswith(MULTI_LABEL[lang]):
                errors.append(
                    f"{where}: a multi-answer stem ({lang}) must start with "
                    f"{MULTI_LABEL[lang]!r}"
                )
    else:
        errors.append(f"{where}: answer must be a letter or a list of letters")
    if ("check" in q) != ("value" in q):
        errors.append(f"{where}: check and value go together")
    if "check" in q:
        if not _text(q["check"]):
            errors.append(f"{where}: check must be a non-empty expression")
        value = q.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append(f"{where}: value must be a number")
    return errors


def balance(questions: list[dict]) -> Counter:
    """How often each letter is the key of a single-answer question."""
    counts = Counter(dict.fromkeys(LETTERS, 0))
    counts.update(q["answer"] for q in questions if isinstance(q.get("answer"), str))
    return counts


def validate(chapters: dict[str, dict]) -> list[str]:
    """Every problem in the bank (an empty list when the bank is sound)."""
    errors: list[str] = []
    for ch in CHAPTERS:
        if ch not in chapters:
            errors.append(f"chapter {ch}: file ch{ch}.toml is missing")
    for ch, data in chapters.items():
        if ch not in CHAPTERS:
            errors.append(f"ch{ch}.toml: not a chapter of the bank (01-10)")
            continue
        if data.get("chapter") != ch:
            errors.append(
                f"ch{ch}.toml: chapter = {data.get('chapter')!r}, expected {ch!r}"
            )
        if not _bilingual(data.get("title")):
            errors.append(f"ch{ch}.toml: title needs non-empty zh and en")
        questions = data.get("question", [])
        if len(questions) < MIN_QUESTIONS:
            errors.append(
                f"ch{ch}: {len(questions)} questions, at least {MIN_QUESTIONS} needed"
            )
        for number, q in enumerate(questions, 1):
            errors.extend(validate_question(q, ch, number))
        for lang in LANGS:
            stems = [
                q.get("stem", {}).get(lang) for q in questions if isinstance(q, dict)
            ]
            if len(set(stems)) != len(stems):
                errors.append(f"ch{ch}: two questions share a {lang} stem")
        counts = balance([q for q in questions if isinstance(q, dict)])
        single = sum(counts.values())
        if single:
            low, high = BALANCE
            bad = [x for x in LETTERS if not low <= counts[x] / single <= high]
            if bad:
                errors.append(f"ch{ch}: answer positions unbalanced {dict(counts)}")
    ids = [
        q.get("id")
        for d in chapters.values()
        for q in d.get("question", [])
        if isinstance(q, dict)
    ]
    for qid, n in Counter(ids).items():
        if n > 1:
            errors.append(f"id {qid!r} is used {n} times")
    return errors


def report(chapters: dict[str, dict]) -> str:
    """A table of counts per chapter and the answer-position balance."""
    lines = ["chapter  questions  multi  computational  A  B  C  D"]
    total = Counter()
    for ch in sorted(chapters):
        qs = [q for q in chapters[ch].get("question", []) if isinstance(q, dict)]
        multi = sum(isinstance(q.get("answer"), list) for q in qs)
        comp = sum("check" in q for q in qs)
        counts = balance(qs)
        total.update({"n": len(qs), "multi": multi, "comp": comp, **counts})
        lines.append(
            f"{ch:>7}  {len(qs):>9}  {multi:>5}  {comp:>13}  "
            + "  ".join(f"{counts[x]}" for x in LETTERS)
        )
    lines.append(
        f"{'total':>7}  {total['n']:>9}  {total['multi']:>5}  {total['comp']:>13}  "
        + "  ".join(f"{total[x]}" for x in LETTERS)
    )
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render_chapter(ch: str, data: dict, lang: str) -> str:
    """One chapter's Markdown page in one language: questions, then the key."""
    t = TEXT[lang]
    qs = data["question"]
    multi = sum(isinstance(q["answer"], list) for q in qs)
    comp = sum("check" in q for q in qs)
    out = [
        f"# {t['title'].format(ch=ch, title=data['title'][lang])}",
        "",
        t["intro"].format(n=len(qs), multi=multi, comp=comp),
        "",
    ]
    for number, q in enumerate(qs, 1):
        tag = (
            f" （{t['multi']}）"
            if lang == "zh" and isinstance(q["answer"], list)
            else ""
        )
        if lang == "en" and isinstance(q["answer"], list):
            tag = f" ({t['multi']})"
        out += [f"## {number}. `{q['id']}`{tag}", "", _one_line(q["stem"][lang]), ""]
        out += [
            f"- **{MULTI_LETTERS[k]}.** {_one_line(o[lang])}"
            for k, o in enumerate(q["option"])
        ]
        out.append("")
    out += ["---", "", f"## {t['key']}", ""]
    for number, q in enumerate(qs, 1):
        key = answers(q)
        out += [
            f"### {number}. `{q['id']}` — {t['answer']}: {', '.join(key)}",
            "",
            f"*{t['section']}: {q['section'][lang]} · {t['source']}: {q['source']}*",
            "",
        ]
        for k, o in enumerate(q["option"]):
            verdict = t["right"] if MULTI_LETTERS[k] in key else t["wrong"]
            out.append(
                f"- **{MULTI_LETTERS[k]}** ({verdict}): {_one_line(o['explain'][lang])}"
            )
        out.append("")
    return "\n".join(out)


def render(chapters: dict[str, dict], out: Path = OUT) -> list[Path]:
    """Write ``out/{zh,en}/chNN.md`` and an index per language; return the pages."""
    written: list[Path] = []
    for lang in LANGS:
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        index = [f"# {TEXT[lang]['index']}", ""]
        for ch in sorted(chapters):
            path = folder / f"ch{ch}.md"
            path.write_text(
                render_chapter(ch, chapters[ch], lang) + "\n", encoding="utf-8"
            )
            written.append(path)
            index.append(f"- [{ch} {chapters[ch]['title'][lang]}](ch{ch}.md)")
        (folder / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bank", type=Path, default=BANK, help="folder of chNN.toml files"
    )
    parser.add_argument(
        "--out", type=Path, default=OUT, help="where to write {zh,en}/chNN.md"
    )
    parser.add_argument(
        "--check", action="store_true", help="validate only; write nothing"
    )
    args = parser.parse_args(argv)
    try:
        chapters = load_bank(args.bank)
    except tomllib.TOMLDecodeError as exc:
        print(f"error: cannot parse the bank: {exc}", file=sys.stderr)
        return 1
    errors = validate(chapters)
    print(report(chapters))
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print(f"  - {e}", file=sys.stderr)
        return 1
    if not args.check:
        files = render(chapters, args.out)
        print(f"\nwrote {len(files)} chapter pages under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
