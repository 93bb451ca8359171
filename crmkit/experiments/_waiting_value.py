"""What waiting costs (等待的代价): from waits to dissatisfaction, complaints or silent
defection, retention and customer lifetime value, and whether one more agent pays.

The chain, per call:

1. **Wait → dissatisfaction.** A caller who abandons is dissatisfied with probability
   ``abandoned_dissatisfaction``; a caller served after a wait of ``w`` minutes with
   probability ``f(w)``, a dissatisfaction curve (:class:`StepDissatisfaction`,
   :class:`ExponentialDissatisfaction`, :class:`LogisticDissatisfaction`). The queue
   model gives the distribution of waits exactly.
2. **Dissatisfaction → complaint or silence.** A dissatisfied caller is a customer with
   a problem in the sense of :class:`crmkit.complaints.ComplaintScenario`: it complains
   with the scenario's complaint rate (1 in 27 by default, the course's figure after
   TARP), and a complaint is resolved, quickly or not, with the scenario's rates.
3. **Outcome → retention → CLV.** Each outcome has its probability of staying for the
   next period (TARP's repurchase figures by default); a customer who stays continues
   with the base retention of untroubled customers. The customer value is
   :func:`crmkit.clv.retention_clv`.

:func:`waiting_cost` prices one queue; :func:`agent_value_curve` prices every staffing
level of a range and finds the one that minimises agent cost plus the cost of waiting.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import integrate, special

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_count,
    check_nonnegative,
    check_positive,
    check_probability,
    check_times,
    show,
)
from crmkit.clv import retention_clv
from crmkit.complaints import ComplaintScenario
from crmkit.errors import ParameterError, UnstableQueueError
from crmkit.queues import ErlangA, MMc, erlang_queue

__all__ = [
    "AgentValueResult",
    "ExponentialDissatisfaction",
    "LogisticDissatisfaction",
    "StepDissatisfaction",
    "WaitingCost",
    "WaitingCostModel",
    "agent_value_curve",
    "waiting_cost",
]

#: the most staffing levels one :func:`agent_value_curve` call prices (each needs a few
#: numerical integrals: from milliseconds to a tenth of a second per level)
MAX_LEVELS = 2_000
#: the longest CLV horizon accepted, in periods (as :func:`crmkit.clv.retention_clv`)
MAX_HORIZON = 10**9

# quad's tolerances: the integrals are probabilities, so 1e-13 absolute is far below
# anything a study can see, and every machine converges to the same digits
_EPSABS = 1e-13
_EPSREL = 1e-11
_LIMIT = 200

Tail = Callable[[float], float]
Check = Callable[[str, object], float]


def _check_scale(name: str, value: object) -> float:
    x = check_positive(name, value)
    if not 1e-100 <= x <= 1e100:
        raise ParameterError(
            f"{name} = {x:g} is outside [1e-100, 1e+100]; pass it in minutes within "
            "that range."
        )
    return x


#: how each field of a dissatisfaction curve is checked
_FIELD_CHECKS: dict[str, Check] = {
    "tolerance_minutes": check_nonnegative,
    "midpoint_minutes": check_nonnegative,
    "scale_minutes": _check_scale,
    "probability": check_probability,
    "maximum": check_probability,
}


def _unwrap(values: np.ndarray, scalar: bool) -> float | np.ndarray:
    return float(values) if scalar else values


class _Curve(abc.ABC):
    """What every dissatisfaction curve shares: checked fields (each by its entry of
    ``_FIELD_CHECKS``) and the public, checked evaluation."""

    def __post_init__(self) -> None:
        names = [f.name for f in fields(self)]  # type: ignore[arg-type]
        set_fields(self, **{n: _FIELD_CHECKS[n](n, getattr(self, n)) for n in names})

    def prob_dissatisfied(self, wait_minutes: ArrayLike) -> float | np.ndarray:
        """P(dissatisfied | served after ``wait_minutes``), for a wait >= 0 or an array
        of them (the answer has its shape)."""
        w, scalar = check_times("wait_minutes", wait_minutes)
        return _unwrap(self._prob(w), scalar)

    @abc.abstractmethod
    def _prob(self, w: np.ndarray) -> np.ndarray:
        """P(dissatisfied | wait ``w``), elementwise (the model's own formula)."""


class _SmoothCurve(_Curve):
    """A differentiable curve: E[f(W); served] = f(0) P(served) + ∫ f'(u) P(served,
    W > u) du (Fubini), integrated piece by piece with QUADPACK."""

    @abc.abstractmethod
    def _slope(self, u: float) -> float:
        """The curve's derivative at wait ``u``."""

    @abc.abstractmethod
    def _points(self) -> tuple[float, ...]:
        """Waits where the curve bends, to split the integral at."""

    def _expected(self, tail: Tail, served: float, wait_scale: float) -> float:
        marks = (*self._points(), wait_scale, 10.0 * wait_scale)
        edges = sorted({0.0, *(p for p in marks if 0.0 < p < math.inf)})
        total = float(self._prob(np.zeros(1))[0]) * served
        for low, high in zip(edges, [*edges[1:], math.inf], strict=True):
            part, _ = integrate.quad(
                lambda u: self._slope(u) * tail(u),
                low,
                high,
                epsabs=_EPSABS,
                epsrel=_EPSREL,
                limit=_LIMIT,
            )
            total += part
        return total


@dataclass(frozen=True)
class StepDissatisfaction(_Curve):
    """Dissatisfied with ``probability`` when served after more than
    ``tolerance_minutes``; never when served sooner.

    The simplest reading of a service-level target ("answer within 20 seconds"): a wait
    beyond the tolerance spoils the call for a share of callers. Neither parameter has a
    default: set them from your own survey data. That longer waits lower customers'
    evaluations of service is the finding of Taylor (1994); the course lists the
    negative impression (负面印象) as a cost of queues and Maister's principles of why
    waits feel long (等待心理).

    Parameters
    ----------
    tolerance_minutes : float
        The longest wait a caller accepts, >= 0.
    probability : float
        P(dissatisfied | served after waiting longer), in [0, 1].

    References
    ----------
    S. Taylor (1994), "Waiting for service: the relationship between delays and
    evaluations of service", *Journal of Marketing* 58(2):56–69.

    Examples
    --------
    >>> StepDissatisfaction(tolerance_minutes=1.0, probability=0.3).prob_dissatisfied(
    ...     [0.5, 2.0])
    array([0. , 0.3])
    """

    tolerance_minutes: float
    probability: float

    def _prob(self, w: np.ndarray) -> np.ndarray:
        return np.where(w > self.tolerance_minutes, self.probability, 0.0)

    def _expected(self, tail: Tail, served: float, wait_scale: float) -> float:
        """p · P(served, W > T): exact, no integral."""
        return self.probability * tail(self.tolerance_minutes)


@dataclass(frozen=True)
class ExponentialDissatisfaction(_SmoothCurve):
    """``f(w) = maximum · (1 − e^{−w/scale_minutes})``: no one is dissatisfied by a zero
    wait, and the share rises steadily towards ``maximum``.

    Equivalently, each caller has an exponential "annoyance" clock with mean
    ``scale_minutes``; a caller whose clock runs out before service starts is
    dissatisfied with probability ``maximum``. No default for either parameter (see
    :class:`StepDissatisfaction` for the evidence that waits lower evaluations).

    Parameters
    ----------
    scale_minutes : float
        The mean of the annoyance clock, > 0 (in [1e-100, 1e100]).
    maximum : float
        The share dissatisfied after a very long wait, in [0, 1].

    Examples
    --------
    >>> curve = ExponentialDissatisfaction(scale_minutes=2.0, maximum=0.4)
    >>> round(curve.prob_dissatisfied(2.0), 6)          # 0.4 (1 - 1/e)
    0.252848
    """

    scale_minutes: float
    maximum: float

    def _prob(self, w: np.ndarray) -> np.ndarray:
        return -self.maximum * np.expm1(-w / self.scale_minutes)

    def _slope(self, u: float) -> float:
        return self.maximum / self.scale_minutes * math.exp(-u / self.scale_minutes)

    def _points(self) -> tuple[float, ...]:
        return (self.scale_minutes, 10.0 * self.scale_minutes)


@dataclass(frozen=True)
class LogisticDissatisfaction(_SmoothCurve):
    """``f(w) = maximum / (1 + e^{−(w − midpoint_minutes)/scale_minutes})``: few
    callers mind a short wait, most mind one well past the midpoint.

    The S-shape of a tolerance that differs between callers (logistically distributed
    around ``midpoint_minutes``). Note ``f(0) > 0``: a caller answered at once is still
    dissatisfied with ``f(0)``, which is small when the midpoint is several scales
    above zero. No defaults (see :class:`StepDissatisfaction`).

    Parameters
    ----------
    midpoint_minutes : float
        The wait at which half of ``maximum`` is reached, >= 0.
    scale_minutes : float
        How gradual the rise is, > 0 (in [1e-100, 1e100]).
    maximum : float
        The share dissatisfied after a very long wait, in [0, 1].

    Examples
    --------
    >>> curve = LogisticDissatisfaction(midpoint_minutes=3.0, scale_minutes=0.5,
    ...                                 maximum=0.6)
    >>> round(curve.prob_dissatisfied(3.0), 6)
    0.3
    """

    midpoint_minutes: float
    scale_minutes: float
    maximum: float

    def _prob(self, w: np.ndarray) -> np.ndarray:
        z = (w - self.midpoint_minutes) / self.scale_minutes
        return self.maximum * special.expit(z)

    def _slope(self, u: float) -> float:
        z = (u - self.midpoint_minutes) / self.scale_minutes
        return self.maximum * special.expit(z) * special.expit(-z) / self.scale_minutes

    def _points(self) -> tuple[float, ...]:
        m, s = self.midpoint_minutes, self.scale_minutes
        return (m - 10.0 * s, m, m + 10.0 * s)


CURVES = (StepDissatisfaction, ExponentialDissatisfaction, LogisticDissatisfaction)


def _kind_error(name: str, value: object, wanted: str, example: str) -> ParameterError:
    what = (
        f"the class {value.__name__}, not an instance of it"
        if isinstance(value, type)
        else f"a {type(value).__name__}, not {wanted}"
    )
    return ParameterError(f"{name} = {show(value)} is {what}; pass {example}.")


@dataclass(frozen=True)
class WaitingCostModel:
    """What a dissatisfied caller costs: dissatisfaction, complaint behaviour, retention
    and customer value.

    Parameters
    ----------
    margin_per_period : float
        Margin a retained customer brings per period (>= 0, one currency).
    discount_rate : float
        Per period, as a share in [0, 1] (0.01 for 1 % a month).
    abandoned_dissatisfaction : float
        P(dissatisfied | the caller abandoned), in [0, 1]. No default: no published
        figure transfers between call centres; measure it (post-call surveys,
        call-backs to abandoners).
    dissatisfaction : StepDissatisfaction, ExponentialDissatisfaction or \
LogisticDissatisfaction
        P(dissatisfied | served after a wait of ``w`` minutes). No default.
    complaints : ComplaintScenario, optional
        What dissatisfied customers do next, from :mod:`crmkit.complaints`: the share
        who complain (``complaint_rate``, default 1/27: the course's "only 1 in 27
        dissatisfied customers complains", after TARP 1986), the shares resolved and
        resolved quickly (``resolution_rate``, ``quick_resolution_rate``, crmkit's
        illustrative 0.5 and 0.5), P(stays next period) for each outcome
        (``retention``: TARP's small-loss repurchase figures, silent 0.37, unresolved
        0.46, resolved 0.70, resolved quickly 0.95; the course quotes 70–90 % of
        complainants staying when satisfied with the resolution), the base retention of
        untroubled customers (``retention["no_problem"]``, crmkit's illustrative 0.98:
        set it from your churn data), and the cost of handling a complaint and of the
        compensation per resolved complaint (``handling_cost`` 5.0, ``compensation``
        0.0, illustrative). Severity classes (:func:`crmkit.complaints.tarp_severity`)
        are honoured. ``ComplaintScenario()`` when omitted; its ``customers``,
        ``periods``, ``problem_rate``, ``margin``, word of mouth and recovery paradox
        play no part here.
    horizon_periods : int, optional
        CLV horizon (1 to 10**9 periods); None for an infinite horizon.

    Notes
    -----
    Let ``r₀`` be the base retention, ``m`` the margin, ``d`` the discount rate and
    ``CLV = retention_clv(m, r₀, d)`` = ``Σ_{t≥1} m r₀ᵗ/(1+d)ᵗ`` (Gupta & Lehmann 2003;
    the sum stops at the horizon if one is given). A dissatisfied customer whose outcome
    ``o`` has retention ``r_o`` is still there next period with probability ``r_o`` and
    then continues with ``r₀``, so its value is ``Σ_{t≥1} m r_o r₀^{t−1}/(1+d)ᵗ =
    (r_o/r₀) CLV`` and the value lost is ``(1 − r_o/r₀) CLV``. The extra defections
    (customers lost because of the problem, over the ``1 − r₀`` who would have left
    anyway) are ``r₀ − r_o`` per customer. An outcome retained better than untroubled
    customers (``r_o > r₀``) counts as a gain. Each dissatisfied caller is taken to be
    a distinct customer.

    References
    ----------
    Technical Assistance Research Programs (TARP) (1986), *Consumer Complaint Handling
    in America: An Update Study*, White House Office of Consumer Affairs. S. Gupta and
    D. R. Lehmann (2003), "Customers as assets", *Journal of Interactive Marketing*
    17(1):9–24.

    Examples
    --------
    >>> cost = WaitingCostModel(
    ...     margin_per_period=20.0, discount_rate=0.01, abandoned_dissatisfaction=0.5,
    ...     dissatisfaction=StepDissatisfaction(tolerance_minutes=1.0, probability=0.3))
    >>> round(cost.customer_value, 2), round(cost.clv_lost_per_dissatisfied, 4)
    (653.33, 399.9383)
    """

    margin_per_period: float
    discount_rate: float
    abandoned_dissatisfaction: float
    dissatisfaction: (
        StepDissatisfaction | ExponentialDissatisfaction | LogisticDissatisfaction
    )
    complaints: ComplaintScenario | None = None
    horizon_periods: int | None = None

    def __post_init__(self) -> None:
        margin = check_nonnegative("margin_per_period", self.margin_per_period)
        d_ab = check_probability(
            "abandoned_dissatisfaction", self.abandoned_dissatisfaction
        )
        if not isinstance(self.dissatisfaction, CURVES):
            raise _kind_error(
                "dissatisfaction",
                self.dissatisfaction,
                "a dissatisfaction curve",
                "StepDissatisfaction(tolerance_minutes=..., probability=...), "
                "ExponentialDissatisfaction(...) or LogisticDissatisfaction(...)",
            )
        scenario = ComplaintScenario() if self.complaints is None else self.complaints
        if not isinstance(scenario, ComplaintScenario):
            raise _kind_error(
                "complaints",
                scenario,
                "a ComplaintScenario",
                "crmkit.complaints.ComplaintScenario(...) or None",
            )
        horizon = self.horizon_periods
        if horizon is not None:
            horizon = check_count(
                "horizon_periods", horizon, minimum=1, maximum=MAX_HORIZON
            )
        set_fields(
            self,
            margin_per_period=margin,
            abandoned_dissatisfaction=d_ab,
            complaints=scenario,
            horizon_periods=horizon,
        )
        r0 = self.retention
        if not 0.0 < r0 < 1.0:
            raise ParameterError(
                "complaints: the base retention of untroubled customers "
                f"(retention['no_problem']) = {r0:g} must lie in (0, 1); pass a "
                "ComplaintScenario whose retention['no_problem'] is a share such as "
                "0.98."
            )
        retention_clv(margin, r0, self.discount_rate, horizon)  # checks the rate
        set_fields(self, discount_rate=float(self.discount_rate))

    @cached_property
    def retention(self) -> float:
        """r₀, P(an untroubled customer stays next period), averaged over severity
        classes."""
        return self.complaints.replace(problem_rate=0.0).mean_retention()

    @cached_property
    def customer_value(self) -> float:
        """CLV of an untroubled customer, ``retention_clv(margin, r₀, d, horizon)``."""
        return retention_clv(
            self.margin_per_period,
            self.retention,
            self.discount_rate,
            self.horizon_periods,
        )

    def outcome_table(self) -> pd.DataFrame:
        """What happens to a dissatisfied customer, one row per severity class and
        outcome.

        Columns: ``probability`` (given dissatisfied), ``retention`` (P(stays next
        period)), ``extra_defection`` (``r₀ − r_o``), ``clv_lost`` (``(1 − r_o/r₀)
        CLV``) and ``complaint_cost`` (handling, plus compensation when resolved).
        """
        scenario = self.complaints.replace(problem_rate=1.0)
        probs = scenario.class_outcome_probabilities()
        r0, value = self.retention, self.customer_value
        rows = []
        for name, cls in scenario.classes().items():
            for outcome in probs.columns[1:]:  # every outcome but no_problem
                r = float(cls.retention[outcome])
                cost = 0.0 if outcome == "silent" else scenario.handling_cost
                if outcome.startswith("resolved"):
                    cost += scenario.compensation
                rows.append(
                    {
                        "severity": name,
                        "outcome": outcome,
                        "probability": float(probs.loc[name, outcome]),
                        "retention": r,
                        "extra_defection": r0 - r,
                        "clv_lost": (1.0 - r / r0) * value,
                        "complaint_cost": cost,
                    }
                )
        return pd.DataFrame(rows).set_index(["severity", "outcome"])

    @cached_property
    def _per_dissatisfied(self) -> dict[str, float]:
        table = self.outcome_table()
        p = table["probability"]
        silent = table.index.get_level_values("outcome") == "silent"
        return {
            "complaints": float(p[~silent].sum()),
            "silent": float(p[silent].sum()),
            "silent_defections": float((p * table["extra_defection"])[silent].sum()),
            "defections": float((p * table["extra_defection"]).sum()),
            "clv_lost": float((p * table["clv_lost"]).sum()),
            "complaint_cost": float((p * table["complaint_cost"]).sum()),
        }

    @property
    def clv_lost_per_dissatisfied(self) -> float:
        """Expected CLV lost per dissatisfied customer, over outcomes."""
        return self._per_dissatisfied["clv_lost"]


@dataclass(frozen=True)
class WaitingCost:
    """The answer of :func:`waiting_cost`: expected counts and costs per period.

    Attributes
    ----------
    calls_per_period, prob_abandon, prob_dissatisfied : float
        Calls, and per call P(abandon) and P(dissatisfied).
    dissatisfied, dissatisfied_abandoned : float
        Dissatisfied callers, and those of them who abandoned.
    complaints, silent : float
        Dissatisfied callers who complain, and who do not.
    silent_defections, defections : float
        Customers lost because of the wait (over those who would have left anyway):
        among the silent, and in all.
    customer_value : float
        CLV of an untroubled customer.
    clv_lost, complaint_cost, cost : float
        CLV lost, complaint handling and compensation, and their sum.
    """

    calls_per_period: float
    prob_abandon: float
    prob_dissatisfied: float
    dissatisfied: float
    dissatisfied_abandoned: float
    complaints: float
    silent: float
    silent_defections: float
    defections: float
    customer_value: float
    clv_lost: float
    complaint_cost: float
    cost: float

    def to_frame(self) -> pd.DataFrame:
        """A one-row DataFrame of every attribute."""
        return pd.DataFrame([asdict(self)])

    def __str__(self) -> str:
        lines = ["What waiting costs per period"]
        lines += [f"  {name:<24} {value:.6g}" for name, value in asdict(self).items()]
        return "\n".join(lines)


def _check_cost_model(value: object) -> WaitingCostModel:
    if not isinstance(value, WaitingCostModel):
        raise _kind_error(
            "cost_model",
            value,
            "a WaitingCostModel",
            "WaitingCostModel(margin_per_period=..., discount_rate=..., "
            "abandoned_dissatisfaction=..., dissatisfaction=...)",
        )
    return value


def _check_queue(value: object) -> Any:
    if isinstance(value, type) or not all(
        callable(getattr(value, name, None))
        for name in ("service_level", "prob_wait_exceeds")
    ):
        raise _kind_error(
            "queue_model",
            value,
            "a queue model with service_level(t) and prob_wait_exceeds(t)",
            "e.g. crmkit.queues.ErlangA(arrival_rate=1, service_rate=0.25, "
            "servers=5, abandonment_rate=0.5) or MMc(...)",
        )
    if any(hasattr(value, name) for name in ("prob_block", "prob_blocked")):
        raise ParameterError(
            f"queue_model = {show(value)} blocks callers, and its waiting metrics are "
            "not over all arrivals; use a model without blocking (MMc, ErlangA, MD1)."
        )
    return value


def _served_tail(model: Any, served: float, abandons: bool) -> Tail:
    """u ↦ P(served, W > u) over all arrivals."""
    if not abandons:
        return lambda u: float(model.prob_wait_exceeds(u))
    return lambda u: max(served - float(model.service_level(u)), 0.0)


def _wait_scale(model: Any) -> float:
    """The mean wait of those who wait (a length scale for the integrals)."""
    wait = float(getattr(model, "mean_wait", math.nan))
    p = float(getattr(model, "prob_wait", 1.0))
    return wait / p if p > 0 and math.isfinite(wait) else math.nan


def waiting_cost(
    queue_model: Any, cost_model: WaitingCostModel, calls_per_period: float
) -> WaitingCost:
    """Expected dissatisfied callers, complaints, defections and CLV lost per period.

    Per call, ``P(dissatisfied) = d_ab P(abandon) + E[f(W); served]``. For a step curve
    ``E[f(W); served] = p P(served, W > T)``; for a smooth curve ``f(0) P(served) +
    ∫₀^∞ f′(u) P(served, W > u) du`` (Fubini), integrated with
    :func:`scipy.integrate.quad` (QUADPACK; absolute error below 1e-13) piece by piece
    at the curve's and the queue's own time scales. ``P(served, W > u)`` is the model's
    ``prob_wait_exceeds(u)`` when no one abandons, else ``1 − P(abandon) −
    service_level(u)`` (``service_level`` counts abandoners as failures, as ErlangA's
    does). Counts are ``calls_per_period`` times these probabilities, and times the
    per-dissatisfied figures of :meth:`WaitingCostModel.outcome_table`.

    Parameters
    ----------
    queue_model : MMc, MM1, ErlangA, MD1, or any model with these methods
        Its ``service_level(t)``, ``prob_wait_exceeds(t)``, ``prob_abandon`` (0 when
        absent) give the waits, in minutes. Models that block callers (MMcK) are
        refused: their waiting metrics are over admitted callers only.
    cost_model : WaitingCostModel
        Dissatisfaction, complaint behaviour, retention and customer value.
    calls_per_period : float
        Calls offered in one CLV period (>= 0): the arrival rate times the minutes
        open in a period.

    Returns
    -------
    WaitingCost

    References
    ----------
    R. Piessens, E. de Doncker-Kapenga, C. W. Überhuber and D. K. Kahaner (1983),
    *QUADPACK: A Subroutine Package for Automatic Integration*, Springer, Berlin.

    Examples
    --------
    >>> from crmkit.queues import ErlangA
    >>> queue = ErlangA(arrival_rate=1.0, service_rate=0.25, servers=5,
    ...                 abandonment_rate=0.5)
    >>> cost = WaitingCostModel(
    ...     margin_per_period=20.0, discount_rate=0.01, abandoned_dissatisfaction=0.5,
    ...     dissatisfaction=StepDissatisfaction(tolerance_minutes=1.0, probability=0.3))
    >>> res = waiting_cost(queue, cost, calls_per_period=10_000)
    >>> round(res.prob_abandon, 5), round(res.dissatisfied, 2), round(res.complaints, 3)
    (0.12727, 819.96, 30.369)
    >>> round(res.clv_lost)      # 819.96 dissatisfied × 399.94 CLV lost each
    327935
    """
    model = _check_queue(queue_model)
    cost = _check_cost_model(cost_model)
    calls = check_nonnegative("calls_per_period", calls_per_period)
    p_ab = float(getattr(model, "prob_abandon", 0.0))
    served = 1.0 - p_ab
    tail = _served_tail(model, served, abandons=p_ab > 0.0)
    by_wait = cost.dissatisfaction._expected(tail, served, _wait_scale(model))
    from_abandon = cost.abandoned_dissatisfaction * p_ab
    p_diss = from_abandon + by_wait
    dissatisfied = calls * p_diss
    per = cost._per_dissatisfied
    clv_lost = dissatisfied * per["clv_lost"]
    complaint_cost = dissatisfied * per["complaint_cost"]
    return WaitingCost(
        calls_per_period=calls,
        prob_abandon=p_ab,
        prob_dissatisfied=p_diss,
        dissatisfied=dissatisfied,
        dissatisfied_abandoned=calls * from_abandon,
        complaints=dissatisfied * per["complaints"],
        silent=dissatisfied * per["silent"],
        silent_defections=dissatisfied * per["silent_defections"],
        defections=dissatisfied * per["defections"],
        customer_value=cost.customer_value,
        clv_lost=clv_lost,
        complaint_cost=complaint_cost,
        cost=clv_lost + complaint_cost,
    )


@dataclass(frozen=True)
class AgentValueResult:
    """The answer of :func:`agent_value_curve`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per staffing level (use :meth:`to_frame` for a copy).
    best_servers : int
        The staffing in the range with the lowest ``total_cost`` (the smallest such,
        on ties).
    agent_cost_per_period : float
        What one agent costs per period.
    """

    table: pd.DataFrame
    best_servers: int
    agent_cost_per_period: float

    def to_frame(self) -> pd.DataFrame:
        """A copy of the table, indexed by ``servers``."""
        return self.table.copy()

    @property
    def at_edge(self) -> bool:
        """True when the minimum lies at an end of the range (extend the range)."""
        servers = self.table.index
        return len(servers) > 1 and self.best_servers in (servers[0], servers[-1])

    def __str__(self) -> str:
        row = self.table.loc[self.best_servers]
        edge = " (at an end of servers_range: extend it)" if self.at_edge else ""
        return (
            f"Cost-minimising staffing: {self.best_servers} agents{edge}\n"
            f"  agent cost   {row['agent_cost']:.6g}\n"
            f"  waiting cost {row['waiting_cost']:.6g} (CLV lost "
            f"{row['clv_lost']:.6g}, complaints {row['complaint_cost']:.6g})\n"
            f"  total cost   {row['total_cost']:.6g} per period"
        )


def _check_servers_range(values: object) -> list[int]:
    example = "range(5, 15)"
    if isinstance(values, str | bytes) or not isinstance(
        values, Sequence | np.ndarray | pd.Series | pd.Index
    ):
        raise _kind_error("servers_range", values, "a sequence", f"e.g. {example}")
    if isinstance(values, np.ndarray | pd.Series | pd.Index) and values.ndim != 1:
        raise ParameterError(
            f"servers_range has shape {values.shape}; pass a flat sequence such as "
            f"{example}."
        )
    if len(values) == 0:
        raise ParameterError(
            f"servers_range = {show(values)} is empty; pass at least one staffing "
            f"level, e.g. {example}."
        )
    if len(values) > MAX_LEVELS:
        raise ParameterError(
            f"servers_range has {len(values):,} levels, more than the limit of "
            f"{MAX_LEVELS:,}; pass a shorter range (or a coarser step)."
        )
    levels = [
        check_count(f"servers_range[{i}]", v, minimum=1) for i, v in enumerate(values)
    ]
    for i in range(1, len(levels)):
        if levels[i] <= levels[i - 1]:
            raise ParameterError(
                f"servers_range = {show(values)} is not strictly increasing (entry {i} "
                f"= {levels[i]} after {levels[i - 1]}); sort it and drop repeats."
            )
    return levels


def agent_value_curve(
    arrival_rate: float,
    service_rate: float,
    abandonment_rate: float | None,
    servers_range: Sequence[int],
    cost_model: WaitingCostModel,
    agent_cost_per_period: float,
    calls_per_period: float,
) -> AgentValueResult:
    """Agent cost, the cost of waiting, and the value of one more agent, per staffing
    level.

    Each level is an :class:`~crmkit.queues.ErlangA` queue (an :class:`~crmkit.queues.
    MMc` when ``abandonment_rate`` is None) priced by :func:`waiting_cost`. The total
    is ``servers · agent_cost_per_period + waiting cost``, the cost-minimising staffing
    is the level with the lowest total (Gans, Koole & Mandelbaum 2003, §4.1: staffing
    as a trade-off of agent cost and the cost of delay and abandonment), and
    ``marginal_value`` is the waiting cost saved by moving to the next level, per agent
    added. The next agent pays for itself where ``marginal_value`` exceeds the agent
    cost. Waiting cost falls as agents are added whenever an abandoned caller is at
    least as likely to be dissatisfied as one served after any wait (waits shorten and
    fewer abandon); with ``abandoned_dissatisfaction`` below the curve it need not.

    Parameters
    ----------
    arrival_rate, service_rate : float
        λ and μ per minute.
    abandonment_rate : float or None
        θ = 1 / mean patience per minute; None for patient callers (M/M/c).
    servers_range : sequence of int
        Staffing levels, strictly increasing whole numbers >= 1 (at most 2,000 of
        them), e.g. ``range(5, 15)``. Without abandonment every level must be stable.
    cost_model : WaitingCostModel
    agent_cost_per_period : float
        What one agent costs per period (>= 0), in the currency of the margin.
    calls_per_period : float
        Calls offered in one CLV period (>= 0).

    Returns
    -------
    AgentValueResult
        ``table`` indexed by ``servers`` with ``prob_abandon``, ``mean_wait``,
        ``dissatisfied``, ``complaints``, ``silent_defections``, ``defections``,
        ``clv_lost``, ``complaint_cost``, ``waiting_cost``, ``agent_cost``,
        ``total_cost``, ``marginal_value`` (NaN on the last row) and
        ``pays_for_itself``; and ``best_servers``.

    References
    ----------
    N. Gans, G. Koole and A. Mandelbaum (2003), "Telephone call centers: tutorial,
    review, and research prospects", *Manufacturing & Service Operations Management*
    5(2):79–141.

    Examples
    --------
    >>> cost = WaitingCostModel(20.0, 0.01, 0.5, StepDissatisfaction(1.0, 0.3))
    >>> res = agent_value_curve(1.0, 0.25, 0.5, range(4, 14), cost,
    ...                         agent_cost_per_period=8_000, calls_per_period=10_000)
    >>> res.best_servers
    9
    >>> res.table.loc[8:10, "marginal_value"].round().tolist()   # the 9th, 10th, 11th
    [19634.0, 7704.0, 2739.0]
    """
    cost = _check_cost_model(cost_model)
    levels = _check_servers_range(servers_range)
    agent_cost = check_nonnegative("agent_cost_per_period", agent_cost_per_period)
    calls = check_nonnegative("calls_per_period", calls_per_period)

    def queue(c: int) -> MMc | ErlangA:
        return erlang_queue(arrival_rate, service_rate, c, abandonment_rate)

    queue(levels[-1])  # checks the rates (and stability at the largest level)
    if abandonment_rate is None:
        load = float(arrival_rate) / float(service_rate)
        if levels[0] <= load:
            raise UnstableQueueError(
                f"servers_range = {show(servers_range)} starts at {levels[0]}, where "
                f"M/M/c is unstable (offered load {load:.4g}); start it at "
                f"{math.floor(load) + 1} or more, or pass abandonment_rate (ErlangA)."
            )
    rows = []
    for c in levels:
        model = queue(c)
        res = waiting_cost(model, cost, calls)
        rows.append(
            {
                "servers": c,
                "prob_abandon": res.prob_abandon,
                "mean_wait": model.mean_wait,
                "dissatisfied": res.dissatisfied,
                "complaints": res.complaints,
                "silent_defections": res.silent_defections,
                "defections": res.defections,
                "clv_lost": res.clv_lost,
                "complaint_cost": res.complaint_cost,
                "waiting_cost": res.cost,
            }
        )
    table = pd.DataFrame(rows).set_index("servers")
    table["agent_cost"] = table.index.to_numpy(dtype=float) * agent_cost
    table["total_cost"] = table["agent_cost"] + table["waiting_cost"]
    saved = -np.diff(table["waiting_cost"].to_numpy()) / np.diff(levels)
    table["marginal_value"] = np.append(saved, np.nan)
    table["pays_for_itself"] = table["marginal_value"] > agent_cost
    best = int(table.index[int(np.argmin(table["total_cost"].to_numpy()))])
    return AgentValueResult(table, best, agent_cost)
