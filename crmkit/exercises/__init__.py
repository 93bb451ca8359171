"""Self-checks for the exercise notebooks.

After each answer a student calls ``check("ch06_q2", answer)``; it prints a short
verdict or a hint, in the language :func:`crmkit.set_language` selects, and never
raises. The questions (prompts, hints, stored answers and every accepted spelling, in
Chinese and English) are data: one TOML file per chapter in
``crmkit/exercises/questions/``, shipped with the package.

Student copies of worked solutions come from :func:`make_student_notebook` (and
:func:`student_source` for one cell), pure functions an instructor can use for exercises
of their own. The kit's own copies in ``exercises/{zh,en}/`` are written by the
repository tool ``tools/build_exercises.py`` (``make exercises``).

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

from crmkit._deprecation import moved_from
from crmkit.exercises import _retired
from crmkit.exercises._registry import (
    Question,
    check,
    load_questions,
    normalise_text,
    questions,
    register,
)
from crmkit.exercises._student import make_student_notebook, student_source

#: the chapters with question files ``questions/chNN.toml``
CHAPTERS = tuple(f"{n:02d}" for n in range(11))
register(load_questions())

__all__ = [
    "Question",
    "check",
    "load_questions",
    "make_student_notebook",
    "normalise_text",
    "questions",
    "register",
    "student_source",
]

_moved = moved_from(__name__)


def __getattr__(name: str) -> object:
    """``build_all`` left for ``tools/build_exercises.py``: it warns, then runs that
    tool of the clone it is given."""
    if name == "build_all":
        _retired.warn_retired(__name__, name)
        return _retired.build_all
    return _moved(name)
