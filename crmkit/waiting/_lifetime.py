"""A lifetime of waiting (人生中的排队时间): the course's figures.

The course quotes a Boston consultant on the psychology of waiting: over a lifetime
people spend five years queueing, six years eating, four years on housework and two
years on unsuccessful return calls. The course names no study behind the figures; they
are kept here as the course gives them, so that chapter 05 computes from them and a
test holds them to the course.
"""

from __future__ import annotations

__all__ = ["LIFETIME_YEARS"]

#: Years of a lifetime spent on each activity, as the course gives them: (activity,
#: 中文, years), largest first.
LIFETIME_YEARS: tuple[tuple[str, str, int], ...] = (
    ("eating", "吃", 6),
    ("queueing", "排队等待", 5),
    ("housework", "做家务", 4),
    ("unsuccessful return calls", "回电话不成功", 2),
)
