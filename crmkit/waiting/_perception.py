"""How long a wait feels (感知等待时间): a teaching model of the principles of waiting.

**A teaching model.** It puts the course's principles of waiting into numbers a student
can change. Only a few of its defaults are measured (they say so); the rest are
illustrative values inside plausible ranges. Use it to reason about directions and
sizes, not as an estimate for a particular service.

The perceived wait of an actual wait ``w`` (in minutes) is::

    perceived = scale · reference · (w / reference) ** exponent · Π factors

- the power law follows psychophysics: Antonides, Verhoef and van Aalst (2002) found a
  power function described telephone callers' perceived waits best; duration estimates
  have exponents from 0.44 to 1.87, on average about 0.9 (Eisler 1976). An exponent
  below 1 means short waits are over-estimated more than long ones;
- ``scale`` sets how much a plain, unmanaged wait is over-estimated at the reference
  wait: people over-estimate their time in line by about 36 % on average (R. C. Larson,
  as reported by Stone 2012);
- each principle of waiting on which a wait departs from a plain one multiplies the
  perceived wait (see :class:`~crmkit.waiting.WaitConditions`).

Customers judge a wait against what they find acceptable, which grows with the value of
the service (Maister's last principle); Antonides et al. (2002) found evaluations driven
mainly by the gap between acceptable and perceived waits.

References
----------
D. H. Maister (1985), "The psychology of waiting lines", in J. A. Czepiel, M. R.
Solomon and C. F. Surprenant (eds.), *The Service Encounter*, Lexington Books,
pp. 113–123.

G. Antonides, P. C. Verhoef and M. van Aalst (2002), "Consumer perception and
evaluation of waiting time: a field experiment", *Journal of Consumer Psychology*
12(3):193–202.

H. Eisler (1976), "Experiments on subjective duration 1868–1975: a collection of power
function exponents", *Psychological Bulletin* 83(6):1154–1171.

A. Stone (2012), "Why waiting is torture", *The New York Times*, 18 August 2012
(reporting R. C. Larson's estimate of a 36 % over-estimate).
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

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_nonnegative,
    check_positive,
    check_real,
    check_times,
    show,
)
from crmkit.errors import ParameterError, UnsupportedMetricError
from crmkit.queues import MMc
from crmkit.waiting._conditions import DEFAULT_FACTORS, PRINCIPLES, WaitConditions

__all__ = ["PerceivedWaitModel"]


def _check_exponent(value: object) -> float:
    exponent = check_positive("exponent", value)
    if not 0.2 <= exponent <= 2.5:
        raise ParameterError(
            f"exponent = {exponent:g} is outside the range seen in studies of "
            "duration perception (0.44–1.87); use a value in [0.2, 2.5]."
        )
    return exponent


def _check_multipliers(multipliers: object) -> MappingProxyType:
    """The default factors, overridden by ``multipliers`` (each in (0, 3])."""
    if not isinstance(multipliers, Mapping):
        raise ParameterError(
            f"multipliers = {show(multipliers)} is a "
            f"{type(multipliers).__name__}, not a mapping; pass a dict such "
            "as {'occupied': 0.7}."
        )
    merged = dict(DEFAULT_FACTORS)
    unknown = [k for k in multipliers if k not in merged]
    if unknown:
        raise ParameterError(
            f"multipliers has unknown principle(s) {unknown}; use the known ones: "
            f"{sorted(merged)}."
        )
    for key, value in multipliers.items():
        v = check_positive(f"multipliers[{key!r}]", value)
        if v > 3:
            raise ParameterError(
                f"multipliers[{key!r}] = {v:g} is above 3; pass a factor in (0, 3]."
            )
        merged[key] = v
    return MappingProxyType(merged)


def _check_conditions(conditions: object) -> WaitConditions:
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


def _check_finite(name: str, value: object, out: np.ndarray | float) -> None:
    if not np.all(np.isfinite(out)):
        raise ParameterError(
            f"{name} = {show(value)} gives a perceived wait too large to "
            "represent; pass waits in minutes of a realistic size."
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
        over-estimate by about 36 %; R. C. Larson in Stone 2012).
    reference_min : float, default 3.0
        The wait (minutes) at which ``scale`` applies.
    multipliers : mapping, optional
        Factor per principle (see :data:`~crmkit.waiting.PRINCIPLES`), each in (0, 3].
        Illustrative defaults: occupied 0.80, in-process 0.85, anxious 1.20, known
        duration 0.85, explained 0.90, unfair 1.20, in a group 0.90.
    acceptable_min : float, default 5.0
        Acceptable wait (minutes) for a service of value 1; it scales with
        ``service_value`` (illustrative).
    tolerance_min : float, default 1.5
        How sharply the evaluation falls as the perceived wait passes the acceptable
        one.

    ``scale`` lies in (0, 10]; the three times in [0.001, 10080] minutes (a week).

    References
    ----------
    D. H. Maister (1985), "The psychology of waiting lines", in J. A. Czepiel, M. R.
    Solomon and C. F. Surprenant (eds.), *The Service Encounter*, Lexington Books,
    pp. 113–123 (the principles).
    G. Antonides, P. C. Verhoef and M. van Aalst (2002), "Consumer perception and
    evaluation of waiting time: a field experiment", *Journal of Consumer Psychology*
    12(3):193–202 (the power law; evaluation by the acceptable–perceived gap).
    H. Eisler (1976), "Experiments on subjective duration 1868–1975: a collection of
    power function exponents", *Psychological Bulletin* 83(6):1154–1171 (exponents).
    A. Stone (2012), "Why waiting is torture", *The New York Times*, 18 August 2012
    (R. C. Larson's 36 % over-estimate).

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
        default_factory=lambda: dict(DEFAULT_FACTORS)
    )
    acceptable_min: float = 5.0
    tolerance_min: float = 1.5

    def __post_init__(self) -> None:
        exponent = _check_exponent(self.exponent)
        scale = check_real("scale", self.scale, low=0.0, low_open=True, high=10.0)
        times = {
            name: check_real(name, getattr(self, name), low=1e-3, high=10_080.0)
            for name in ("reference_min", "acceptable_min", "tolerance_min")
        }
        set_fields(
            self,
            exponent=exponent,
            scale=scale,
            **times,
            multipliers=_check_multipliers(self.multipliers),
        )

    def _power_law(self, w: np.ndarray | np.float64) -> np.ndarray | np.float64:
        """The perceived wait of a plain wait ``w`` (minutes); inf on overflow."""
        with np.errstate(over="ignore"):
            return (
                self.scale
                * self.reference_min
                * (w / self.reference_min) ** self.exponent
            )

    def factors(self, conditions: WaitConditions | None = None) -> dict[str, float]:
        """The factor each principle contributes under ``conditions`` (1 where the wait
        is plain).

        Examples
        --------
        >>> PerceivedWaitModel().factors(WaitConditions(fair=False))["fair"]
        1.2
        """
        departs = set(_check_conditions(conditions).departures())
        return {
            name: (self.multipliers[name] if name in departs else 1.0)
            for name, *_ in PRINCIPLES
        }

    def perceived(
        self, actual_min: ArrayLike, conditions: WaitConditions | None = None
    ) -> float | np.ndarray:
        """Perceived wait (minutes) of actual waits ``actual_min`` (>= 0)."""
        w, scalar = check_times("actual_min", actual_min)
        factor = math.prod(self.factors(conditions).values())
        with np.errstate(over="ignore"):
            out = self._power_law(w) * factor
        _check_finite("actual_min", actual_min, out)
        return float(out) if scalar else out

    def acceptable(self, conditions: WaitConditions | None = None) -> float:
        """Acceptable wait (minutes): longer for more valuable services."""
        return self.acceptable_min * _check_conditions(conditions).service_value

    def evaluation(
        self, actual_min: ArrayLike, conditions: WaitConditions | None = None
    ) -> float | np.ndarray:
        """Share of customers content with the wait: a logistic fall as the perceived
        wait passes the acceptable one (0.5 when they are equal)."""
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
        # numpy: an overflow gives inf (refused below), not OverflowError
        base = float(self._power_law(np.float64(w)))
        _check_finite("actual_min", actual_min, base * math.prod(factors.values()))
        rows = [
            {"step": "actual wait", "factor": 1.0, "perceived_min": float(w)},
            {
                "step": "perception (power law)",
                "factor": base / float(w) if w > 0 else 1.0,
                "perceived_min": base,
            },
        ]
        value = base
        english = {name: text for name, text, *_ in PRINCIPLES}
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
        conditions = _check_conditions(conditions)
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
