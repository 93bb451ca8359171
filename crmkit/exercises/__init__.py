"""Self-checks for the exercise notebooks, and the builder of student copies.

After each answer a student calls ``check("ch06_q2", answer)``; it prints a short
verdict or a hint, in the language :func:`crmkit.set_language` selects, and never
raises. The questions (prompts, hints, stored answers and every accepted spelling, in
Chinese and English) are data: one TOML file per chapter in
``crmkit/exercises/questions/``, shipped with the package. ``python -m crmkit.exercises
build`` regenerates the student notebooks in ``exercises/{zh,en}/`` from the worked
solutions in ``exercises/solutions/{zh,en}/``.

Examples
--------
>>> import crmkit
>>> from crmkit.exercises import check
>>> check("ch04_q6", "星期二")
ch04_q6: basic checks passed. '星期二' is an accepted answer.
>>> with crmkit.language("zh"):
...     check("ch04_q6", "Tuesday")
ch04_q6：基本检查通过。'Tuesday' 是可接受的答案。
"""

from crmkit.exercises._build import build_all, make_student_notebook, student_source
from crmkit.exercises._registry import (
    Question,
    check,
    load_questions,
    normalise_text,
    questions,
    register,
)

#: the chapters with question files ``questions/chNN.toml``
CHAPTERS = tuple(f"{n:02d}" for n in range(10))
register(load_questions())

__all__ = [
    "Question",
    "build_all",
    "check",
    "load_questions",
    "make_student_notebook",
    "normalise_text",
    "questions",
    "register",
    "student_source",
]
