"""check() answers every object with one sentence for the student; the registry refuses
bad questions with clear errors."""

from __future__ import annotations

import contextlib
import io
import math
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crmkit.errors import ParameterError
from crmkit.exercises import (
    Question,
    check,
    make_student_notebook,
    questions,
    register,
    student_source,
)
from crmkit.exercises._registry import _REGISTRY
from tests.adversarial import NOT_NUMBERS, assert_clear_error, stable_id
from tests.test_exercises import build_tool

pytestmark = pytest.mark.adversarial

COVERS = (
    "crmkit.exercises.Question",
    "crmkit.exercises.check",
    "crmkit.exercises.make_student_notebook",
    "crmkit.exercises.questions",
    "crmkit.exercises.register",
    "crmkit.exercises.student_source",
)

#: what must never reach a student: exception class names, tracebacks, and the text
#: of the exceptions the objects below raise
INTERNAL = re.compile(r"Traceback|\b[A-Za-z_]\w*(Error|Exception)\b|boom")


class BadEq:
    def __eq__(self, other):
        raise RuntimeError("boom-eq")

    __hash__ = None


class BadFloat(float):
    def __float__(self):
        raise ArithmeticError("boom-float")


class BadInt(int):
    def __int__(self):
        raise ArithmeticError("boom-int")

    def __index__(self):
        raise ArithmeticError("boom-index")


class BadStr(str):
    def __str__(self):
        raise RuntimeError("boom-str")

    def strip(self, *args):
        raise RuntimeError("boom-strip")

    def casefold(self):
        raise RuntimeError("boom-casefold")


class BadRepr:
    def __repr__(self):
        raise RuntimeError("boom-repr")

    def __str__(self):
        raise RuntimeError("boom-str")


class BadLen(list):
    def __len__(self):
        raise RuntimeError("boom-len")


class BadBool:
    def __bool__(self):
        raise RuntimeError("boom-bool")

    def __float__(self):
        raise RuntimeError("boom-float")


class BadArray(np.ndarray):
    def item(self, *args):
        raise RuntimeError("boom-item")


NASTY = [
    BadEq(),
    BadFloat(2.0),
    BadInt(3),
    BadStr("touchpoint"),
    BadRepr(),
    BadLen([1]),
    BadBool(),
    np.zeros(1).view(BadArray),
    ValueError("boom-value"),
    ZeroDivisionError,
    print,
    object(),
    type,
    Ellipsis,
]

ANSWERS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    st.just(math.nan),
    st.complex_numbers(),
    st.fractions(),
    st.decimals(),
    st.text(max_size=30),
    st.binary(max_size=10),
    st.lists(st.integers(), max_size=3),
    st.tuples(st.floats(), st.text(max_size=3)),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3)),
    hnp.arrays(np.int64, st.just(1)),
    hnp.arrays(object, st.just(1), elements=st.sampled_from([None, "x", 1])),
    st.builds(lambda v: pd.DataFrame({"a": v}), st.lists(st.floats(), max_size=3)),
    st.builds(pd.Series, st.lists(st.integers(), max_size=3), dtype=st.just(object)),
    st.sampled_from([np.float64(0.5), np.int64(7), np.bool_(True), np.str_("x")]),
    st.sampled_from(NASTY),
)


def safe_id(value) -> str:
    """A test id that does not call the value's own (maybe broken) repr."""
    return stable_id(value)[:40]


def printed(question_id, answer) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        check(question_id, answer)  # must not raise
    return buffer.getvalue()


def assert_one_sentence(out: str, label: str) -> None:
    assert out.endswith("\n") and out.count("\n") == 1, repr(out)
    assert out.startswith(f"{label}: "), repr(out)
    assert not INTERNAL.search(out.removeprefix(label)), out


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(answer=ANSWERS)
def test_check_prints_one_sentence_for_any_answer_to_any_question(answer):
    for qid in sorted(_REGISTRY):
        assert_one_sentence(printed(qid, answer), qid)


@pytest.mark.parametrize("answer", NASTY + NOT_NUMBERS, ids=safe_id)
def test_check_survives_objects_that_break_on_use(answer):
    for qid in sorted(_REGISTRY):
        assert_one_sentence(printed(qid, answer), qid)


@pytest.mark.parametrize(
    ("question_id", "label"),
    [
        (6, "6"),
        (None, "None"),
        (["ch00_q1"], "['ch00_q1']"),
        (BadRepr(), "<BadRepr>"),
        ("ch00_Q1", "ch00_Q1"),
        ("", ""),
        ("ch00_q1\nprint('x')", "ch00_q1\nprint('x')"),
    ],
    ids=safe_id,
)
def test_check_answers_bad_ids_with_a_sentence(question_id, label):
    out = printed(question_id, 1)
    label = " ".join(label.split("\n"))
    assert out.count("\n") == 1 and out.startswith(f"{label}: "), repr(out)
    assert "unknown question id" in out and not INTERNAL.search(out)


def test_a_near_miss_id_gets_a_suggestion():
    assert "Did you mean 'ch00_q1'?" in printed("ch00_Q1", 1)


def test_a_str_subclass_id_that_breaks_is_still_answered():
    assert_one_sentence(printed(BadStr("ch00_q1"), "x"), "ch00_q1")


def test_answer_types_get_specific_advice():
    qid = next(q for q, item in _REGISTRY.items() if item.kind == "number")
    # a number written as text is read as that number (equivalent answers count)
    assert "0.5" in printed(qid, "0.5") and "text" not in printed(qid, "0.5")
    assert "got the text 'abc'" in printed(qid, "abc")
    assert "pick the one value" in printed(qid, pd.Series([0.5, 0.6]))
    assert "True/False" in printed(qid, True)
    assert "finite" in printed(qid, math.inf)
    assert "too large" in printed(qid, 10**400)
    choice = next(q for q, item in _REGISTRY.items() if item.kind == "choice")
    assert "write it in quotes" in printed(choice, 3.5)
    assert "'3' is not an accepted answer" in printed(choice, 3)


@pytest.fixture
def temporary():
    """Register throw-away questions, and remove them afterwards."""
    added = []

    def add(q):
        _REGISTRY[q.id] = q
        added.append(q.id)
        return q.id

    yield add
    for qid in added:
        _REGISTRY.pop(qid, None)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("number", lambda: 1 / 0),
        ("number", lambda: "abc"),
        ("number", lambda: None),
        ("integer", lambda: [1, 2]),
        ("integer", lambda: math.nan),
        ("choice", lambda: 3),
        ("choice", lambda: None),
    ],
    ids=[
        "raises",
        "text for a number",
        "None",
        "list for an integer",
        "nan for an integer",
        "number for choices",
        "None for choices",
    ],
)
def test_broken_references_are_reported_not_raised(temporary, kind, expected):
    qid = temporary(Question("tmp_q_ref", "x", kind, expected=expected))
    for answer in (1, 2.5, "x"):
        out = printed(qid, answer)
        assert_one_sentence(out, qid)
    assert "could not" in printed(qid, 1) or "not yet" in printed(qid, 1)


@pytest.mark.parametrize(
    "checker",
    [
        lambda a: 1 / 0,
        lambda a: None,
        lambda a: "passed",
        lambda a: (1, "ok"),
        lambda a: (True, 3),
        lambda a: (True, "ok", "extra"),
        lambda a: (False, "TypeError: expected a DataFrame"),
    ],
    ids=["raises", "None", "text", "int flag", "number message", "three", "leaks"],
)
def test_broken_custom_checkers_are_reported_not_raised(temporary, checker):
    qid = temporary(Question("tmp_q_custom", "x", "custom", checker=checker))
    out = printed(qid, 1)
    assert_one_sentence(out, qid)
    assert "could not check" in out


def test_a_good_custom_checker_is_used(temporary):
    qid = temporary(
        Question("tmp_q_ok", "x", "custom", checker=lambda a: (a == 2, "compared"))
    )
    assert printed(qid, 2).startswith(f"{qid}: basic checks passed. compared")
    assert printed(qid, 3).startswith(f"{qid}: not yet. compared")


# -- questions, register, Question --------------------------------------------------------


@pytest.mark.parametrize(
    "chapter", [6, "06", "ch6", "CH06", "ch06 ", ["ch06"], True, b"ch06"], ids=stable_id
)
def test_questions_refuses_what_is_not_a_chapter_label(chapter):
    assert_clear_error(lambda: questions(chapter), "chapter", chapter)


def test_questions_refuses_a_chapter_without_questions():
    err = assert_clear_error(lambda: questions("ch42"), "chapter", "ch42")
    assert "'ch00'" in str(err)
    assert questions("ch00") and len(questions()) == len(_REGISTRY)


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", v) for v in ["", "a b", "ch06-q1", "x" * 41, 3, None, "ch00_q1\n"]]
    + [("kind", v) for v in ["float", "Number", None, 1]]
    + [("prompt", v) for v in [None, 3, b"x"]]
    + [("hint", v) for v in [None, 3]]
    + [("expected", v) for v in [3, "lambda: 1", None]]
    + [("checker", v) for v in [3, "f"]]
    + [("rtol", v) for v in [-1e-3, math.nan, math.inf, "0.1", True, None]]
    + [("atol", v) for v in [-1.0, math.nan, "0"]],
    ids=stable_id,
)
def test_question_refuses_bad_fields(field, value):
    args = {"id": "tmp_q_new", "prompt": "p", "kind": "number", field: value}
    assert_clear_error(
        lambda: Question(**args), field, value, show_value=field not in ("expected",)
    )


def test_a_custom_question_needs_a_checker():
    assert_clear_error(lambda: Question("tmp_q", "p", "custom"), "checker", None)


@pytest.mark.parametrize(
    "items", [3, None, "ch10_q1", {"id": "x"}, [3], [None], [Question], b"x"], ids=stable_id
)
def test_register_refuses_what_is_not_questions(items):
    before = dict(_REGISTRY)
    assert_clear_error(lambda: register(items), "items", show_value=False)
    assert before == _REGISTRY


def test_register_is_all_or_nothing_and_refuses_duplicates():
    before = dict(_REGISTRY)
    fresh = Question("tmp_q_fresh", "p", "number", expected=lambda: 1.0)
    taken = Question("ch00_q1", "p", "number", expected=lambda: 1.0)
    assert_clear_error(lambda: register([fresh, taken]), "ch00_q1", show_value=False)
    assert before == _REGISTRY  # fresh was not added either
    assert_clear_error(
        lambda: register([fresh, fresh]), "tmp_q_fresh", show_value=False
    )
    assert before == _REGISTRY
    try:
        register(fresh)  # one Question on its own is fine
        assert "tmp_q_fresh" in _REGISTRY
    finally:
        _REGISTRY.pop("tmp_q_fresh", None)


# -- student copies and the repository's builder -------------------------------------------


@pytest.mark.parametrize("source", [None, 3, b"x = 1  # SOLUTION", ["x"]], ids=stable_id)
def test_student_source_refuses_what_is_not_text(source):
    assert_clear_error(lambda: student_source(source), "source", source)


@pytest.mark.parametrize(
    "notebook",
    [
        None,
        {},
        {"cells": 3},
        {"cells": [{"cell_type": "code"}]},
        {"cells": [{"cell_type": "code", "source": 3}]},
        {"cells": [{"cell_type": "code", "source": "x", "metadata": []}]},
        {"cells": [None]},
        "nb.ipynb",
    ],
    ids=stable_id,
)
def test_make_student_notebook_refuses_what_is_not_a_notebook(notebook):
    assert_clear_error(
        lambda: make_student_notebook(notebook), "solution", show_value=False
    )


@pytest.mark.parametrize("root", [None, 3, b".", "/no/such/folder"], ids=stable_id)
def test_the_builder_tool_refuses_a_bad_root(root):
    tool = build_tool()
    assert_clear_error(lambda: tool.build_all(root, check=True), "root", root)


@pytest.mark.parametrize("root", [None, 3, "/no/such/folder"], ids=stable_id)
def test_the_old_build_all_refuses_a_bad_root(root):
    import crmkit.exercises

    with pytest.warns(DeprecationWarning):
        build_all = crmkit.exercises.build_all
    assert_clear_error(lambda: build_all(root, check=True), "root", root)


def test_the_builder_names_the_notebook_it_cannot_read(tmp_path):
    folder = tmp_path / "exercises" / "solutions" / "en"
    folder.mkdir(parents=True)
    (folder / "01_bad.ipynb").write_text('{"cells": [{"cell_type": "code"}]}')
    err = assert_clear_error(
        lambda: build_tool().build_all(tmp_path, check=True), "solution", None,
        show_value=False,
    )
    assert "01_bad.ipynb" in str(err)


def test_builder_still_reports_an_unclosed_solution_block():
    with pytest.raises(ValueError, match="END SOLUTION"):
        student_source("# BEGIN SOLUTION\nx = 1\n")


def test_fractions_and_exact_integers_are_judged():
    qid = next(q for q, item in _REGISTRY.items() if item.kind == "integer")
    out = printed(qid, Fraction(7, 2))
    assert_one_sentence(out, qid)
    assert "not a whole number" in out


@settings(max_examples=25, deadline=None)
@given(chapter=st.one_of(st.text(max_size=6), st.integers(), st.none()))
def test_questions_lists_a_chapter_or_says_why_not(chapter):
    try:
        listed = questions(chapter)
    except ParameterError as err:
        assert "chapter" in str(err) and ("pass" in str(err) or "choose" in str(err))
    else:
        assert listed and all(
            chapter is None or qid.startswith(f"{chapter}_") for qid in listed
        )
