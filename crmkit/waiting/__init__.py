"""The psychology of waiting (等待心理): how long a wait feels.

A wait has two lengths: the minutes a clock measures, which the queue models of
:mod:`crmkit.queues` compute, and the minutes a customer feels. This package models the
second as a teaching model of Maister's principles of waiting.

- :class:`WaitConditions` — how one wait is experienced, one field per principle
  (occupied, in process, anxious, known duration, explained, fair, in a group) and the
  value of the service; :data:`PRINCIPLES` lists the principles with their English and
  Chinese wording.
- :class:`PerceivedWaitModel` — perceived wait (a power law of the actual wait times a
  factor per principle), acceptable wait, the share of customers content, a step-by-step
  breakdown, and the mean perceived wait of an M/M/c queue.
- :func:`announcement_patience_factor` and :data:`ANNOUNCEMENT_ABANDONMENT` — how much
  longer callers stay when told their queue position or offered an apology.
- :data:`COURSE_PRINCIPLES` — the course's seven principles in its order (the
  ``group`` field of :class:`WaitConditions` is Maister's eighth, which crmkit adds);
  :data:`LIFETIME_YEARS` — the course's years of a lifetime spent queueing, eating, on
  housework and on unsuccessful return calls.

Waits are in minutes. Bad input is refused with a
:class:`~crmkit.errors.ParameterError` that names the argument, shows the value and says
what to pass instead.

References
----------
D. H. Maister (1985), "The psychology of waiting lines", in J. A. Czepiel, M. R.
Solomon and C. F. Surprenant (eds.), *The Service Encounter*, Lexington Books,
pp. 113–123.

Examples
--------
>>> from crmkit.waiting import PerceivedWaitModel, WaitConditions
>>> model = PerceivedWaitModel()
>>> round(model.perceived(6.0), 2), round(model.perceived(6.0, WaitConditions(
...     known_duration=True, explained=True)), 2)
(7.62, 5.83)
"""

from crmkit.waiting._announcements import (
    ANNOUNCEMENT_ABANDONMENT,
    announcement_patience_factor,
)
from crmkit.waiting._conditions import COURSE_PRINCIPLES, PRINCIPLES, WaitConditions
from crmkit.waiting._lifetime import LIFETIME_YEARS
from crmkit.waiting._perception import PerceivedWaitModel

__all__ = [
    "ANNOUNCEMENT_ABANDONMENT",
    "COURSE_PRINCIPLES",
    "LIFETIME_YEARS",
    "PRINCIPLES",
    "PerceivedWaitModel",
    "WaitConditions",
    "announcement_patience_factor",
]
