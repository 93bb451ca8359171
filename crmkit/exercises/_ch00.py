"""Course-map questions (chapter 00): finding terms in the glossary."""

from __future__ import annotations

from crmkit.exercises._registry import Question


def _zh(term_en: str) -> set[str]:
    from crmkit.datasets import load_glossary

    g = load_glossary()
    return set(g.loc[g["term_en"] == term_en, "term_zh"])


def _count(chapter: str) -> int:
    from crmkit.datasets import load_glossary

    g = load_glossary()
    return int((g["chapter"] == chapter).sum())


QUESTIONS = [
    Question(
        "ch00_q1",
        "The Chinese course term for 'touchpoint'.",
        "choice",
        lambda: _zh("touchpoint"),
        hint="search the glossary for 'touchpoint'.",
    ),
    Question(
        "ch00_q2",
        "How many glossary terms belong to chapter 06 (queues)?",
        "integer",
        lambda: _count("06"),
        hint="filter the glossary by chapter == '06' and count rows.",
    ),
]
