"""The principles of waiting and the conditions of one wait (等待条件).

Each of Maister's principles is one field of :class:`WaitConditions`; the field's
metadata holds the principle's wording (English, Chinese), whether its ``True`` value
lengthens the wait, and the default factor the principle applies to a perceived wait.
Those seven fields are the one place the principles are written: :data:`PRINCIPLES`,
the checks and the default factors of
:class:`~crmkit.waiting.PerceivedWaitModel` are read from them.

The course lists seven principles (梅思特有关等待时间的七项原则), which are Maister's
first seven. Six of them are fields here; the seventh, *the more valuable the service,
the longer people will wait*, is about tolerance rather than perception and is modelled
by ``service_value``. The field ``group`` (solo waits feel longer than group waits) is
Maister's eighth principle, which the course does not list: crmkit adds it.
:data:`COURSE_PRINCIPLES` gives the course's seven in its order.

References
----------
D. H. Maister (1985), "The psychology of waiting lines", in J. A. Czepiel, M. R.
Solomon and C. F. Surprenant (eds.), *The Service Encounter*, Lexington Books,
pp. 113–123.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from crmkit._frozen import set_fields
from crmkit._validate import check_bool, check_real

__all__ = ["COURSE_PRINCIPLES", "PRINCIPLES", "WaitConditions"]


def _principle(
    english: str, chinese: str, *, lengthens: bool, factor: float, plain: bool = False
) -> Any:
    """A condition field for one principle of waiting.

    ``plain`` is the value of a plain, unmanaged wait; ``factor`` multiplies the
    perceived wait when a wait departs from it (illustrative, in [0.5, 1.5]);
    ``lengthens`` is the value of the field that makes the wait feel longer.
    """
    return dataclasses.field(
        default=plain,
        metadata={
            "english": english,
            "chinese": chinese,
            "lengthens": lengthens,
            "factor": factor,
        },
    )


@dataclass(frozen=True)
class WaitConditions:
    """How a wait is experienced, one field per principle of waiting.

    The defaults describe a plain, unmanaged wait: unoccupied, before the service
    starts, calm, of unknown length, unexplained, fair, alone, for a service of ordinary
    value. The flags must be ``True`` or ``False``; ``service_value`` lies in (0, 1000].

    Examples
    --------
    >>> WaitConditions(occupied=True, known_duration=True).occupied
    True
    """

    occupied: bool = _principle(
        "occupied time feels shorter than unoccupied time",
        "等待时无事可干比有事可干感觉更长",
        lengthens=False,
        factor=0.80,
    )
    in_process: bool = _principle(
        "pre-process waits feel longer than in-process waits",
        "过程前等待比过程中等待感觉更长",
        lengthens=False,
        factor=0.85,
    )
    anxious: bool = _principle(
        "anxiety makes waits seem longer",
        "焦虑使等待显得更长",
        lengthens=True,
        factor=1.20,
    )
    known_duration: bool = _principle(
        "uncertain waits feel longer than known, finite waits",
        "不确定的等待比已知的、有限的等待更长",
        lengthens=False,
        factor=0.85,
    )
    explained: bool = _principle(
        "unexplained waits feel longer than explained waits",
        "没有说明理由的等待比说明了理由的等待更长",
        lengthens=False,
        factor=0.90,
    )
    fair: bool = _principle(
        "unfair waits feel longer than fair waits",
        "不公平的等待比公平的等待更长",
        lengthens=False,
        factor=1.20,
        plain=True,
    )
    group: bool = _principle(
        "solo waits feel longer than group waits (Maister's eighth; not in the course)",
        "独自等待比结伴等待感觉更长（梅思特的补充，不在课程的七项原则之内）",
        lengthens=False,
        factor=0.90,
    )
    service_value: float = 1.0

    def __post_init__(self) -> None:
        set_fields(
            self,
            **{f.name: check_bool(f.name, getattr(self, f.name)) for f in _FIELDS},
            service_value=check_real(
                "service_value", self.service_value, low=0.0, low_open=True, high=1e3
            ),
        )

    def departures(self) -> tuple[str, ...]:
        """The principles on which this wait departs from a plain one, in order.

        Examples
        --------
        >>> WaitConditions(occupied=True, fair=False).departures()
        ('occupied', 'fair')
        """
        return tuple(f.name for f in _FIELDS if getattr(self, f.name) != f.default)


#: the fields of :class:`WaitConditions` that are principles, in the course's order
_FIELDS = tuple(
    f for f in dataclasses.fields(WaitConditions) if "english" in f.metadata
)

#: Maister's principles as (condition field, English, Chinese, value that lengthens the
# wait).
PRINCIPLES: tuple[tuple[str, str, str, bool], ...] = tuple(
    (f.name, f.metadata["english"], f.metadata["chinese"], f.metadata["lengthens"])
    for f in _FIELDS
)

#: The course's seven principles of waiting, in its order, as (what models it, English,
#: Chinese): six fields of :class:`WaitConditions` and, seventh, ``service_value``.
#: ``group`` is not among them (Maister's addition; see the module docstring).
COURSE_PRINCIPLES: tuple[tuple[str, str, str], ...] = (
    *(
        (name, english, chinese)
        for name, english, chinese, _ in PRINCIPLES
        if name != "group"
    ),
    (
        "service_value",
        "the more valuable the service, the longer people will wait",
        "服务的价值越高，人们愿意等待的时间越长",
    ),
)

#: the factor of each principle when a wait departs from a plain one (illustrative)
DEFAULT_FACTORS = MappingProxyType({f.name: f.metadata["factor"] for f in _FIELDS})
