"""Recompute the stored answers of the exercise questions.

    python tools/exercise_answers.py          rewrite every stale answer in place
    python tools/exercise_answers.py --check  write nothing; exit 1, list stale ones

Each question file ``crmkit/exercises/questions/chNN.toml`` stores an ``answer`` per
question. The reference computations in ``tests/exercise_answers.py`` (``REFERENCE``)
recompute them with crmkit. An answer is stale when it no longer agrees with its
reference (numbers: to 1e-9 relative, or a tenth of the question's tolerance if that is
tighter; integers: exactly; choice: the stored answer must be one of the computed ones
and ``accept`` must hold them all).

Only the ``answer = ...`` lines of number and integer questions are rewritten; nothing
else in a file changes. A stale choice question is never rewritten: a new correct
answer needs new ``accept`` spellings and ``wrong`` answers, so the script lists it
and exits 1 for a person to edit the file. Run it after a change to crmkit that moves a
reference value, then run ``tests/test_exercise_answers.py``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.exercise_answers import (  # noqa: E402  (needs the repository on the path)
    CHAPTERS,
    REFERENCE,
    answer_literal,
    question_file,
    stored_is_current,
)

#: a table header such as [[question]]: the keys that follow belong to a new table
_TABLE = re.compile(r"^\s*\[")
_ID = re.compile(r"""^\s*id\s*=\s*"([^"]*)"\s*(#.*)?$""")
_ANSWER = re.compile(r"^(\s*answer\s*=\s*)([^#\r\n]*?)(\s*#.*)?(\r?\n)?$")


def replace_answers(text: str, values: dict[str, str]) -> str:
    """``text`` with the ``answer = ...`` line of each question id in ``values``
    replaced by ``answer = <values[id]>`` (a TOML literal); every other line, and any
    comment after an answer, is kept as it is.

    Raises
    ------
    KeyError
        An id in ``values`` that has no ``answer`` line in ``text``.
    """
    out: list[str] = []
    current: str | None = None
    done: set[str] = set()
    for line in text.splitlines(keepends=True):
        if _TABLE.match(line):
            current = None
        elif match := _ID.match(line):
            current = match.group(1)
        elif (match := _ANSWER.match(line)) and current in values:
            head, _, comment, end = match.groups()
            line = f"{head}{values[current]}{comment or ''}{end or ''}"
            done.add(current)
        out.append(line)
    missing = sorted(set(values) - done)
    if missing:
        raise KeyError(f"no answer line for {', '.join(missing)}")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Recompute the stored answers of the exercise questions."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the stale answers",
    )
    args = parser.parse_args(argv)

    stale: list[str] = []  # printed lines
    manual: list[str] = []
    failed: list[str] = []
    for chapter in CHAPTERS:
        path = question_file(chapter)
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
        updates: dict[str, str] = {}
        for q in data.get("question", []):
            qid, kind = q["id"], q["kind"]
            if kind == "open":  # received, not judged: no stored answer to compute
                continue
            if qid not in REFERENCE:
                failed.append(f"{qid}: no reference computation in REFERENCE")
                continue
            try:
                reference = REFERENCE[qid]()
            except Exception as exc:  # report every question, not the first failure
                failed.append(
                    f"{qid}: the reference failed: {type(exc).__name__}: {exc}"
                )
                continue
            if stored_is_current(q, reference):
                continue
            if kind == "choice":
                manual.append(
                    f"{qid}: stored {q['answer']!r}, computed {sorted(reference)}; "
                    "edit answer, accept and wrong by hand"
                )
                continue
            literal = answer_literal(kind, reference)
            stale.append(f"{qid}: {q['answer']!r} -> {literal}")
            updates[qid] = literal
        if updates and not args.check:
            new = replace_answers(text, updates)
            tomllib.loads(new)  # never write a file that no longer parses
            path.write_text(new, encoding="utf-8")

    verb = "stale" if args.check else "rewritten"
    for line in stale:
        print(f"{verb}: {line}")
    for line in manual:
        print(f"needs a manual edit: {line}")
    for line in failed:
        print(f"error: {line}", file=sys.stderr)
    if not (stale or manual or failed):
        print(f"all {len(REFERENCE)} stored answers are current")
    elif not args.check and stale:
        print(f"{len(stale)} answer(s) rewritten")
    if failed or manual or (args.check and stale):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
