"""Parameter sweeps for research (研究：参数扫描): reproducible, restartable, on Dask.

:func:`sweep` runs a function at every point of a grid with replications — serially, on
a local Dask cluster (the default) or on any Dask cluster — and returns every run and a
summary with 95 % intervals. Each run draws from its own stream keyed by the seed and
its position (:func:`task_rng`), so the numbers do not depend on who computes them.
With ``store=`` a folder, finished batches are kept as Parquet and an interrupted sweep
resumes where it stopped.

What waiting costs (等待的代价): :func:`waiting_cost` follows one queue's waits and
abandonment to dissatisfaction (:class:`StepDissatisfaction`,
:class:`ExponentialDissatisfaction`, :class:`LogisticDissatisfaction`), complaints or
silent defection and lost CLV (:class:`WaitingCostModel`, :class:`WaitingCost`);
:func:`agent_value_curve` prices every staffing level and asks whether one more agent
pays for itself (:class:`AgentValueResult`).

Examples
--------
>>> from crmkit.experiments import sweep
>>> from crmkit.queues import MMc
>>> def wait(params, rng):
...     m = MMc(arrival_rate=params["load"] * 5, service_rate=1.0, servers=5)
...     return {"mean_wait": m.mean_wait}
>>> res = sweep(wait, {"load": [0.5, 0.8]}, replications=1, seed=0, client="serial")
>>> res.table("mean_wait")["mean"].round(3).tolist()
[0.052, 0.554]
"""

from crmkit.experiments._grid import expand_grid
from crmkit.experiments._store import SweepStore
from crmkit.experiments._sweep import SweepResult, sweep, task_rng
from crmkit.experiments._waiting_value import (
    AgentValueResult,
    ExponentialDissatisfaction,
    LogisticDissatisfaction,
    StepDissatisfaction,
    WaitingCost,
    WaitingCostModel,
    agent_value_curve,
    waiting_cost,
)

__all__ = [
    "AgentValueResult",
    "ExponentialDissatisfaction",
    "LogisticDissatisfaction",
    "StepDissatisfaction",
    "SweepResult",
    "SweepStore",
    "WaitingCost",
    "WaitingCostModel",
    "agent_value_curve",
    "expand_grid",
    "sweep",
    "task_rng",
    "waiting_cost",
]
