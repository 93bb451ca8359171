"""What every queue model shares: checked arguments, a summary, a one-row DataFrame.

Public methods check and broadcast their arguments, then call a private method that
holds only the formula (the template-method layout of ``scipy.stats``).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit.errors import ParameterError, UnstableQueueError

__all__ = ["QueueModel", "check_times", "unstable_error"]

#: metric name -> label used in summaries
LABELS: dict[str, str] = {
    "utilization": "utilisation ρ = λ/(cμ)",
    "offered_load": "offered load a = λ/μ (Erlang)",
    "prob_empty": "P(system empty)",
    "prob_wait": "P(wait > 0)",
    "prob_block": "P(blocked)",
    "prob_abandon": "P(abandon)",
    "throughput": "throughput (admitted per time unit)",
    "occupancy": "agent occupancy",
    "mean_wait": "mean wait in queue Wq",
    "mean_time_in_system": "mean time in system W",
    "mean_queue_length": "mean queue length Lq",
    "mean_number_in_system": "mean number in system L",
}


def check_times(name: str, t: ArrayLike) -> tuple[np.ndarray, bool]:
    """Return ``t`` as a float array and whether it was a scalar; reject bad times."""
    if isinstance(t, bool):
        raise ParameterError(f"{name} must be a time (a number >= 0), got {t!r}.")
    try:
        arr = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{name} must be a time (a number >= 0), got {t!r}."
        ) from None
    if np.isnan(arr).any():
        raise ParameterError(f"{name} contains NaN; pass times >= 0.")
    if (arr < 0).any():
        raise ParameterError(
            f"{name} = {arr.min() if arr.ndim else float(arr)} is negative; waiting "
            "times are >= 0."
        )
    if np.isinf(arr).any():
        raise ParameterError(f"{name} is infinite; pass finite times >= 0.")
    return arr, arr.ndim == 0


def unstable_error(
    rho: float, arrival_rate: float, service_rate: float
) -> UnstableQueueError:
    """The error for ρ ≥ 1, naming the smallest number of servers that is stable."""
    needed = math.floor(arrival_rate / service_rate) + 1
    return UnstableQueueError(
        f"ρ = {rho:.4g} ≥ 1: the queue is unstable (it grows without bound). With "
        f"arrival_rate = {arrival_rate:g} and service_rate = {service_rate:g} at least "
        f"{needed} servers are needed; or model impatient customers with ErlangA, or a "
        "finite waiting room with MMcK."
    )


class QueueModel:
    """Mixin for the frozen dataclasses of :mod:`crmkit.queues`."""

    #: the metrics the model defines, in display order
    METRICS: ClassVar[tuple[str, ...]] = ()

    def metrics(self) -> dict[str, Any]:
        """Return ``{metric name: value}`` for every metric the model defines."""
        return {name: getattr(self, name) for name in self.METRICS}

    def to_frame(self) -> pd.DataFrame:
        """Return the parameters and metrics as a one-row DataFrame."""
        row: dict[str, Any] = {"model": type(self).__name__}
        row.update(self.parameters())
        row.update(self.metrics())
        return pd.DataFrame([row])

    def parameters(self) -> dict[str, Any]:
        """Return the model's parameters as a dict."""
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init
        }

    def summary(self) -> str:
        """A readable table of the parameters and metrics."""
        lines = [repr(self)]
        for name, value in self.metrics().items():
            label = LABELS.get(name, name)
            if isinstance(value, tuple):
                text = ", ".join(f"{v:.6g}" for v in value)
            else:
                text = f"{value:.6g}"
            lines.append(f"  {label:<38} {text}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()
