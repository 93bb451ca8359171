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

from importlib import import_module

from crmkit.exercises._build import build_all, make_student_notebook, student_source
from crmkit.exercises._registry import Question, check, questions, register

#: one question module per chapter notebook, ``_ch00`` … ``_ch09``
CHAPTERS = tuple(f"{n:02d}" for n in range(10))
for _chapter in CHAPTERS:
    register(import_module(f"crmkit.exercises._ch{_chapter}").QUESTIONS)

__all__ = [
    "Question",
    "build_all",
    "check",
    "make_student_notebook",
    "questions",
    "register",
    "student_source",
]
