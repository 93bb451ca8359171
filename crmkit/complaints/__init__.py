"""Complaint handling (客户投诉) as a model you can run, calibrate and compare.

- :class:`ComplaintScenario` — problems, complaints (1 in 27 by default), resolution and
  retention (TARP), severity classes, word of mouth, the recovery paradox;
  ``expected()`` gives the closed-form trajectory.
- :func:`simulate` — vectorised binomial/multinomial simulation, or one customer at a
  time; :func:`compare_strategies` — variants with common random numbers, and
  :func:`paired_difference` — two results compared replication by replication.
- The four handling steps as a queue: :class:`HandlingProcess`, :func:`handling_rates`,
  :func:`with_handling`.
- CFPB-style data: :func:`make_complaints`, :func:`read_cfpb`, :func:`dispute_rates`.

Examples
--------
>>> from crmkit.complaints import ComplaintScenario, simulate
>>> scenario = ComplaintScenario(customers=1000, periods=3)
>>> res = simulate(scenario, replications=20, seed=0)
>>> res.metric("complaints").shape
(3, 3)
"""

from crmkit.complaints._cfpb import (
    CFPB_COLUMNS,
    dispute_rates,
    make_complaints,
    read_cfpb,
)
from crmkit.complaints._compare import compare_strategies, paired_difference
from crmkit.complaints._process import (
    STEPS,
    HandlingProcess,
    handling_rates,
    with_handling,
)
from crmkit.complaints._scenario import (
    OUTCOMES,
    TARP_LARGE_LOSS,
    TARP_SMALL_LOSS,
    ComplaintScenario,
    SeverityClass,
    WordOfMouth,
    tarp_severity,
)
from crmkit.complaints._simulate import METRICS, ComplaintResult, simulate

__all__ = [
    "CFPB_COLUMNS",
    "METRICS",
    "OUTCOMES",
    "STEPS",
    "TARP_LARGE_LOSS",
    "TARP_SMALL_LOSS",
    "ComplaintResult",
    "ComplaintScenario",
    "HandlingProcess",
    "SeverityClass",
    "WordOfMouth",
    "compare_strategies",
    "dispute_rates",
    "handling_rates",
    "make_complaints",
    "paired_difference",
    "read_cfpb",
    "simulate",
    "tarp_severity",
    "with_handling",
]
