"""The complaint-handling scenario: what happens to customers who have a problem."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_bool,
    check_count,
    check_nonnegative,
    check_probability,
    check_real,
    show,
)
from crmkit.errors import ParameterError

__all__ = [
    "OUTCOMES",
    "TARP_LARGE_LOSS",
    "TARP_SMALL_LOSS",
    "ComplaintScenario",
    "SeverityClass",
    "WordOfMouth",
    "tarp_severity",
]

#: the largest customer base a scenario accepts (counts stay exact in int64)
MAX_CUSTOMERS = 10**12
#: the most periods a scenario accepts
MAX_PERIODS = 100_000
#: the largest amount of money per customer or complaint (margin, costs, compensation)
MAX_MONEY = 1e12
#: the largest mean number of new customers per period
MAX_ACQUISITION = 1e12
#: the most people one customer tells about an experience (TARP: about 9-10)
MAX_TELLS = 1_000.0

#: The five outcomes of a period, in this order.
OUTCOMES = ("no_problem", "silent", "unresolved", "resolved", "resolved_quickly")

#: Repurchase after a problem with a small loss (TARP): silent 37 %, complained but not
#: satisfied 46 %, satisfied 70 %, satisfied quickly 95 %. ``no_problem`` is crmkit's
#: illustrative 0.98 (about 2 % of untroubled customers leave per period; set it from
#: your own churn data).
TARP_SMALL_LOSS = MappingProxyType(
    {
        "no_problem": 0.98,
        "silent": 0.37,
        "unresolved": 0.46,
        "resolved": 0.70,
        "resolved_quickly": 0.95,
    }
)
#: The same for losses over $100: 9 %, 19 %, 54 %, 82 %.
TARP_LARGE_LOSS = MappingProxyType(
    {
        "no_problem": 0.98,
        "silent": 0.09,
        "unresolved": 0.19,
        "resolved": 0.54,
        "resolved_quickly": 0.82,
    }
)


def check_type(name: str, value: object, kind: type, wanted: str, fix: str) -> None:
    """Raise :class:`~crmkit.errors.ParameterError` unless ``value`` is a ``kind``.

    The message names the argument, shows the value and its type, and ends with
    ``pass {fix}.``

    Examples
    --------
    >>> check_type("scenario", 3, ComplaintScenario, "ComplaintScenario",
    ...            "e.g. ComplaintScenario(customers=1000)")
    Traceback (most recent call last):
    ...
    crmkit.errors.ParameterError: scenario = 3 is a int, not a ComplaintScenario; pass e.g. ComplaintScenario(customers=1000).
    """  # noqa: E501
    if not isinstance(value, kind):
        raise ParameterError(
            f"{name} = {show(value)} is a {type(value).__name__}, not a {wanted}; "
            f"pass {fix}."
        )


def check_scenario(name: str, value: object) -> None:
    """Raise :class:`~crmkit.errors.ParameterError` unless ``value`` is a
    :class:`ComplaintScenario`."""
    check_type(
        name,
        value,
        ComplaintScenario,
        "ComplaintScenario",
        "e.g. ComplaintScenario(customers=1000)",
    )


def _bounded(name: str, value: object, high: float) -> float:
    """A number in [0, high]: negatives get the "must not be negative" message."""
    check_nonnegative(name, value)
    return check_real(name, value, low=0, high=high)


def _check_retention(name: str, table: Mapping[str, float]) -> MappingProxyType:
    check_type(
        name,
        table,
        Mapping,
        "mapping",
        "a dict from each outcome to a probability, e.g. "
        "dict(crmkit.complaints.TARP_SMALL_LOSS)",
    )
    missing = [k for k in OUTCOMES if k not in table]
    unknown = [k for k in table if k not in OUTCOMES]
    if missing or unknown:
        raise ParameterError(
            f"{name} = {show(dict(table))}: missing outcome(s) {missing}, unknown "
            f"{[show(k) for k in unknown]}; pass one probability for each of "
            f"{list(OUTCOMES)}."
        )
    return MappingProxyType(
        {k: check_probability(f"{name}[{k!r}]", table[k]) for k in OUTCOMES}
    )


@dataclass(frozen=True)
class SeverityClass:
    """One class of problem (e.g. mild or serious) with its own behaviour.

    ``mild`` marks classes to which the recovery paradox can apply.
    """

    share: float
    complaint_rate: float
    retention: Mapping[str, float]
    mild: bool = True

    def __post_init__(self) -> None:
        set_fields(
            self,
            share=check_probability("share", self.share),
            complaint_rate=check_probability("complaint_rate", self.complaint_rate),
            retention=_check_retention("retention", self.retention),
            mild=check_bool("mild", self.mild),
        )


def tarp_severity(
    serious_share: float = 0.2,
    *,
    mild_complaint_rate: float = 1 / 27,
    serious_complaint_rate: float = 0.5,
) -> dict[str, SeverityClass]:
    """Two classes after TARP: mild (small loss) and serious (loss over $100).

    Serious problems are far more often voiced; TARP found most customers with large
    losses complain while most with small losses do not. ``serious_complaint_rate``
    defaults to 0.5, an illustrative middle of that finding.

    Examples
    --------
    >>> sorted(tarp_severity())
    ['mild', 'serious']
    """
    s = check_probability("serious_share", serious_share)
    mild = check_probability("mild_complaint_rate", mild_complaint_rate)
    serious = check_probability("serious_complaint_rate", serious_complaint_rate)
    return {
        "mild": SeverityClass(1 - s, mild, dict(TARP_SMALL_LOSS)),
        "serious": SeverityClass(s, serious, dict(TARP_LARGE_LOSS), mild=False),
    }


@dataclass(frozen=True)
class WordOfMouth:
    """How customers talk about their experience and what it does to acquisition.

    Defaults: a dissatisfied customer tells about 9–10 people and a complainant whose
    problem was resolved about 5 (TARP, as popularised in J. Goodman's summaries); each
    negative mention keeps ``loss_per_mention`` of a prospect away and each positive one
    brings ``gain_per_mention`` of a new customer (illustrative, 0.01 and 0.005).
    A customer tells at most 1,000 people (``tells_*`` in [0, 1000]).
    """

    tells_dissatisfied: float = 9.5
    tells_satisfied: float = 5.0
    loss_per_mention: float = 0.01
    gain_per_mention: float = 0.005

    def __post_init__(self) -> None:
        tells = ("tells_dissatisfied", "tells_satisfied")
        shares = ("loss_per_mention", "gain_per_mention")
        set_fields(
            self,
            **{name: _bounded(name, getattr(self, name), MAX_TELLS) for name in tells},
            **{name: check_probability(name, getattr(self, name)) for name in shares},
        )


@dataclass(frozen=True)
class ComplaintScenario:
    """A customer base whose problems lead to complaints (or silence) and to churn.

    Each period every customer either has no problem or has one (``problem_rate``). A
    customer with a problem complains with ``complaint_rate``; a complaint is resolved
    to the customer's satisfaction with ``resolution_rate``, quickly with
    ``quick_resolution_rate``. The outcome (no_problem, silent, unresolved, resolved,
    resolved_quickly) sets the probability of staying for the next period
    (``retention``).

    Parameters (defaults, with their published basis or range)
    ------------------------------------------------------------
    customers : int, default 10,000
        Customers at the start (at most 10**12).
    periods : int, default 12
        Periods simulated (months, say; at most 100,000).
    problem_rate : float, default 0.05
        P(a customer has a problem in a period); illustrative (0.02–0.30 covers most
        published consumer surveys of problem incidence per purchase period).
    complaint_rate : float, default 1/27
        P(complains | problem): only 1 in 27 dissatisfied customers complains (the
        course's figure; the course names no source). TARP (1986) reports 4–50 % by
        product and severity.
    resolution_rate : float, default 0.5
        P(resolved to the customer's satisfaction | complaint); illustrative (TARP
        studies found roughly half of complainants satisfied; range 0.3–0.9).
    quick_resolution_rate : float, default 0.5
        P(resolved quickly | resolved); illustrative, set from the handling process
        (:func:`crmkit.complaints.handling_rates`).
    retention : mapping, default TARP small-loss repurchase figures
        P(stays next period | outcome): silent 0.37, unresolved 0.46, resolved 0.70,
        resolved quickly 0.95 (TARP); no problem 0.98 (illustrative). For losses over
        $100 TARP found 0.09, 0.19, 0.54, 0.82 (:data:`TARP_LARGE_LOSS`). The course
        quotes 70–90 % of complainants staying when satisfied.
    severity : mapping of SeverityClass, optional
        Classes of problem with their own share, complaint rate and retention; shares
        sum to 1 (e.g. :func:`tarp_severity`). Off by default: all problems then share
        ``complaint_rate`` and ``retention``. With classes, ``complaint_rate`` and
        ``retention`` must keep their defaults (each class carries its own); a changed
        value raises rather than being silently ignored.
    margin : float, default 10.0
        Margin per customer per period (one currency; at most 10**12, like the two
        below).
    handling_cost : float, default 5.0
        Cost of handling one complaint.
    compensation : float, default 0.0
        Paid per complaint resolved to the customer's satisfaction.
    word_of_mouth : WordOfMouth, optional
        Mentions and their effect on acquisition; off by default.
    acquisition : float, default 0.0
        New customers per period (Poisson mean, at most 10**12).
    recovery_paradox : float, default 0.0
        Extra satisfaction (a share in [0, 1]) of customers whose **first** problem was
        **mild** and **resolved quickly**, above customers without problems; it changes
        the satisfaction count only, not retention or word of mouth, because the
        meta-analysis of de Matos, Henrique and Rossi (2007) found the paradox for
        satisfaction but not for repurchase intentions or word of mouth (see also Maxham
        & Netemeyer 2002).

    References
    ----------
    Technical Assistance Research Programs (TARP) (1986), *Consumer Complaint Handling
    in America: An Update Study*, White House Office of Consumer Affairs. C. A. de
    Matos, J. L. Henrique and C. A. V. Rossi (2007), "Service recovery paradox: a
    meta-analysis", *Journal of Service Research* 10(1):60–77. J. G. Maxham III and R.
    G. Netemeyer (2002), "A longitudinal study of complaining customers' evaluations of
    multiple service failures and recovery efforts", *Journal of Marketing* 66(4):57–71.

    Examples
    --------
    >>> s = ComplaintScenario()
    >>> round(float(s.outcome_probabilities()["silent"]), 5)
    0.04815
    >>> round(float(s.expected()["customers"].iloc[-1]))
    5688
    """

    customers: int = 10_000
    periods: int = 12
    problem_rate: float = 0.05
    complaint_rate: float = 1 / 27
    resolution_rate: float = 0.5
    quick_resolution_rate: float = 0.5
    retention: Mapping[str, float] = field(
        default_factory=lambda: dict(TARP_SMALL_LOSS)
    )
    severity: Mapping[str, SeverityClass] | None = None
    margin: float = 10.0
    handling_cost: float = 5.0
    compensation: float = 0.0
    word_of_mouth: WordOfMouth | None = None
    acquisition: float = 0.0
    recovery_paradox: float = 0.0

    def __post_init__(self) -> None:
        rates = (
            "problem_rate",
            "complaint_rate",
            "resolution_rate",
            "quick_resolution_rate",
            "recovery_paradox",
        )
        money = ("margin", "handling_cost", "compensation")
        set_fields(
            self,
            customers=check_count("customers", self.customers, maximum=MAX_CUSTOMERS),
            periods=check_count(
                "periods", self.periods, minimum=1, maximum=MAX_PERIODS
            ),
            **{name: check_probability(name, getattr(self, name)) for name in rates},
            retention=_check_retention("retention", self.retention),
            **{name: _bounded(name, getattr(self, name), MAX_MONEY) for name in money},
            acquisition=_bounded("acquisition", self.acquisition, MAX_ACQUISITION),
        )
        if self.severity is not None:
            if not isinstance(self.severity, Mapping) or not self.severity:
                raise ParameterError(
                    f"severity = {show(self.severity)} is not a non-empty mapping of "
                    "class names to SeverityClass; pass e.g. "
                    "severity=tarp_severity(0.2) or None."
                )
            for name, cls in self.severity.items():
                if not isinstance(name, str):
                    raise ParameterError(
                        f"severity has the class name {show(name)}, not a str; use "
                        "text names such as 'mild' and 'serious'."
                    )
                check_type(
                    f"severity[{name!r}]",
                    cls,
                    SeverityClass,
                    "SeverityClass",
                    "SeverityClass(share, complaint_rate, retention)",
                )
            total = sum(c.share for c in self.severity.values())
            if not math.isclose(total, 1.0, rel_tol=1e-9):
                raise ParameterError(
                    f"severity shares sum to {total:g}, not 1; make the classes' "
                    "shares add up to 1."
                )
            set_fields(self, severity=MappingProxyType(dict(self.severity)))
            ignored = [
                name
                for name, default in (
                    ("complaint_rate", 1 / 27),
                    ("retention", dict(TARP_SMALL_LOSS)),
                )
                if (
                    not math.isclose(self.complaint_rate, default)
                    if name == "complaint_rate"
                    else dict(self.retention) != default
                )
            ]
            if ignored:
                raise ParameterError(
                    f"with severity classes, {' and '.join(ignored)} come from each "
                    "SeverityClass, so the value given would be ignored; change the "
                    "classes instead, e.g. severity=tarp_severity(0.2, "
                    "mild_complaint_rate=0.25)."
                )
        if self.word_of_mouth is not None:
            check_type(
                "word_of_mouth",
                self.word_of_mouth,
                WordOfMouth,
                "WordOfMouth",
                "WordOfMouth(...) or None",
            )

    def replace(self, **changes: Any) -> ComplaintScenario:
        """A copy with some parameters changed (checked like the original)."""
        known = [f.name for f in dataclasses.fields(self)]
        unknown = [k for k in changes if k not in known]
        if unknown:
            raise ParameterError(
                f"unknown scenario parameter(s) {unknown}; use the names "
                f"{', '.join(known)}."
            )
        return dataclasses.replace(self, **changes)

    def classes(self) -> dict[str, SeverityClass]:
        """The severity classes in use (a single class when severity is off)."""
        if self.severity is None:
            return {
                "all": SeverityClass(1.0, self.complaint_rate, dict(self.retention))
            }
        return dict(self.severity)

    def outcome_probabilities(self) -> pd.Series:
        """P(outcome) for one customer in one period, over all severity classes."""
        return self.class_outcome_probabilities().sum(axis=0)

    def class_outcome_probabilities(self) -> pd.DataFrame:
        """P(class and outcome), one row per severity class; rows sum to class
        shares."""
        q, rho, phi = (
            self.problem_rate,
            self.resolution_rate,
            self.quick_resolution_rate,
        )
        rows = {}
        for name, cls in self.classes().items():
            c = cls.complaint_rate
            rows[name] = cls.share * np.array(
                [
                    1 - q,
                    q * (1 - c),
                    q * c * (1 - rho),
                    q * c * rho * (1 - phi),
                    q * c * rho * phi,
                ]
            )
        return pd.DataFrame.from_dict(rows, orient="index", columns=list(OUTCOMES))

    def mean_retention(self) -> float:
        """Average P(stays next period) over outcomes and classes."""
        p = self.class_outcome_probabilities()
        ret = pd.DataFrame(
            {
                name: pd.Series(dict(cls.retention))
                for name, cls in self.classes().items()
            }
        ).T[list(OUTCOMES)]
        return float((p * ret).to_numpy().sum())

    def expected(self) -> pd.DataFrame:
        """The closed-form expected trajectory (word of mouth and acquisition ignored).

        Every customer faces the same probabilities, so the expected base shrinks by the
        mean retention each period: ``E[N_t] = N_0 r̄^t``, and every count is ``E[N_t]``
        times its probability. The simulation's means must agree with this (tested).

        Returns
        -------
        pandas.DataFrame
            Per period: ``customers`` (at the start), ``problems``, ``complaints``,
            ``silent``, ``unresolved``, ``resolved``, ``resolved_quickly``, ``lost``,
            ``revenue``, ``handling_cost``, ``compensation_cost``, ``profit``.
        """
        p = self.outcome_probabilities()
        r = self.mean_retention()
        n = self.customers * r ** np.arange(self.periods)
        out = pd.DataFrame({"period": np.arange(1, self.periods + 1), "customers": n})
        for o in OUTCOMES[1:]:
            out[o] = n * p[o]
        out["problems"] = n * (1 - p["no_problem"])
        out["complaints"] = (
            out["unresolved"] + out["resolved"] + out["resolved_quickly"]
        )
        out["lost"] = n * (1 - r)
        out["revenue"] = n * self.margin
        out["handling_cost"] = out["complaints"] * self.handling_cost
        out["compensation_cost"] = (
            out["resolved"] + out["resolved_quickly"]
        ) * self.compensation
        out["profit"] = out["revenue"] - out["handling_cost"] - out["compensation_cost"]
        return out.set_index("period")
