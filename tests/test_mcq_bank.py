"""The instructor's multiple-choice bank (instructor/mcq) validates, its numbers are right,
and it renders to one page per chapter and language (tools/mcq_bank.py)."""

from __future__ import annotations

import copy
import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import pytest
import scipy.stats

import crmkit
import crmkit.clv
import crmkit.queues
import crmkit.segmentation

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "tools" / "mcq_bank.py"

_spec = importlib.util.spec_from_file_location("mcq_bank", TOOL)
mcq = importlib.util.module_from_spec(_spec)
sys.modules["mcq_bank"] = mcq
_spec.loader.exec_module(mcq)

BANK = mcq.load_bank()
QUESTIONS = [q for ch in sorted(BANK) for q in BANK[ch]["question"]]
COMPUTED = [q for q in QUESTIONS if "check" in q]


def test_bank_is_valid():
    assert mcq.validate(BANK) == []


@pytest.mark.parametrize("chapter", mcq.CHAPTERS)
def test_at_least_15_questions_per_chapter(chapter):
    assert chapter in BANK, f"ch{chapter}.toml is missing"
    assert len(BANK[chapter]["question"]) >= 15


def test_every_option_is_explained_in_both_languages():
    for q in QUESTIONS:
        # five options (A-E) only in a multi-answer question, as the course's have
        multi = isinstance(q["answer"], list)
        assert len(q["option"]) == 4 or (multi and len(q["option"]) == 5), q["id"]
        for opt in q["option"]:
            for lang in ("zh", "en"):
                assert opt[lang].strip(), q["id"]
                assert opt["explain"][lang].strip(), q["id"]


def test_answers_are_in_range_and_explanations_agree():
    for q in QUESTIONS:
        key = mcq.answers(q)
        letters = "ABCDE"[: len(q["option"])]
        assert key and all(x in letters for x in key), q["id"]
        for letter, opt in zip(letters, q["option"], strict=True):
            # the Chinese explanation of the right option(s) says so, of the wrong ones too
            zh = opt["explain"]["zh"]
            if letter in key:
                assert not zh.startswith("错误"), (q["id"], letter)
            else:
                assert not zh.startswith("正确。"), (q["id"], letter)


def test_computational_chapters_have_checked_numbers():
    for ch in ("02", "03", "06", "07"):
        assert sum("check" in q for q in BANK[ch]["question"]) >= 2, ch


NAMESPACE = {"crmkit": crmkit, "math": math, "scipy": scipy}


@pytest.mark.parametrize("question", COMPUTED, ids=[q["id"] for q in COMPUTED])
def test_computed_value_matches_crmkit(question):
    got = eval(question["check"], dict(NAMESPACE))
    assert float(got) == pytest.approx(question["value"], rel=1e-6)


def test_a_wrong_value_is_caught():
    q = copy.deepcopy(COMPUTED[0])
    got = eval(q["check"], dict(NAMESPACE))
    assert float(got) != pytest.approx(q["value"] * 1.01, rel=1e-6)


def _broken(mutate):
    bank = copy.deepcopy(BANK)
    mutate(bank["04"]["question"])
    return mcq.validate(bank)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda qs: qs[0]["option"][2]["explain"].pop("en"), "explanation"),
        (lambda qs: qs[0]["option"][1].update(zh="  "), "empty"),
        (lambda qs: qs[0].update(answer="E"), "answer"),
        (lambda qs: qs[0]["option"].pop(), "4 options"),
        # a fifth option is allowed in a multi-answer question only
        (lambda qs: qs[0]["option"].append(qs[0]["option"][0]), "exactly 4 options"),
        (
            lambda qs: qs[0].update(
                answer=["A", "E"],
                stem={
                    "zh": "（多选）" + qs[0]["stem"]["zh"],
                    "en": "(Select all that apply) " + qs[0]["stem"]["en"],
                },
            ),
            "outside A-D",
        ),
        (lambda qs: qs[1].update(id=qs[0]["id"]), "expected"),
        (lambda qs: qs[0].update(answer=["A", "C"]), "multi-answer stem"),
        (
            lambda qs: qs[0].pop("value", None) or qs[0].update(check="1 + 1"),
            "go together",
        ),
        (lambda qs: qs[0]["option"][3].update(en="All of the above"), "all/none"),
        (lambda qs: del_all_but(qs, 14), "at least 15"),
        (
            lambda qs: [
                q.update(answer="A") for q in qs if isinstance(q["answer"], str)
            ],
            "unbalanced",
        ),
    ],
)
def test_validator_catches_broken_banks(mutate, message):
    errors = _broken(mutate)
    assert any(message in e for e in errors), errors


def del_all_but(qs, n):
    del qs[n:]


def test_render_writes_every_chapter_and_stem(tmp_path):
    files = mcq.render(BANK, tmp_path)
    assert len(files) == 2 * len(mcq.CHAPTERS)
    for ch in mcq.CHAPTERS:
        for lang in ("zh", "en"):
            page = (tmp_path / lang / f"ch{ch}.md").read_text(encoding="utf-8")
            key = page.index("---\n")
            for q in BANK[ch]["question"]:
                assert mcq._one_line(q["stem"][lang]) in page[:key], (ch, lang, q["id"])
                assert mcq._one_line(q["option"][0]["explain"][lang]) in page[key:]
                heading = f"`{q['id']}` — {mcq.TEXT[lang]['answer']}: {', '.join(mcq.answers(q))}"
                assert heading in page[key:]


def test_cli_check_passes_and_fails(tmp_path):
    run = [sys.executable, str(TOOL), "--check"]
    ok = subprocess.run(run, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert "total" in ok.stdout
    bad = tmp_path / "bank"
    bad.mkdir()
    text = (REPO / "instructor" / "mcq" / "ch01.toml").read_text(encoding="utf-8")
    (bad / "ch01.toml").write_text(
        text.replace('answer = "', 'answer = "Z', 1), encoding="utf-8"
    )
    broken = subprocess.run(
        [*run, "--bank", str(bad)], capture_output=True, text=True, check=False
    )
    assert broken.returncode == 1
    assert "is missing" in broken.stderr and "not one of A-D" in broken.stderr
    out = tmp_path / "site"
    made = subprocess.run(
        [sys.executable, str(TOOL), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (out / "en").glob("ch*.md")) == [
        f"ch{c}.md" for c in mcq.CHAPTERS
    ]
