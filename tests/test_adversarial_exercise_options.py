"""Lettered choice questions (``Question(..., options="ABCDE")``, the course's review
questions): bad option letters are refused with clear errors, and any answer a student
may type gets one sentence, never an exception."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest

from crmkit.exercises import Question, check
from tests.adversarial import assert_clear_error

pytestmark = pytest.mark.adversarial

COVERS = ("crmkit.exercises.Question",)


def _lettered(options="ABCDE", kind="choice", accept=("BCD",)):
    return Question(
        "x_q1",
        {"en": "Which?", "zh": "哪些？"},
        kind,
        lambda: set(accept),
        accept=accept,
        options=options,
    )


@pytest.mark.parametrize(
    "options",
    ["A", "abc", "AAB", "AB1", "ÄB", 5, None, ["A", "B"], b"AB"],
)
def test_options_that_are_not_distinct_capital_letters_are_refused(options):
    assert_clear_error(lambda: _lettered(options=options), "options", options)


def test_options_belong_to_a_choice_question():
    assert_clear_error(lambda: _lettered(kind="number", accept=()), "options", "ABCDE")


@pytest.mark.parametrize("accept", [("BCF",), ("客户定制生产",), ("",)])
def test_accepted_answers_use_only_the_option_letters(accept):
    assert_clear_error(lambda: _lettered(accept=accept), "accept", accept[0])


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "   ",
        "Z",
        "BCD!",
        "客户定制生产",
        3,
        2.5,
        True,
        None,
        [1, 2],
        ["B", 3],
        {"B": 1},
        np.array(["B", "C"]),
        b"BCD",
        "B" * 10_000,
        "\x00",
    ],
)
def test_any_answer_gets_one_sentence(answer):
    q = _lettered()
    passed, message = q.verdict(answer)
    assert isinstance(passed, bool) and message and "\n" not in message
    assert not passed
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check("ch10_q13", answer)
    assert out.getvalue().startswith("ch10_q13")


def test_a_zero_dimensional_array_is_read_as_its_text():
    assert _lettered().verdict(np.array("DCB"))[0]
