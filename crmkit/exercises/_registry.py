"""Questions and the ``check`` function students call after each answer."""

from __future__ import annotations

import difflib
import math
import numbers
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._i18n import get_language, tr
from crmkit._validate import check_choice, check_nonnegative, show
from crmkit.errors import DataError, ParameterError

__all__ = ["Question", "check", "load_questions", "questions", "register"]

#: a text in both languages, as the question files give it
Bilingual = str | Mapping[str, str]


def _text(value: Bilingual) -> str:
    """The text of ``value`` in the selected language (English when it lacks one)."""
    if isinstance(value, str):
        return value
    return value.get(get_language()) or value.get("en", "")


def normalise_text(text: str) -> str:
    """A text answer reduced to what decides whether it is right: Unicode NFKC (so
    full-width letters and punctuation become ordinary ones), case folded, quotes and
    end punctuation dropped, arrows written one way, white space collapsed.

    Examples
    --------
    >>> normalise_text("  Website ->Phone ")
    'website → phone'
    >>> normalise_text("记录要点，判断投诉是否成立。")
    '记录要点,判断投诉是否成立'
    """
    if not isinstance(text, str):
        raise ParameterError(
            f"text = {show(text)} is not text; pass a str, e.g. 'website → phone'."
        )
    t = unicodedata.normalize("NFKC", text).casefold().strip()
    t = t.strip("'\"“”‘’「」『』.。!！?？ ")
    t = re.sub(r"\s*(?:-+>|=+>|—+>|⟶|⇒|->|→|>)\s*", " → ", t)
    return " ".join(t.split())


#: What ``check`` returns from a custom checker: (passed, message).
Verdict = tuple[bool, str]

#: the ways an answer can be compared
KINDS = ("number", "integer", "choice", "custom", "open")
_ID = re.compile(r"[A-Za-z0-9_]{1,40}")
_CHAPTER = re.compile(r"ch\d\d")
#: what must never reach a student: exception class names and tracebacks
_INTERNAL = re.compile(r"Traceback|\b[A-Za-z_]\w*(Error|Exception)\b")


class _NoReference(Exception):
    """crmkit could not compute a question's own value (raised inside check only)."""


@dataclass(frozen=True)
class Question:
    """One exercise question and how its answer is checked.

    Parameters
    ----------
    id : str
        ``"chNN_qK"``, the label printed in the notebook.
    prompt : str
        One line saying what is asked (shown by :func:`questions`).
    kind : {"number", "integer", "choice", "custom", "open"}
        How the answer is compared: a float within ``rtol``/``atol`` of ``expected()``,
        an exact whole number, one of ``expected()`` (a set of accepted strings,
        compared case-insensitively), or ``checker(answer)``. An ``"open"`` question
        (a design task, a decision to defend, a role-play) is not judged: the check
        only confirms that the answer is a text of at least ``min_chars`` characters
        and shows the ``checklist`` of what a good answer covers; the instructor
        grades it with the rubric in ``instructor/rubrics/``.
    expected : callable
        Returns the reference value; evaluated only when a student checks an answer.
    hint : str
        Printed when the answer is not accepted. Never gives the answer away.
    rtol, atol : float
        Tolerances for ``kind="number"``.
    checker : callable, optional
        For ``kind="custom"``: ``answer -> (passed, message)``.
    checklist : dict, optional
        For ``kind="open"``: the points a good answer covers, by language
        (``{"en": [...], "zh": [...]}``), shown once an answer is received.
    min_chars : int
        For ``kind="open"``: the least number of characters (white space not counted)
        an answer must have to be received.
    options : str
        For a ``"choice"`` question with lettered options (a course review question),
        the letters offered, e.g. ``"ABCDE"``. The answer is then read as a *set* of
        these letters: order, case, repeats and separators do not matter (``"DB"``,
        ``"b, d"`` and ``["B", "D"]`` are the same answer), and it must equal the set
        of letters of an accepted answer. Empty (the default) for text answers.

    Raises
    ------
    ParameterError
        An id that is not 1-40 letters, digits or ``_``; a kind not listed above; a
        prompt or hint that is not text; ``options`` that are not distinct capital
        letters, given to a question that is not a choice, or that leave out a letter
        of an accepted answer; ``expected`` or ``checker`` not callable (a
        custom question needs a checker); a negative, NaN or infinite tolerance.
    """

    id: str
    prompt: Bilingual
    kind: str
    expected: Callable[[], Any] = field(repr=False, default=lambda: None)
    hint: Bilingual = ""
    rtol: float = 1e-3
    atol: float = 0.0
    checker: Callable[[Any], Verdict] | None = field(repr=False, default=None)
    accept: tuple[str, ...] = ()
    percent: bool = False
    unit: Mapping[str, str] | None = None
    checklist: Mapping[str, Sequence[str]] | None = field(repr=False, default=None)
    min_chars: int = 0
    options: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.fullmatch(self.id):
            raise ParameterError(
                f"id = {show(self.id)} is not a question id; use 1-40 letters, digits "
                "or '_', e.g. 'ch06_q1'."
            )
        for name in ("prompt", "hint"):
            value = getattr(self, name)
            ok = isinstance(value, str) or (
                isinstance(value, Mapping)
                and "en" in value
                and all(isinstance(v, str) for v in value.values())
            )
            if not ok:
                raise ParameterError(
                    f"{name} = {show(value)} is not text; pass a str or a dict of "
                    "texts by language, e.g. {'en': '...', 'zh': '...'}."
                )
        accept = tuple(self.accept)
        if not all(isinstance(a, str) for a in accept):
            raise ParameterError(
                f"accept = {show(self.accept)} must list texts; pass e.g. "
                "('Tue', 'Tuesday', '星期二')."
            )
        check_choice("kind", self.kind, KINDS)
        if not callable(self.expected):
            raise ParameterError(
                f"expected = {show(self.expected)} is not callable; pass a function "
                "that returns the reference value, e.g. lambda: 42."
            )
        if self.checker is not None and not callable(self.checker):
            raise ParameterError(
                f"checker = {show(self.checker)} is not callable; pass a function "
                "answer -> (passed, message)."
            )
        if self.kind == "open":
            _check_open_fields(self.checklist, self.min_chars)
        if self.options != "":
            _check_options(self.options, self.kind, accept)
        if self.kind == "custom" and self.checker is None:
            raise ParameterError(
                "checker = None, but kind = 'custom' needs one; pass a function "
                "answer -> (passed, message)."
            )
        set_fields(
            self,
            accept=accept,
            rtol=check_nonnegative("rtol", self.rtol),
            atol=check_nonnegative("atol", self.atol),
        )

    @property
    def prompt_text(self) -> str:
        """The prompt in the selected language."""
        return _text(self.prompt)

    @property
    def hint_text(self) -> str:
        """The hint in the selected language."""
        return _text(self.hint)

    def reference(self) -> Any:
        """The expected value, computed once per session (it is deterministic)."""
        if self.id not in _REFERENCE_CACHE:
            _REFERENCE_CACHE[self.id] = self.expected()
        return _REFERENCE_CACHE[self.id]

    def _reference(self) -> Any:
        try:
            return self.reference()
        except Exception as exc:  # a missing data set, a broken reference function
            raise _NoReference from exc

    def _reference_as(self, kind: Callable[[Any], Any]) -> Any:
        """The reference value as ``kind`` (``float`` or ``int``)."""
        try:
            return kind(self._reference())
        except (TypeError, ValueError, OverflowError) as exc:
            raise _NoReference from exc

    def verdict(self, answer: Any) -> Verdict:
        """Return ``(passed, message)`` for ``answer``.

        Any answer is judged, never raises for the answer's sake: a wrong type, NaN or
        an object that cannot be compared gets a message saying what was expected.
        """
        if self.kind == "number":
            return self._check_number(answer)
        if self.kind == "integer":
            return self._check_integer(answer)
        if self.kind == "choice":
            return self._check_choice(answer)
        if self.kind == "custom" and self.checker is not None:
            return _custom(self.checker, answer)
        if self.kind == "open":
            return self._check_open(answer)
        return False, f"question {self.id} has no checker of kind {self.kind!r}."

    def _tolerance(self) -> str:
        if self.rtol and self.atol:
            return tr(
                en=f"within {_pct(self.rtol)} or {self.atol:g}",
                zh=f"相对误差不超过 {_pct(self.rtol)}，或绝对误差不超过 {self.atol:g}",
            )
        if self.rtol:
            return tr(
                en=f"within {_pct(self.rtol)}", zh=f"相对误差不超过 {_pct(self.rtol)}"
            )
        return tr(en=f"within ±{self.atol:g}", zh=f"绝对误差不超过 {self.atol:g}")

    def _digits(self) -> int:
        """Significant digits worth showing: what the tolerance resolves, no more."""
        tol = self.rtol or 1e-3
        return max(3, min(10, math.ceil(-math.log10(tol)) + 1))

    def _close(self, value: float, ref: float) -> bool:
        return math.isclose(value, ref, rel_tol=self.rtol, abs_tol=self.atol)

    def _check_number(self, answer: Any) -> Verdict:
        value, problem, as_percent = _parse_number(answer, self)
        if problem:
            return False, problem
        if not math.isfinite(value):
            return False, tr(
                en=f"your answer is {value}; expected a finite number.",
                zh=f"你的答案是 {value}，应当是一个有限的数。",
            )
        ref = self._reference_as(float)
        shown = f"{value:.{self._digits()}g}"
        if self._close(value, ref):
            read = tr(en=" (read as a percentage)", zh="（按百分数理解）")
            read = read if as_percent else ""
            return True, tr(
                en=f"{shown}{read} agrees with crmkit's value ({self._tolerance()}).",
                zh=f"{shown}{read} 与 crmkit 的计算结果一致（{self._tolerance()}）。",
            )
        if self.percent and not as_percent and self._close(value / 100, ref):
            return False, tr(
                en=f"{shown} looks like a percentage; give the share as a fraction "
                f"(e.g. {value / 100:g}) or write it with a % sign.",
                zh=f"{shown} 看起来是百分数；请写成小数（例如 {value / 100:g}），"
                "或加上 % 号。",
            )
        return False, tr(
            en=f"{shown} is not {self._tolerance()} of crmkit's value.",
            zh=f"{shown} 与 crmkit 的计算结果相差超出允许范围（{self._tolerance()}）。",
        )

    def _check_integer(self, answer: Any) -> Verdict:
        answer = _unwrap(answer)
        if isinstance(answer, numbers.Integral) and not isinstance(
            answer, bool | np.bool_
        ):
            try:
                whole = int(answer)
            except Exception:  # an Integral whose __int__ fails: not usable
                return False, "your answer could not be read as a whole number."
        else:
            value, problem, _pct_read = _parse_number(answer, self, whole=True)
            if problem:
                return False, problem
            if not value.is_integer():
                return False, tr(
                    en=f"{value:g} is not a whole number.",
                    zh=f"{value:g} 不是整数。",
                )
            whole = int(value)
        ref = self._reference_as(int)
        if whole == ref:
            return True, tr(
                en=f"{whole} is the expected whole number.",
                zh=f"{whole} 正是应得的整数。",
            )
        return False, tr(
            en=f"{_short_int(whole)} is not the expected number.",
            zh=f"{_short_int(whole)} 不是应得的数。",
        )

    @property
    def checklist_text(self) -> tuple[str, ...]:
        """The checklist of an open question in the selected language."""
        if not self.checklist:
            return ()
        items = self.checklist.get(get_language()) or self.checklist.get("en", ())
        return tuple(items)

    def _check_open(self, answer: Any) -> Verdict:
        """An open answer is received, not judged: it must be text of at least
        ``min_chars`` characters; the message says that nothing more was checked."""
        answer = _unwrap(answer)
        if not isinstance(answer, str):
            return False, tr(
                en=f"expected your answer as text, got {_describe(answer)}; write it "
                'between triple quotes, answer = """...""".',
                zh=f"这里需要文字答案，而你给出的是{_describe(answer)}；请把答案写在"
                '三引号之间：answer = """……"""。',
            )
        size = len("".join(str.__str__(answer).split()))
        if size < self.min_chars:
            return False, tr(
                en=f"your answer has {size} characters; an answer to this open "
                f"question needs at least {self.min_chars} (white space not counted).",
                zh=f"你的答案只有 {size} 个字符；这道开放题的答案至少需要 "
                f"{self.min_chars} 个字符（不计空白）。",
            )
        items = tr(en="; ", zh="；").join(
            f"({i}) {item}" for i, item in enumerate(self.checklist_text, 1)
        )
        return True, tr(
            en=f"Your answer ({size} characters) was received. This is an open "
            "question: crmkit checked only that it is a text of at least "
            f"{self.min_chars} characters, not what it says. Before you hand it in, "
            f"check that it covers: {items}. Your instructor grades it with a rubric.",
            zh=f"已收到你的答案（{size} 个字符）。这是一道开放题：crmkit 只检查了它是"
            f"不少于 {self.min_chars} 个字符的文字，并不评判其内容。提交之前，请对照"
            f"检查它是否涵盖：{items}。教师将按评分细则评分。",
        )

    def _check_choice(self, answer: Any) -> Verdict:
        answer = _unwrap(answer)
        if self.options:
            return self._check_letters(answer)
        if isinstance(answer, numbers.Integral) and not isinstance(
            answer, bool | np.bool_
        ):
            answer = str(int(answer))  # "step 2" may be answered as 2
        if not isinstance(answer, str):
            return False, tr(
                en=f"expected a text answer, got {_describe(answer)}; write it in "
                "quotes, e.g. 'differentiate'.",
                zh=f"这里需要文字答案，而你给出的是{_describe(answer)}；请把答案写在"
                "引号里，例如 '区分'。",
            )
        text = str.strip(str.__str__(answer))
        try:
            accepted = {normalise_text(str(a)) for a in self._reference()}
            accepted |= {normalise_text(a) for a in self.accept}
        except _NoReference:
            raise
        except Exception as exc:  # a reference that is not a set of strings
            raise _NoReference from exc
        if normalise_text(text) in accepted:
            return True, tr(
                en=f"{show(text)} is an accepted answer.",
                zh=f"{show(text)} 是可接受的答案。",
            )
        return False, tr(
            en=f"{show(text)} is not an accepted answer.",
            zh=f"{show(text)} 不是可接受的答案。",
        )

    def _check_letters(self, answer: Any) -> Verdict:
        """A lettered choice: the set of letters given against the accepted sets."""
        given, problem = _read_letters(answer, self.options)
        if problem:
            return False, problem
        try:
            accepted = {
                _read_letters(str(a), self.options)[0] for a in self._reference()
            }
            accepted |= {_read_letters(a, self.options)[0] for a in self.accept}
        except _NoReference:
            raise
        except Exception as exc:  # a reference that is not a set of strings
            raise _NoReference from exc
        shown = ", ".join(sorted(given))
        if given in accepted:
            return True, tr(
                en=f"{shown} is the accepted choice.",
                zh=f"{shown} 是可接受的选择。",
            )
        return False, tr(
            en=f"{shown} is not the accepted choice (letters are compared as a set, "
            "in any order).",
            zh=f"{shown} 不是可接受的选择（按字母的集合比较，与顺序无关）。",
        )


#: what may stand between the letters of a lettered answer
_LETTER_GAPS = re.compile(r"[\s,;/&+、，；和与]+")


def _read_letters(answer: Any, options: str) -> tuple[frozenset[str], str]:
    """``(letters, "")`` for an answer naming option letters (a text such as
    ``"B, D"`` or a list/tuple/set of such texts), else ``(frozenset(), problem)``.

    Examples
    --------
    >>> sorted(_read_letters("d、b", "ABCDE")[0])
    ['B', 'D']
    >>> "not an option" in _read_letters("BF", "ABCDE")[1]
    True
    """
    example = tr(en="e.g. 'AC'", zh="例如 'AC'")
    if isinstance(answer, list | tuple | set | frozenset) and all(
        isinstance(a, str) for a in answer
    ):
        text = " ".join(str.__str__(a) for a in answer)
    elif isinstance(answer, str):
        text = str.__str__(answer)
    else:
        return frozenset(), tr(
            en=f"expected the letters of your choices as text, got "
            f"{_describe(answer)}; write them in quotes, {example}.",
            zh=f"这里需要用文字写出所选的字母，而你给出的是{_describe(answer)}；"
            f"请把字母写在引号里，{example}。",
        )
    letters = _LETTER_GAPS.sub("", unicodedata.normalize("NFKC", text)).upper()
    if not letters:
        return frozenset(), tr(
            en=f"{show(text)} names no option; give the letters of your choices, "
            f"{example}.",
            zh=f"{show(text)} 没有写出任何选项；请写出所选的字母，{example}。",
        )
    stray = sorted(set(letters) - set(options))
    listed = ", ".join(options)
    if not all(c.isascii() and c.isalpha() for c in stray):
        return frozenset(), tr(
            en=f"{show(text)} is not a set of option letters; write the letters of "
            f"your choices among {listed} (not their wording), {example}.",
            zh=f"{show(text)} 不是选项字母；请在 {listed} 中写出所选的字母"
            f"（而不是选项的文字），{example}。",
        )
    if stray:
        return frozenset(), tr(
            en=f"{show(text)} names {', '.join(stray)}, which is not an option; give "
            f"the letters of your choices among {listed}, {example}.",
            zh=f"{show(text)} 中的 {', '.join(stray)} 不是选项；请在 {listed} 中写出"
            f"所选的字母，{example}。",
        )
    return frozenset(letters), ""


def _check_options(options: object, kind: str, accept: tuple[str, ...]) -> None:
    """Lettered options: distinct capital letters, for a choice whose accepted
    answers use only them."""
    if (
        not isinstance(options, str)
        or len(options) < 2
        or not options.isascii()
        or not options.isupper()
        or not options.isalpha()
        or len(set(options)) != len(options)
    ):
        raise ParameterError(
            f"options = {show(options)} are not option letters; pass two or more "
            "distinct capital letters, e.g. 'ABCDE'."
        )
    if kind != "choice":
        raise ParameterError(
            f"options = {options!r} belong to a choice question, not kind = "
            f"{kind!r}; leave options empty or use kind = 'choice'."
        )
    for a in accept:
        if _read_letters(a, options)[1]:
            raise ParameterError(
                f"accept holds {show(a)}, which is not a set of the letters "
                f"{options!r}; accept only letters of the options, e.g. 'AC'."
            )


_REGISTRY: dict[str, Question] = {}
_REFERENCE_CACHE: dict[str, Any] = {}


def register(items: Iterable[Question]) -> None:
    """Add questions to the registry (ids must be unique).

    ``items`` is a list (or other iterable) of :class:`Question`, or one
    ``Question``. Either all are added or, on an error, none.

    Raises
    ------
    ParameterError
        An item that is not a ``Question``, or an id already registered (or given
        twice).
    """
    if isinstance(items, Question):
        items = [items]
    if isinstance(items, str | bytes | dict) or not isinstance(items, Iterable):
        raise ParameterError(
            f"items = {show(items)} is not a list of Question; pass e.g. "
            "[Question('ch10_q1', 'prompt', 'number', lambda: 1.0)]."
        )
    batch = list(items)
    seen: set[str] = set()
    for q in batch:
        if not isinstance(q, Question):
            raise ParameterError(
                f"items holds {show(q)}, a {type(q).__name__}, not a Question; pass "
                "only Question objects."
            )
        if q.id in _REGISTRY or q.id in seen:
            raise ParameterError(
                f"duplicate exercise id {q.id!r}: it is already registered; give the "
                "question another id."
            )
        seen.add(q.id)
    for q in batch:
        _REGISTRY[q.id] = q


def questions(chapter: str | None = None) -> dict[str, str]:
    """Return ``{id: prompt}`` for all questions, or those of one chapter (``"ch06"``).

    Examples
    --------
    >>> from crmkit.exercises import questions
    >>> "ch00_q1" in questions("ch00")
    True
    """
    if chapter is not None:
        chapters = sorted({qid.split("_", 1)[0] for qid in _REGISTRY})
        if not isinstance(chapter, str) or not _CHAPTER.fullmatch(chapter):
            raise ParameterError(
                f"chapter = {show(chapter)} is not a chapter label; pass e.g. 'ch06' "
                "(or None for all questions)."
            )
        if chapter not in chapters:
            raise ParameterError(
                f"chapter = {chapter!r} has no questions; choose one of "
                f"{', '.join(map(repr, chapters))}."
            )
    return {
        qid: q.prompt_text
        for qid, q in sorted(_REGISTRY.items())
        if chapter is None or qid.startswith(f"{chapter}_")
    }


_KINDS_IN_FILES = ("number", "integer", "choice", "open")


def _check_open_fields(checklist: object, min_chars: object) -> None:
    """An open question needs a checklist in English (and its other languages) and a
    positive whole ``min_chars``."""
    ok = (
        isinstance(checklist, Mapping)
        and "en" in checklist
        and all(
            isinstance(v, Sequence)
            and not isinstance(v, str)
            and v
            and all(isinstance(i, str) and i.strip() for i in v)
            for v in checklist.values()
        )
    )
    if not ok:
        raise ParameterError(
            f"checklist = {show(checklist)} is not a checklist; an open question "
            "needs the points a good answer covers, by language, e.g. "
            "{'en': ['names the target group'], 'zh': ['说明目标客户']}."
        )
    if isinstance(min_chars, bool) or not isinstance(min_chars, int) or min_chars < 1:
        raise ParameterError(
            f"min_chars = {show(min_chars)} is not a positive whole number; pass the "
            "least length of an answer in characters, e.g. 150."
        )


def _from_record(record: Mapping[str, Any], source: str) -> Question:
    """One question of a question file."""
    try:
        qid, kind = record["id"], record["kind"]
        answer = None if kind == "open" else record["answer"]
        checklist = dict(record["checklist"]) if kind == "open" else None
        min_chars = record["min_chars"] if kind == "open" else 0
        prompt, hint = dict(record["prompt"]), dict(record.get("hint", {"en": ""}))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(
            f"{source}: a question lacks {exc}; give every question id, kind, prompt "
            "(en and zh), hint and answer (an open question: checklist and min_chars "
            "instead of the answer)."
        ) from None
    check_choice(f"{source} {qid} kind", kind, _KINDS_IN_FILES)
    if kind == "open":
        return Question(
            qid,
            prompt,
            "open",
            hint=hint,
            checklist=checklist,
            min_chars=min_chars,
        )
    if kind == "choice":
        accepted = tuple(record.get("accept", ())) or (str(answer),)
        return Question(
            qid,
            prompt,
            "choice",
            lambda accepted=accepted: set(accepted),
            hint=hint,
            accept=accepted,
            options=record.get("options", ""),
        )
    return Question(
        qid,
        prompt,
        kind,
        lambda answer=answer: answer,
        hint=hint,
        rtol=record.get("rtol", 1e-3),
        atol=record.get("atol", 0.0),
        percent=bool(record.get("percent", False)),
        unit=record.get("unit"),
    )


def load_questions() -> list[Question]:
    """Read every question file shipped in ``crmkit/exercises/questions/``.

    One TOML file per chapter holds its questions' prompts and hints in both
    languages, the stored answers (computed with crmkit and verified by the test
    suite) and, for text answers, every accepted spelling in Chinese and English.

    Examples
    --------
    >>> qs = load_questions()
    >>> len(qs) >= 50, qs[0].id
    (True, 'ch00_q1')
    """
    folder = resources.files("crmkit.exercises").joinpath("questions")
    out = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        out += [_from_record(r, entry.name) for r in data.get("question", [])]
    return out


def check(question_id: str, answer: Any) -> None:
    """Check an exercise answer and print the verdict. Never raises.

    The message says only what was checked: "basic checks passed" means the answer has
    the right type and agrees with crmkit's own value within the stated tolerance.

    Parameters
    ----------
    question_id : str
        The label shown beside the exercise, e.g. ``"ch06_q1"``.
    answer : object
        Your answer. ``...`` (the placeholder) means "not answered yet".

    Examples
    --------
    >>> from crmkit.exercises import check
    >>> check("ch00_q1", ...)
    ch00_q1: not answered yet; replace ... with your answer.
    >>> check("ch00_q1", "接触点")
    ch00_q1: basic checks passed. '接触点' is an accepted answer.
    >>> check("no_such_question", 1)
    no_such_question: unknown question id. Check the spelling; ids look like 'ch06_q1'.
    """
    label = _label(question_id)
    try:
        line = _verdict_line(label, question_id, answer)
    except _NoReference:
        line = tr(
            en=f"{label}: could not check this answer, because crmkit could not "
            "compute its own value for this question (is the course data installed? "
            "run the notebook's first cells again); your answer was not judged.",
            zh=f"{label}：无法检查这个答案，因为 crmkit 算不出本题的参考值"
            "（课程数据是否已安装？请重新运行笔记本开头的单元格）；你的答案没有被评判。",
        )
    except Exception:  # a checker must never stop a student's notebook
        line = _cannot_check(label)
    print(_one_paragraph(line, label))


def _cannot_check(label: str) -> str:
    return tr(
        en=f"{label}: could not check this answer; make sure it is a plain number or "
        "text as the exercise asks, then run the cell again.",
        zh=f"{label}：无法检查这个答案；请确认它是题目要求的一个数或一段文字，然后重新"
        "运行这个单元格。",
    )


def _label(question_id: object) -> str:
    """The id as plain text for the printed line; never raises."""
    if isinstance(question_id, str):
        return str.__str__(question_id)
    return show(question_id)


def _verdict_line(label: str, question_id: object, answer: Any) -> str:
    q = _REGISTRY.get(label) if isinstance(question_id, str) else None
    if q is None:
        close = difflib.get_close_matches(label, list(_REGISTRY), n=1, cutoff=0.8)
        guess = (
            tr(en=f" Did you mean {close[0]!r}?", zh=f"你是不是想写 {close[0]!r}？")
            if close
            else ""
        )
        return tr(
            en=f"{label}: unknown question id. Check the spelling; ids look like "
            f"'ch06_q1'.{guess}",
            zh=f"{label}：没有这个题号。请检查拼写，题号的形式如 'ch06_q1'。{guess}",
        )
    if answer is Ellipsis or answer is None:
        return tr(
            en=f"{label}: not answered yet; replace ... with your answer.",
            zh=f"{label}：尚未作答；请把 ... 换成你的答案。",
        )
    passed, message = q.verdict(answer)
    if passed:
        return tr(
            en=f"{label}: basic checks passed. {message}",
            zh=f"{label}：基本检查通过。{message}",
        )
    hint = q.hint_text
    return tr(
        en=f"{label}: not yet. {message}" + (f" Hint: {hint}" if hint else ""),
        zh=f"{label}：还不对。{message}" + (f"提示：{hint}" if hint else ""),
    )


def _one_paragraph(line: str, label: str) -> str:
    """One line for the student, with no internal exception text in it."""
    line = " ".join(line.replace("\r", " ").split("\n"))
    if _INTERNAL.search(line.removeprefix(label)):
        return _cannot_check(label)
    return line


def _unwrap(answer: Any) -> Any:
    """A one-element NumPy array as its element (what ``.item()`` would give)."""
    if isinstance(answer, np.ndarray) and answer.size == 1:
        try:
            return answer.item()
        except Exception:  # an exotic dtype: leave it, it is judged as it is
            return answer
    return answer


def _as_float(answer: Any, wanted: str) -> tuple[float, str]:
    """``(value, "")`` for a real number, else ``(nan, what was wrong)``."""
    answer = _unwrap(answer)
    if isinstance(answer, bool | np.bool_):
        return math.nan, f"expected {wanted}, got {answer!r} (True/False)."
    if isinstance(answer, str):
        text = str.strip(str.__str__(answer))
        try:
            float(text)
            quoted = True
        except ValueError:
            quoted = False
        if quoted:
            return math.nan, (
                f"expected {wanted}, got the text {show(text)}; remove the quotes."
            )
        return math.nan, f"expected {wanted}, got the text {show(text)}."
    if not isinstance(answer, numbers.Real):
        return math.nan, f"expected {wanted}, got {_describe(answer)}{_pick(answer)}."
    try:
        return float(answer), ""
    except OverflowError:
        return math.nan, f"your answer is too large to be {wanted} here."
    except Exception:  # a Real whose __float__ fails
        return math.nan, f"your answer could not be read as {wanted}."


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _parse_number(
    answer: Any, q: Question, *, whole: bool = False
) -> tuple[float, str, bool]:
    """``(value, problem, read_as_percent)``: numbers as they are; a text such as
    ``"157.41"``, ``"1,234.5"``, ``"80%"`` (for a share) or ``"12 min"`` (in the
    question's unit) read as the number it writes."""
    if not isinstance(answer, str):
        value, problem = _as_float(answer, tr(en="a number", zh="一个数"))
        return value, problem, False
    raw = unicodedata.normalize("NFKC", str.__str__(answer)).strip()
    text = raw.replace(",", "").replace(" ", "")
    as_percent = text.endswith("%")
    if as_percent:
        text = text[:-1]
    units = [u for u in (q.unit or {}).values() if u]
    for unit in sorted(units, key=len, reverse=True):
        compact = unit.replace(" ", "")
        if compact and text.casefold().endswith(compact.casefold()):
            text = text[: -len(compact)]
            break
    if whole:
        text = re.sub(r"(名|个|位|人|agents?|handlers?|servers?)$", "", text)
    if not _NUMBER.match(text):
        return (
            math.nan,
            tr(
                en=f"expected a number, got the text {show(raw)}; write the number "
                "itself, e.g. 12.5" + (" or 80%" if q.percent else "") + ".",
                zh=f"这里需要一个数，而你给出的是文字 {show(raw)}；请直接写出数值，"
                "例如 12.5" + ("，或 80%" if q.percent else "") + "。",
            ),
            False,
        )
    value = float(text)
    if as_percent:
        if not q.percent:
            return (
                math.nan,
                tr(
                    en=f"{show(raw)} is a percentage, but this answer is not a share; "
                    "give the number without %.",
                    zh=f"{show(raw)} 是百分数，但本题的答案不是比例；请去掉 % 号。",
                ),
                False,
            )
        value /= 100
    return value, "", as_percent


def _pct(x: float) -> str:
    return f"{x * 100:g} %"


def _pick(answer: Any) -> str:
    """How to get one value out of a container, if the answer is one."""
    if isinstance(answer, pd.DataFrame | pd.Series | np.ndarray | list | tuple):
        return "; pick the one value asked for (e.g. with .iloc[0], [0] or .item())"
    return ""


def _describe(answer: Any) -> str:
    """What kind of thing an answer is, in words; never raises."""
    try:
        if isinstance(answer, bool | np.bool_):
            return f"{bool(answer)} (True/False)"
        if isinstance(answer, numbers.Real):
            return f"the number {show(answer)}"
        if isinstance(answer, pd.DataFrame):
            return f"a table (DataFrame) of {answer.shape[0]} × {answer.shape[1]}"
        if isinstance(answer, pd.Series):
            return f"a Series of {_n(len(answer), 'value')}"
        if isinstance(answer, np.ndarray):
            return f"an array of {_n(answer.size, 'value')}"
        if isinstance(answer, list | tuple | set | frozenset):
            return f"a {type(answer).__name__} of {_n(len(answer), 'item')}"
        if isinstance(answer, dict):
            return f"a dict of {_n(len(answer), 'entry', 'entries')}"
        if isinstance(answer, complex | np.complexfloating):
            return "a complex number"
        if isinstance(answer, bytes):
            return "bytes"
    except Exception:  # a container whose len() fails
        pass
    if isinstance(answer, BaseException):
        return "an error object"
    name = type(answer).__name__
    if _INTERNAL.search(name):
        return "an object"
    return f"an object of type {name}"


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


def _short_int(n: int) -> str:
    text = str(n)
    return text if len(text) <= 20 else f"a {len(text)}-digit number"


def _custom(checker: Callable[[Any], Verdict], answer: Any) -> Verdict:
    """Run a custom checker and insist on ``(bool, str)``."""
    result = checker(answer)
    if (
        not isinstance(result, tuple)
        or len(result) != 2
        or not isinstance(result[0], bool | np.bool_)
        or not isinstance(result[1], str)
    ):
        raise TypeError("a custom checker must return (passed, message)")
    return bool(result[0]), str.__str__(result[1])
