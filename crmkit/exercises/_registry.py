"""Questions and the ``check`` function students call after each answer."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Question", "check", "questions", "register"]

#: What ``check`` returns from a custom checker: (passed, message).
Verdict = tuple[bool, str]


@dataclass(frozen=True)
class Question:
    """One exercise question and how its answer is checked.

    Parameters
    ----------
    id : str
        ``"chNN_qK"``, the label printed in the notebook.
    prompt : str
        One line saying what is asked (shown by :func:`questions`).
    kind : {"number", "integer", "choice", "custom"}
        How the answer is compared: a float within ``rtol``/``atol`` of ``expected()``,
        an exact whole number, one of ``expected()`` (a set of accepted strings,
        compared case-insensitively), or ``checker(answer)``.
    expected : callable
        Returns the reference value; evaluated only when a student checks an answer.
    hint : str
        Printed when the answer is not accepted. Never gives the answer away.
    rtol, atol : float
        Tolerances for ``kind="number"``.
    checker : callable, optional
        For ``kind="custom"``: ``answer -> (passed, message)``.
    """

    id: str
    prompt: str
    kind: str
    expected: Callable[[], Any] = field(repr=False, default=lambda: None)
    hint: str = ""
    rtol: float = 1e-3
    atol: float = 0.0
    checker: Callable[[Any], Verdict] | None = field(repr=False, default=None)

    def reference(self) -> Any:
        """The expected value, computed once per session (it is deterministic)."""
        if self.id not in _REFERENCE_CACHE:
            _REFERENCE_CACHE[self.id] = self.expected()
        return _REFERENCE_CACHE[self.id]

    def verdict(self, answer: Any) -> Verdict:
        """Return ``(passed, message)`` for ``answer``."""
        if self.kind == "number":
            return self._check_number(answer)
        if self.kind == "integer":
            return self._check_integer(answer)
        if self.kind == "choice":
            return self._check_choice(answer)
        if self.kind == "custom" and self.checker is not None:
            return self.checker(answer)
        return False, f"question {self.id} has no checker of kind {self.kind!r}"

    def _check_number(self, answer: Any) -> Verdict:
        if isinstance(answer, np.ndarray) and answer.size == 1:
            answer = answer.item()
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            return False, f"expected a number, got {type(answer).__name__}."
        value = float(answer)
        if not math.isfinite(value):
            return False, f"your answer is {value}; expected a finite number."
        ref = float(self.reference())
        if math.isclose(value, ref, rel_tol=self.rtol, abs_tol=self.atol):
            tol = f"relative {self.rtol:g}" if self.rtol else f"absolute {self.atol:g}"
            return True, f"{value:.6g} agrees with crmkit's value (tolerance: {tol})."
        return False, f"{value:.6g} is not within tolerance."

    def _check_integer(self, answer: Any) -> Verdict:
        if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
            return False, f"expected a whole number, got {type(answer).__name__}."
        if not float(answer).is_integer():
            return False, f"{answer} is not a whole number."
        if int(answer) == int(self.reference()):
            return True, f"{int(answer)} is the expected whole number."
        return False, f"{int(answer)} is not the expected number."

    def _check_choice(self, answer: Any) -> Verdict:
        if not isinstance(answer, str):
            return False, f"expected a text answer, got {type(answer).__name__}."
        accepted = {str(a).strip().casefold() for a in self.reference()}
        if answer.strip().casefold() in accepted:
            return True, f"{answer.strip()!r} is an accepted answer."
        return False, f"{answer.strip()!r} is not an accepted answer."


_REGISTRY: dict[str, Question] = {}
_REFERENCE_CACHE: dict[str, Any] = {}


def register(items: Iterable[Question]) -> None:
    """Add questions to the registry (ids must be unique)."""
    for q in items:
        if q.id in _REGISTRY:
            raise ValueError(f"duplicate exercise id {q.id!r}")
        _REGISTRY[q.id] = q


def questions(chapter: str | None = None) -> dict[str, str]:
    """Return ``{id: prompt}`` for all questions, or those of one chapter (``"ch06"``).

    Examples
    --------
    >>> from crmkit.exercises import questions
    >>> "ch00_q1" in questions("ch00")
    True
    """
    return {
        qid: q.prompt
        for qid, q in sorted(_REGISTRY.items())
        if chapter is None or qid.startswith(f"{chapter}_")
    }


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
    try:
        q = _REGISTRY.get(question_id)
        if q is None:
            print(
                f"{question_id}: unknown question id. Check the spelling; ids look like"
                " 'ch06_q1'."
            )
            return
        if answer is Ellipsis or answer is None:
            print(f"{question_id}: not answered yet; replace ... with your answer.")
            return
        passed, message = q.verdict(answer)
        if passed:
            print(f"{question_id}: basic checks passed. {message}")
        else:
            hint = f" Hint: {q.hint}" if q.hint else ""
            print(f"{question_id}: not yet. {message}{hint}")
    except Exception as exc:  # a checker must never stop a student's notebook
        print(
            f"{question_id}: could not check this answer ({type(exc).__name__}: {exc})."
        )
