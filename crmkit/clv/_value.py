"""Customer lifetime value (客户终生价值): the textbook retention formula and the
BTYD one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import (
    check_count,
    check_nonnegative,
    check_positive,
    check_probability,
)
from crmkit.clv._bgnbd import BGNBD
from crmkit.clv._gammagamma import GammaGamma
from crmkit.errors import DataError, ParameterError

__all__ = ["lifetime_value", "retention_clv"]


def retention_clv(
    margin: float,
    retention: float,
    discount_rate: float,
    periods: int | None = None,
    *,
    timing: str = "end",
) -> float:
    """Lifetime value of a customer with a constant margin and retention rate.

    ``timing="end"`` (default) receives the margin at the end of each period the
    customer is still there: ``CLV = Σ_{t=1}^{N} m rᵗ / (1+d)ᵗ``, and without a horizon
    ``m r / (1 + d − r)`` (Gupta & Lehmann 2003). ``timing="start"`` counts the first
    margin now: ``Σ_{t=0}^{N-1} m rᵗ / (1+d)ᵗ = m (1 + d) / (1 + d − r)`` without a
    horizon.

    Parameters
    ----------
    margin : float
        Margin per period (any currency).
    retention : float
        Probability a customer stays for the next period, in [0, 1).
    discount_rate : float
        Per period, >= 0.
    periods : int, optional
        Horizon N; None for an infinite horizon.

    References
    ----------
    S. Gupta and D. R. Lehmann (2003), "Customers as assets", *Journal of Interactive
    Marketing* 17(1):9–24.

    Examples
    --------
    >>> round(retention_clv(100, 0.8, 0.1), 2)              # 100 · 0.8 / 0.3
    266.67
    >>> round(retention_clv(100, 0.8, 0.1, timing="start"), 2)
    366.67
    >>> round(retention_clv(100, 0.8, 0.1, periods=3), 2)
    164.09
    """
    m = float(margin)
    if not np.isfinite(m):
        raise ParameterError(f"margin = {margin!r} must be a finite number.")
    r = check_probability("retention", retention, open_high=True)
    d = check_nonnegative("discount_rate", discount_rate)
    if timing not in {"end", "start"}:
        raise ParameterError(f"timing must be 'end' or 'start', not {timing!r}.")
    q = r / (1 + d)
    if periods is None:
        return m * q / (1 - q) if timing == "end" else m / (1 - q)
    n = check_count("periods", periods, minimum=1)
    first = q if timing == "end" else 1.0
    return m * first * (1 - q**n) / (1 - q) if q != 1 else m * n


def lifetime_value(
    bgnbd: BGNBD,
    gamma_gamma: GammaGamma,
    summary: pd.DataFrame,
    *,
    periods: int = 12,
    period_length: float = 52 / 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
) -> pd.Series:
    """Customer lifetime value from BG/NBD purchases and Gamma-Gamma spend.

    ``CLV = Σ_{i=1}^{periods} (E[Y(i·L)] − E[Y((i−1)·L)]) · spend · margin / (1 + d)ⁱ``,
    with ``L = period_length`` in the model's time unit (default a month of weeks,
    52/12).

    Parameters
    ----------
    summary : DataFrame
        ``frequency``, ``recency``, ``T`` (in the unit the models were fitted in) and
        ``monetary_value`` per customer.
    periods, period_length, discount_rate, margin
        Horizon in periods, their length, the discount rate per period, and the margin
        as a share of spend.

    Returns
    -------
    pandas.Series
        CLV per customer, in the currency of ``monetary_value``.
    """
    for col in ("frequency", "recency", "T", "monetary_value"):
        if col not in summary.columns:
            raise DataError(f"summary lacks {col!r} (use customer_summary).")
    n = check_count("periods", periods, minimum=1)
    length = check_positive("period_length", period_length)
    d = check_nonnegative("discount_rate", discount_rate)
    m = check_nonnegative("margin", margin)
    x, tx, t_obs = summary["frequency"], summary["recency"], summary["T"]
    spend = gamma_gamma.expected_spend(x, summary["monetary_value"])
    previous = np.zeros(len(summary))
    value = np.zeros(len(summary))
    for i in range(1, n + 1):
        cumulative = bgnbd.expected_purchases(i * length, x, tx, t_obs)
        value += (cumulative - previous) * spend * m / (1 + d) ** i
        previous = cumulative
    return pd.Series(value, index=summary.index, name="clv")
