"""Estimating from a call log what the queue models need: arrival rates by hour, a
service-time law, callers' patience, and how abandonment grows with the wait.

Every estimator takes the typed log of :func:`~crmkit.queues.read_call_log` (or
:func:`~crmkit.datasets.load_call_centre`) and checks the columns it reads.

Each function's docstring gives the full references of its sources.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._validate import check_count, check_nonnegative, show
from crmkit.errors import DataError, ParameterError
from crmkit.queues._base import check_sequence, check_values
from crmkit.queues._calllog_read import (
    check_log,
    hour_of_day,
    one_day,
    queue_seconds,
)
from crmkit.queues._distributions import Lognormal

__all__ = [
    "abandonment_vs_wait",
    "agents_by_hour",
    "arrival_rates_by_hour",
    "patience_curve",
    "service_time_fit",
]


def arrival_rates_by_hour(
    log: pd.DataFrame, *, weekdays: Sequence[int] | None = None
) -> pd.DataFrame:
    """Mean calls per hour of the day, over the days in the log.

    Parameters
    ----------
    log : DataFrame
        From :func:`read_call_log`.
    weekdays : sequence of int, optional
        Days to include (Monday = 0 … Sunday = 6); e.g. ``[6, 0, 1, 2, 3]`` for the
        Israeli working week. Default: all days.

    Returns
    -------
    pandas.DataFrame
        Index ``hour`` (0–23); ``calls_per_day`` (mean over the included days, zero
        hours counted), ``sd`` across days, and ``per_minute`` (arrival rate).

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> rates = arrival_rates_by_hour(load_call_centre(), weekdays=[6, 0, 1, 2, 3])
    >>> int(rates["calls_per_day"].idxmax()) in (10, 13, 14, 15, 16)
    True
    """
    log = check_log(log, ["date", "vru_exit"])
    if weekdays is not None:
        days = check_values(
            "weekdays",
            check_sequence("weekdays", weekdays, "[6, 0, 1, 2, 3]"),
            low=0.0,
            high=6.0,
            integer=True,
        )
        log = log[log["date"].dt.day_of_week.isin(days.astype(int).tolist())]
    if log.empty:
        raise DataError(
            f"no calls on the selected days (weekdays = {show(weekdays)}, Monday = 0); "
            "pass weekdays that occur in the log."
        )
    hour = hour_of_day(queue_seconds(log))
    table = pd.crosstab(log["date"], hour).reindex(columns=range(24), fill_value=0)
    out = pd.DataFrame(
        {
            "calls_per_day": table.mean(axis=0),
            "sd": table.std(axis=0, ddof=1) if len(table) > 1 else np.nan,
        }
    )
    out["per_minute"] = out["calls_per_day"] / 60.0
    out.index.name = "hour"
    return out


def service_time_fit(
    log: pd.DataFrame, *, min_seconds: float = 0.0, types: Sequence[str] | None = None
) -> dict[str, float | Lognormal]:
    """Fit a lognormal to served calls' service times (seconds).

    Brown et al. (2005) found service times close to lognormal; very short calls
    (hang-ups on answer, transfers) distort the fit, so ``min_seconds`` can drop them.

    Returns
    -------
    dict
        ``n``, ``mean_s``, ``median_s``, ``log_mean``, ``log_sd`` (the
        maximum-likelihood lognormal parameters), ``scv`` of the data, and
        ``distribution`` (a :class:`~crmkit.queues.Lognormal` with the fitted log mean
        and sd).

    References
    ----------
    L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
    "Statistical analysis of a telephone call center: a queueing-science perspective",
    *Journal of the American Statistical Association* 100(469):36–50 (service times).

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> fit = service_time_fit(load_call_centre())
    >>> 150 < fit["mean_s"] < 230 and 0.7 < fit["log_sd"] < 1.0
    True
    """
    needed = ["served", "ser_time"] + (["type"] if types is not None else [])
    log = check_log(log, needed)
    min_seconds = check_nonnegative("min_seconds", min_seconds)
    sel = log["served"] & (log["ser_time"] > min_seconds)
    if types is not None:
        kinds = check_sequence("types", types, '["PS", "NW"]')
        if len(kinds) == 0 or not all(isinstance(k, str) for k in kinds):
            raise ParameterError(
                f"types = {show(types)} is not a non-empty list of type labels; pass "
                'e.g. ["PS", "NW"].'
            )
        sel &= log["type"].isin(kinds)
    t = log.loc[sel, "ser_time"].to_numpy(dtype=float)
    t = t[t > 0]
    if t.size < 2:
        raise DataError(
            f"fewer than two served calls with a service time above min_seconds = "
            f"{min_seconds:g} (types = {show(types)}); pass a lower min_seconds or "
            "more types."
        )
    logs = np.log(t)
    mu, sd = float(logs.mean()), float(logs.std(ddof=0))
    if not 1e-12 < sd <= 3.7:
        raise DataError(
            f"the {t.size} selected service times have a log-standard deviation of "
            f"{sd:.3g} (all equal, or spread over many orders of magnitude), which no "
            "lognormal fits; check the ser_time column, or pass min_seconds to drop "
            "very short calls."
        )
    return {
        "n": int(t.size),
        "mean_s": float(t.mean()),
        "median_s": float(np.median(t)),
        "log_mean": mu,
        "log_sd": sd,
        "scv": float(t.var() / t.mean() ** 2),
        "distribution": Lognormal.from_log(mu, sd),
    }


def patience_curve(log: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """Kaplan–Meier estimate of callers' patience from censored waits.

    A caller who hung up reveals its patience (its time in queue); a caller who was
    served reveals only that its patience exceeded its wait (right-censored). Callers
    who never queued say nothing and are left out. The estimate is scipy's
    ``stats.ecdf`` on ``stats.CensoredData``.

    Returns
    -------
    curve : pandas.DataFrame
        ``seconds``, ``survival`` (P(patience > t)) and its 95 % interval
        ``ci_low``/``ci_high`` (Greenwood, log-log).
    mean_s : float
        The restricted mean patience (area under the curve up to the longest observed
        wait), in seconds; a lower bound of the mean when the curve has not reached 0.

    References
    ----------
    E. L. Kaplan and P. Meier (1958), "Nonparametric estimation from incomplete
    observations", *Journal of the American Statistical Association*
    53(282):457–481.
    M. Greenwood (1926), "The natural duration of cancer", *Reports on Public Health
    and Medical Subjects* 33, London: His Majesty's Stationery Office, 1–26 (the
    variance of the curve).
    L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
    "Statistical analysis of a telephone call center: a queueing-science perspective",
    *Journal of the American Statistical Association* 100(469):36–50 (§5, patience).

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> curve, mean_s = patience_curve(load_call_centre())
    >>> 120 < mean_s < 900
    True
    """
    log = check_log(log, ["queued", "served", "q_time"])
    q = log[log["queued"] & (log["q_time"] > 0)]
    gave_up = q.loc[~q["served"], "q_time"].to_numpy(dtype=float)
    censored = q.loc[q["served"], "q_time"].to_numpy(dtype=float)
    if gave_up.size == 0:
        raise DataError(
            "no caller abandoned, so patience cannot be estimated; pass a log that "
            "includes abandoned (HANG) calls."
        )
    res = stats.ecdf(stats.CensoredData(uncensored=gave_up, right=censored))
    sf = res.sf
    with warnings.catch_warnings():
        # undefined (NaN) where the curve reaches 0 or 1: expected, not an error
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(confidence_level=0.95, method="log-log")
    curve = pd.DataFrame(
        {
            "seconds": sf.quantiles,
            "survival": sf.probabilities,
            "ci_low": ci.low.probabilities,
            "ci_high": ci.high.probabilities,
        }
    )
    edges = np.concatenate(([0.0], sf.quantiles))
    heights = np.concatenate(([1.0], sf.probabilities))[:-1]
    mean_s = float(np.sum(np.diff(edges) * heights))
    return curve, mean_s


def abandonment_vs_wait(log: pd.DataFrame, *, min_calls: int = 20) -> pd.DataFrame:
    """Abandonment share against mean wait, one point per (date, hour) with enough
    calls.

    With exponential patience, P(abandon) ≈ E[wait] / mean patience, so the points lie
    near a line through the origin whose slope estimates 1 / mean patience (Brown et al.
    2005, Fig. 11; Mandelbaum and Zeltyn 2007).

    Returns
    -------
    pandas.DataFrame
        ``date``, ``hour``, ``calls``, ``mean_wait_s`` (over all calls, abandoners' time
        in queue included) and ``abandonment``. ``frame.attrs["slope_per_s"]`` holds the
        least-squares slope through the origin.

    References
    ----------
    L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn and L. Zhao (2005),
    "Statistical analysis of a telephone call center: a queueing-science perspective",
    *Journal of the American Statistical Association* 100(469):36–50 (Fig. 11).
    A. Mandelbaum and S. Zeltyn (2007), "Service engineering in action: the
    Palm/Erlang-A queue, with applications to call centers", in D. Spath and
    K.-P. Fähnrich (eds.), *Advances in Services Innovations*, Springer, Berlin,
    17–45.

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> points = abandonment_vs_wait(load_call_centre())
    >>> points.attrs["slope_per_s"] > 0
    True
    """
    log = check_log(log, ["date", "vru_exit", "q_time", "served"])
    min_calls = check_count("min_calls", min_calls, minimum=1)
    hour = hour_of_day(queue_seconds(log))
    frame = pd.DataFrame(
        {
            "date": log["date"],
            "hour": hour,
            "wait": log["q_time"],
            "abandoned": ~log["served"],
        }
    )
    points = (
        frame.groupby(["date", "hour"], observed=True)
        .agg(
            calls=("wait", "size"),
            mean_wait_s=("wait", "mean"),
            abandonment=("abandoned", "mean"),
        )
        .reset_index()
    )
    points = points[points["calls"] >= min_calls].reset_index(drop=True)
    if points.empty:
        raise DataError(
            f"no hour has at least min_calls = {min_calls} calls; pass a smaller "
            "min_calls."
        )
    x, y = points["mean_wait_s"].to_numpy(), points["abandonment"].to_numpy()
    points.attrs["slope_per_s"] = float(x @ y / (x @ x)) if (x @ x) > 0 else math.nan
    return points


def agents_by_hour(log: pd.DataFrame, date: object) -> list[int]:
    """Agents who served at least one call in each hour of ``date`` (a staffing
    proxy).

    Returns
    -------
    list of 24 int
        Distinct agents (``server``) who started a service in each hour 0–23.

    Examples
    --------
    >>> from crmkit.datasets import load_call_centre
    >>> log = load_call_centre()
    >>> agents = agents_by_hour(log, log["date"].iloc[0])
    >>> len(agents), max(agents) > 0
    (24, True)
    """
    log = check_log(log, ["date", "served", "ser_start", "server"])
    day = one_day(log, date)
    served = day[day["served"]]
    hour = hour_of_day((served["ser_start"] - served["date"]).dt.total_seconds())
    counts = served.groupby(hour)["server"].nunique()
    return [int(counts.get(h, 0)) for h in range(24)]
