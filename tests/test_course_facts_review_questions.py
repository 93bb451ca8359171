"""The course's chapter-1 review questions (course document 002, 客户关系管理选择题-答案汇编)
in the kit: the instructors' bank (instructor/mcq/ch10.toml, ch10_m18-m30) and the
exercise self-checks (crmkit/exercises/questions/ch10.toml, ch10_q10-q13) keep the
course's options, in the course's letters, and the course's answer key.

The document is read independently of the kit's files: each question is the text from
its number ("3、") to the next one, its key the letters in brackets after the stem, and
an option the text after its letter. Skipped when the course documents are absent.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from crmkit.exercises._registry import _REGISTRY
from tests.conftest import REPO

DOC = REPO.parent / "shared" / "course" / "002_05266a7ef36dbb10.txt"
BANK = REPO / "instructor" / "mcq" / "ch10.toml"
EXERCISES = REPO / "crmkit" / "exercises" / "questions" / "ch10.toml"

#: bank id -> (part of the course quiz, question number)
BANK_MAP = {f"ch10_m{18 + k:02d}": ("single", k + 1) for k in range(9)} | {
    f"ch10_m{27 + k:02d}": ("multi", k + 1) for k in range(4)
}
#: exercise id -> (part, question number)
EXERCISE_MAP = {
    "ch10_q10": ("single", 2),
    "ch10_q11": ("single", 4),
    "ch10_q12": ("multi", 1),
    "ch10_q13": ("multi", 3),
}
#: the course text lost the options of this question (only its key survives)
NO_OPTIONS = ("multi", 4)


def _quiz() -> dict[str, str]:
    """The two parts of the chapter-1 quiz as one line each (skip when absent)."""
    if not DOC.is_file():
        pytest.skip(f"the course documents are not beside the repository ({DOC})")
    text = DOC.read_text(encoding="utf-8")
    start = text.index("第一章客户关系管理导论一、单选题")
    end = text.index("服务业行业客户关系管理", start)
    quiz = re.sub(r"\s*\n\s*", "", text[start:end])
    single, multi = quiz.split("二、多选题")
    return {"single": single, "multi": multi}


def _question(part: str, number: int) -> tuple[str, str]:
    """(key letters, text after the key) of one course question."""
    text = _quiz()[part]
    at = text.index(f"{number}、")
    nxt = text.find(f"{number + 1}、", at)
    body = text[at : nxt if nxt > 0 else len(text)]
    m = re.search(r"[（(]([A-E ]+)[)）]", body)
    assert m, body
    return m.group(1).replace(" ", ""), body[m.end() :]


def _options(after_key: str) -> list[str]:
    """The option texts of a question, A first (the letters run A, B, C, ...)."""
    found, at = [], 0
    for letter in "ABCDE":
        m = re.compile(rf"{letter} ?").search(after_key, at)
        if not m:
            break
        found.append(m)
        at = m.end()
    ends = [m.start() for m in found[1:]] + [len(after_key)]
    texts = [after_key[m.end() : e].strip() for m, e in zip(found, ends, strict=True)]
    if texts:  # the stem of the next question may follow the last option
        texts[-1] = re.split(r"。|\d+、", texts[-1])[0].strip()
    return texts


def _bank() -> dict[str, dict]:
    data = tomllib.loads(BANK.read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["question"]}


def test_the_document_holds_nine_single_and_four_multiple_choice_questions():
    quiz = _quiz()
    assert re.findall(r"(\d)、", quiz["single"]) == [str(n) for n in range(1, 10)]
    assert re.findall(r"(\d)、", quiz["multi"]) == ["1", "2", "3", "4"]
    assert _question("multi", 4) == ("ABC", "。")


@pytest.mark.parametrize("qid", sorted(BANK_MAP))
def test_bank_item_keeps_the_course_options_and_key(qid):
    q = _bank()[qid]
    key, after = _question(*BANK_MAP[qid])
    answer = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
    assert "".join(answer) == key
    assert q["source"] == "002"
    options = [o["zh"] for o in q["option"]]
    if BANK_MAP[qid] == NO_OPTIONS:
        # the kit supplies the options from the front-office question's terms
        terms = _options(_question("single", 6)[1])
        assert sorted(options) == sorted(terms)
        assert options[:3] == [terms[1], terms[2], terms[3]]
        return
    assert options == _options(after)


@pytest.mark.parametrize("qid", sorted(EXERCISE_MAP))
def test_exercise_keeps_the_course_options_and_key(qid):
    data = tomllib.loads(EXERCISES.read_text(encoding="utf-8"))
    q = {x["id"]: x for x in data["question"]}[qid]
    key, after = _question(*EXERCISE_MAP[qid])
    options = _options(after)
    assert q["answer"] == key
    assert q["options"] == "ABCDE"[: len(options)]
    for lang in ("zh", "en"):
        prompt = q["prompt"][lang]
        for letter, text in zip("ABCDE", options, strict=False):
            assert f"{letter} {text}" in prompt, (lang, letter, text)


def test_the_option_parser_reads_a_known_question():
    # an independent spot check of the parser on the first multi-answer question
    key, after = _question("multi", 1)
    assert key == "ABCD"
    assert _options(after) == [
        "准时制生产阶段",
        "精益生产与精益供应阶段",
        "生产需求阶段",
        "快速反映供应链阶段",
        "物流管理阶段",
    ]


@pytest.mark.parametrize("qid", sorted(EXERCISE_MAP))
def test_multi_answers_are_checked_as_sets(qid):
    q = _REGISTRY[qid]
    key = q.accept[0]
    shuffled = key[::-1]
    assert q.verdict(shuffled)[0]
    assert q.verdict(", ".join(key.lower()))[0]
    assert q.verdict(list(shuffled))[0]
    assert q.verdict(set(key))[0]
    assert q.verdict("、".join(key))[0]
    assert not q.verdict(key + "E")[0]  # a superset
    assert not q.verdict(key[:-1] if len(key) > 1 else "C")[0]  # a subset, another
    passed, message = q.verdict("Z")
    assert not passed and "not an option" in message
