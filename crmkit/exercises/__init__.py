"""Self-checks for the exercise notebooks, and the builder of student copies.

After each answer a student calls ``check("ch06_q2", answer)``; it prints a short
verdict or a hint and never raises. ``python -m crmkit.exercises build`` regenerates the
student notebooks in ``exercises/`` from the worked solutions in
``exercises/solutions/``.

Examples
--------
>>> from crmkit.exercises import check
>>> check("ch00_q2", 3.5)
ch00_q2: not yet. 3.5 is not a whole number. Hint: filter the glossary by chapter ==
'06' and count rows.
"""

from crmkit.exercises import (
    _ch00,
    _ch01,
    _ch02,
    _ch03,
    _ch04,
    _ch05,
    _ch06,
    _ch07,
    _ch08,
    _ch09,
)
from crmkit.exercises._build import build_all, make_student_notebook, student_source
from crmkit.exercises._registry import Question, check, questions, register

for _chapter in (
    _ch00,
    _ch01,
    _ch02,
    _ch03,
    _ch04,
    _ch05,
    _ch06,
    _ch07,
    _ch08,
    _ch09,
):
    register(_chapter.QUESTIONS)

__all__ = [
    "Question",
    "build_all",
    "check",
    "make_student_notebook",
    "questions",
    "register",
    "student_source",
]
