"""Perceived waiting time (感知等待时间): a teaching model of Maister's principles of
waiting.

**A teaching model.** It puts the course's principles of waiting into numbers a student
can change. Only a few of its defaults are measured (they say so); the rest are
illustrative values inside plausible ranges. Use it to reason about directions and
sizes, not as an estimate for a particular service.

The perceived wait of an actual wait ``w`` (in minutes) is::

    perceived = scale · reference · (w / reference) ** exponent · Π multipliers

- the power law follows psychophysics: Antonides, Verhoef and van Aalst (2002) found a
  power function described telephone callers' perceived waits best; duration estimates
  have exponents from 0.44 to 1.87, on average about 0.9 (Eisler 1976, as summarised in
  the duration-scaling literature). An exponent below 1 means short waits are
  over-estimated more than long ones;
- ``scale`` sets how much a plain, unmanaged wait is over-estimated at the reference
  wait: people over-estimate their time in line by about 36 % on average (Larson, as
  reported by A. Stone, "Why waiting is torture", *New York Times*, 18 Aug 2012);
- each of Maister's principles multiplies the perceived wait (defaults are illustrative,
  in [0.5, 1.5]).

Customers judge a wait against what they find acceptable, which grows with the value of
the service (Maister's last principle); Antonides et al. (2002) found evaluations driven
mainly by the gap between acceptable and perceived waits. Announcements change patience
as well as perception: in Munichor and Rafaeli's (2007) field study of 123 calls held
for about 108 s, 70 % of callers who heard music only hung up, 67 % with apologies and
36 % with their position in the queue; under exponential patience that makes patience
about 1.09 (apologies) and 2.70 (queue position) times as long as with music only.

References
----------
D. H. Maister (1985), "The psychology of waiting lines", in J. A. Czepiel, M. R. Solomon
and C. F. Surprenant (eds.), *The Service Encounter*, Lexington Books, pp. 113–123. G.
Antonides, P. C. Verhoef and M. van Aalst (2002), "Consumer perception and evaluation of
waiting time: a field experiment", *Journal of Consumer Psychology* 12(3):193–202. H.
Eisler (1976), "Experiments on subjective duration 1868–1975: a collection of power
function exponents", *Psychological Bulletin* 83(6):1154–1171. N. Munichor and A.
Rafaeli (2007), "Numbers or apologies? Customer reactions to telephone waiting time
fillers", *Journal of Applied Psychology* 92(2):511–518.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special

from crmkit._validate import (
    check_bool,
    check_choice,
    check_nonnegative,
    check_positive,
    check_real,
    show,
)
from crmkit.errors import ParameterError, UnsupportedMetricError
from crmkit.queues._base import check_times
from crmkit.queues._markovian import MMc

__all__ = [
    "ANNOUNCEMENT_ABANDONMENT",
    "PRINCIPLES",
    "PerceivedWaitModel",
    "WaitConditions",
    "announcement_patience_factor",
]

#: Maister's principles as (condition field, English, Chinese, value that lengthens the
# wait).
PRINCIPLES: tuple[tuple[str, str, str, bool], ...] = (
    (
        "occupied",
        "occupied time feels shorter than unoccupied time",
        "等待时无事可干比有事可干感觉更长",
        False,
    ),
    (
        "in_process",
        "pre-process waits feel longer than in-process waits",
        "过程前等待比过程中等待感觉更长",
        False,
    ),
    ("anxious", "anxiety makes waits seem longer", "焦虑使等待显得更长", True),
    (
        "known_duration",
        "uncertain waits feel longer than known, finite waits",
        "不确定的等待比已知的、有限的等待更长",
        False,
    ),
    (
        "explained",
        "unexplained waits feel longer than explained waits",
        "没有说明理由的等待比说明了理由的等待更长",
        False,
    ),
    (
        "fair",
        "unfair waits feel longer than fair waits",
        "不公平的等待比公平的等待更长",
        False,
    ),
    (
        "group",
        "solo waits feel longer than group waits",
        "独自等待比结伴等待感觉更长（梅思特的补充，不在课程的七项原则之内）",
        False,
    ),
)

#: Share of callers who hung up within ~108 s, by what they heard (Munichor & Rafaeli
# 2007).
ANNOUNCEMENT_ABANDONMENT = MappingProxyType(
    {"music": 0.70, "apology": 0.67, "queue_position": 0.36}
)

_DEFAULT_MULTIPLIERS = MappingProxyType(
    {
        "occupied": 0.80,  # applied when occupied
        "in_process": 0.85,  # applied when the wait is in-process
        "anxious": 1.20,  # applied when anxious
        "known_duration": 0.85,  # applied when the duration is known
        "explained": 0.90,  # applied when the wait is explained
        "fair": 1.20,  # applied when the wait is NOT fair
        "group": 0.90,  # applied when waiting with others
    }
)


def announcement_patience_factor(announcement: str, *, hold_s: float = 108.0) -> float:
    """How many times longer callers wait with an announcement than with music only.

    Under exponential patience with mean ``m``, P(abandon within h) = 1 - exp(-h/m), so
    ``m = -h / log(1 - p)``; the factor is the ratio of ``m`` to music's. Computed from
    the abandonment shares in :data:`ANNOUNCEMENT_ABANDONMENT` (Munichor & Rafaeli
    2007).

    ``hold_s`` (the hold time of the study, in (0, 86400] seconds) cancels in the
    ratio; it is checked but does not change the answer.

    Examples
    --------
    >>> round(announcement_patience_factor("queue_position"), 2)
    2.7
    >>> announcement_patience_factor("music")
    1.0
    """
    announcement = check_choice(
        "announcement", announcement, sorted(ANNOUNCEMENT_ABANDONMENT)
    )
    h = check_real("hold_s", hold_s, low=0.0, low_open=True, high=86_400.0)

    def mean_patience(p: float) -> float:
        return -h / math.log1p(-p)

    return mean_patience(ANNOUNCEMENT_ABANDONMENT[announcement]) / mean_patience(
        ANNOUNCEMENT_ABANDONMENT["music"]
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

    occupied: bool = False
    in_process: bool = False
    anxious: bool = False
    known_duration: bool = False
    explained: bool = False
    fair: bool = True
    group: bool = False
    service_value: float = 1.0

    def __post_init__(self) -> None:
        for name in (
            "occupied",
            "in_process",
            "anxious",
            "known_duration",
            "explained",
            "fair",
            "group",
        ):
            object.__setattr__(self, name, check_bool(name, getattr(self, name)))
        object.__setattr__(
            self,
            "service_value",
            check_real(
                "service_value", self.service_value, low=0.0, low_open=True, high=1e3
            ),
        )


@dataclass(frozen=True)
class PerceivedWaitModel:
    """Perceived and acceptable waits, and how a customer evaluates a wait.

    Parameters
    ----------
    exponent : float, default 0.9
        Power-law exponent of perceived against actual wait (Eisler 1976: about 0.9;
        published range 0.44–1.87).
    scale : float, default 1.36
        Perceived / actual for a plain wait at the ``reference`` wait (people
        over-estimate by about 36 %; Larson in Stone 2012).
    reference_min : float, default 3.0
        The wait (minutes) at which ``scale`` applies.
    multipliers : mapping, optional
        Factor per principle (see :data:`PRINCIPLES`), each in (0, 3]. Illustrative
        defaults: occupied 0.80, in-process 0.85, anxious 1.20, known duration 0.85,
        explained 0.90, unfair 1.20, in a group 0.90.
    acceptable_min : float, default 5.0
        Acceptable wait (minutes) for a service of value 1; it scales with
        ``service_value`` (illustrative).
    tolerance_min : float, default 1.5
        How sharply the evaluation falls as the perceived wait passes the acceptable
        one.

    ``scale`` lies in (0, 10]; the three times in [0.001, 10080] minutes (a week).

    Examples
    --------
    >>> model = PerceivedWaitModel()
    >>> round(model.perceived(3.0), 2)                       # a plain 3-minute wait
    4.08
    >>> managed = WaitConditions(occupied=True, known_duration=True, explained=True)
    >>> round(model.perceived(3.0, managed), 2)
    2.5
    """

    exponent: float = 0.9
    scale: float = 1.36
    reference_min: float = 3.0
    multipliers: Mapping[str, float] = field(
        default_factory=lambda: dict(_DEFAULT_MULTIPLIERS)
    )
    acceptable_min: float = 5.0
    tolerance_min: float = 1.5

    def __post_init__(self) -> None:
        object.__setattr__(self, "exponent", check_positive("exponent", self.exponent))
        if not 0.2 <= self.exponent <= 2.5:
            raise ParameterError(
                f"exponent = {self.exponent:g} is outside the range seen in studies of "
                "duration perception (0.44–1.87); use a value in [0.2, 2.5]."
            )
        object.__setattr__(
            self,
            "scale",
            check_real("scale", self.scale, low=0.0, low_open=True, high=10.0),
        )
        for name in ("reference_min", "acceptable_min", "tolerance_min"):
            value = check_real(name, getattr(self, name), low=1e-3, high=10_080.0)
            object.__setattr__(self, name, value)
        if not isinstance(self.multipliers, Mapping):
            raise ParameterError(
                f"multipliers = {show(self.multipliers)} is a "
                f"{type(self.multipliers).__name__}, not a mapping; pass a dict such "
                "as {'occupied': 0.7}."
            )
        merged = dict(_DEFAULT_MULTIPLIERS)
        unknown = [k for k in self.multipliers if k not in merged]
        if unknown:
            raise ParameterError(
                f"multipliers has unknown principle(s) {unknown}; use the known ones: "
                f"{sorted(merged)}."
            )
        for key, value in self.multipliers.items():
            v = check_positive(f"multipliers[{key!r}]", value)
            if v > 3:
                raise ParameterError(
                    f"multipliers[{key!r}] = {v:g} is above 3; pass a factor in (0, 3]."
                )
            merged[key] = v
        object.__setattr__(self, "multipliers", MappingProxyType(merged))

    @staticmethod
    def _conditions(conditions: object) -> WaitConditions:
        if conditions is None:
            return WaitConditions()
        if isinstance(conditions, WaitConditions):
            return conditions
        hint = (
            " (that is a queue model: did you swap model and conditions?)"
            if isinstance(conditions, MMc)
            else ""
        )
        raise ParameterError(
            f"conditions = {show(conditions)} is a {type(conditions).__name__}, not "
            f"WaitConditions{hint}; pass WaitConditions(...) or None."
        )

    def _finite(self, name: str, value: object, out: np.ndarray | float) -> None:
        if not np.all(np.isfinite(out)):
            raise ParameterError(
                f"{name} = {show(value)} gives a perceived wait too large to "
                "represent; pass waits in minutes of a realistic size."
            )

    def factors(self, conditions: WaitConditions | None = None) -> dict[str, float]:
        """The factor each principle contributes under ``conditions`` (1 when
        inactive)."""
        c = self._conditions(conditions)
        active = {
            "occupied": c.occupied,
            "in_process": c.in_process,
            "anxious": c.anxious,
            "known_duration": c.known_duration,
            "explained": c.explained,
            "fair": not c.fair,
            "group": c.group,
        }
        return {k: (self.multipliers[k] if on else 1.0) for k, on in active.items()}

    def perceived(
        self, actual_min: ArrayLike, conditions: WaitConditions | None = None
    ) -> float | np.ndarray:
        """Perceived wait (minutes) of actual waits ``actual_min`` (>= 0)."""
        w, scalar = check_times("actual_min", actual_min)
        factor = math.prod(self.factors(conditions).values())
        with np.errstate(over="ignore"):
            base = (
                self.scale
                * self.reference_min
                * (w / self.reference_min) ** self.exponent
            )
            out = base * factor
        self._finite("actual_min", actual_min, out)
        return float(out) if scalar else out

    def acceptable(self, conditions: WaitConditions | None = None) -> float:
        """Acceptable wait (minutes): longer for more valuable services."""
        c = self._conditions(conditions)
        return self.acceptable_min * c.service_value

    def evaluation(
        self, actual_min: ArrayLike, conditions: WaitConditions | None = None
    ) -> float | np.ndarray:
        """Share of customers content with the wait: a logistic fall as the perceived
        wait
        passes the acceptable one (0.5 when they are equal)."""
        gap = np.asarray(self.perceived(actual_min, conditions)) - self.acceptable(
            conditions
        )
        out = special.expit(-gap / self.tolerance_min)
        return float(out) if np.ndim(out) == 0 else out

    def breakdown(
        self, actual_min: float, conditions: WaitConditions | None = None
    ) -> pd.DataFrame:
        """A table walking from the actual to the perceived wait, principle by
        principle.

        Examples
        --------
        >>> table = PerceivedWaitModel().breakdown(3.0, WaitConditions(occupied=True))
        >>> table["step"].tolist()[-1], round(float(table["perceived_min"].iloc[-1]), 2)
        ('occupied time feels shorter than unoccupied time', 3.26)
        """
        w = check_nonnegative("actual_min", actual_min)
        factors = self.factors(conditions)
        with np.errstate(over="ignore"):
            base = float(
                self.scale
                * self.reference_min
                * (np.float64(w) / self.reference_min) ** self.exponent
            )  # numpy: an overflow gives inf (refused below), not OverflowError
        self._finite("actual_min", actual_min, base * math.prod(factors.values()))
        rows = [
            {"step": "actual wait", "factor": 1.0, "perceived_min": float(w)},
            {
                "step": "perception (power law)",
                "factor": base / float(w) if w > 0 else 1.0,
                "perceived_min": base,
            },
        ]
        value = base
        english = {p[0]: p[1] for p in PRINCIPLES}
        for name, factor in factors.items():
            if factor != 1.0:
                value *= factor
                rows.append(
                    {"step": english[name], "factor": factor, "perceived_min": value}
                )
        return pd.DataFrame(rows)

    def expected_perceived_wait(
        self,
        model: MMc,
        conditions: WaitConditions | None = None,
        *,
        minutes_per_time_unit: float = 1.0,
    ) -> float:
        """Mean perceived wait (minutes) over an M/M/c queue's exact wait distribution.

        With probability ``C`` the wait is exponential with rate ``cμ - λ``, so
        ``E[W^β] = C Γ(1 + β) / (cμ - λ)^β``.

        Examples
        --------
        >>> q = MMc(arrival_rate=9, service_rate=1, servers=10)     # per minute
        >>> round(PerceivedWaitModel().expected_perceived_wait(q), 3)
        0.976
        """
        if isinstance(model, WaitConditions):
            raise ParameterError(
                f"model = {show(model)} is the conditions, not the queue: pass the "
                "model first, e.g. expected_perceived_wait(MMc(...), conditions)."
            )
        if not isinstance(model, MMc):
            raise UnsupportedMetricError(
                f"model = {show(model)} is not an M/M/c model: expected_perceived_wait "
                "needs one (its wait distribution is exponential); use simulate() for "
                "other queues and apply perceived() to the waits."
            )
        conditions = self._conditions(conditions)
        k = check_real(
            "minutes_per_time_unit", minutes_per_time_unit, low=1e-6, high=1e6
        )
        rate = (
            model.servers * model.service_rate - model.arrival_rate
        ) / k  # per minute
        b = self.exponent
        factor = math.prod(self.factors(conditions).values())
        with np.errstate(over="ignore", divide="ignore"):
            moment = model.prob_wait * special.gamma(1 + b) / np.float64(rate) ** b
            out = float(self.scale * self.reference_min ** (1 - b) * moment * factor)
        if not math.isfinite(out):
            raise ParameterError(
                f"model = {show(model)} waits so long in minutes "
                f"(minutes_per_time_unit = {k:g}) that the perceived wait overflows; "
                "pass a model whose queue drains faster, or a smaller "
                "minutes_per_time_unit."
            )
        return out
