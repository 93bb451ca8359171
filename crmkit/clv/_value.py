"""Customer lifetime value (客户终身价值): the textbook retention formula and the
BTYD one."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

from crmkit._validate import (
    check_choice,
    check_count,
    check_frame,
    check_positive,
    check_probability,
    check_real,
    check_work,
    show,
)
from crmkit.clv._bgnbd import BGNBD, _alive_purchases, _log_odds_dead
from crmkit.clv._gammagamma import GammaGamma, _expected_spend
from crmkit.clv._inputs import MAX_VALUE, btyd_data, check_discount_rate, spend_data
from crmkit.errors import ParameterError

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
        Per period, as a share in [0, 1] (0.1 for 10 %).
    periods : int, optional
        Horizon N (at most 10⁹); None for an infinite horizon.
    timing : {"end", "start"}
        When each period's margin is received.

    Returns
    -------
    float
        The CLV, in the currency of ``margin`` (negative for a loss-making margin).

    Raises
    ------
    ParameterError
        A margin that is not a finite number, a retention outside [0, 1), a discount
        rate outside [0, 1] (a share per period: 0.1 for 10 %), a bad horizon or
        timing, or a margin so large that the CLV overflows.

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
    m = check_real("margin", margin)
    r = check_probability("retention", retention, open_high=True)
    d = check_discount_rate(discount_rate)
    timing = check_choice("timing", timing, ["end", "start"])
    q = r / (1 + d)  # < 1, since r < 1 and d >= 0
    if periods is None:
        value = m * q / (1 - q) if timing == "end" else m / (1 - q)
    else:
        n = check_count("periods", periods, minimum=1, maximum=10**9)
        first = q if timing == "end" else 1.0
        value = m * first * (1 - q**n) / (1 - q)
    if not math.isfinite(value):
        raise ParameterError(
            f"margin = {m:g} gives an infinite CLV (retention = {r:g}, discount_rate "
            f"= {d:g}); pass the margin in larger units (e.g. thousands)."
        )
    return value


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
    52/12), E[Y(t)] the BG/NBD conditional expectation (Fader, Hardie & Lee 2005,
    eq. 10) and ``spend`` the Gamma-Gamma conditional mean spend (Fader & Hardie 2013,
    eq. 5): a discrete-period version of the discounted expected residual value of
    Fader, Hardie & Lee (2005b, JMR).

    Parameters
    ----------
    bgnbd : BGNBD
        A fitted (or hand-set) purchase model.
    gamma_gamma : GammaGamma
        A fitted (or hand-set) spend model.
    summary : DataFrame
        ``frequency``, ``recency``, ``T`` (in the unit the models were fitted in) and
        ``monetary_value`` per customer, e.g. from ``customer_summary``; the same
        rules as for fitting apply.
    periods : int
        Horizon, in periods (1 to 10,000).
    period_length : float
        Length of a period in the model's time unit (> 0).
    discount_rate : float
        Per period, as a share in [0, 1] (0.01 for 1 %).
    margin : float
        Profit margin as a share of spend, in [0, 1] (0.3 for 30 %).

    Returns
    -------
    pandas.Series
        CLV per customer, in the currency of ``monetary_value``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", *Journal of Marketing Research* 42(4):415–430.

    Examples
    --------
    >>> bg = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
    >>> gg = GammaGamma(params_={"p": 6.25, "q": 3.74, "gamma": 15.44})
    >>> s = pd.DataFrame({"frequency": [2, 0], "recency": [30.43, 0.0],
    ...                   "T": [38.86, 38.86], "monetary_value": [22.35, 0.0]})
    >>> lifetime_value(bg, gg, s, periods=12, margin=0.3).round(4).tolist()
    [10.8627, 2.5048]
    """
    if not isinstance(bgnbd, BGNBD):
        raise ParameterError(
            f"bgnbd = {show(bgnbd)} is a {type(bgnbd).__name__}, not a BGNBD model; "
            "pass a fitted model, e.g. BGNBD().fit(s['frequency'], s['recency'], "
            "s['T'])."
        )
    if not isinstance(gamma_gamma, GammaGamma):
        raise ParameterError(
            f"gamma_gamma = {show(gamma_gamma)} is a {type(gamma_gamma).__name__}, "
            "not a GammaGamma model; pass a fitted model, e.g. "
            "GammaGamma().fit(s['frequency'], s['monetary_value'])."
        )
    columns = ["frequency", "recency", "T", "monetary_value"]
    check_frame(summary, columns, what="summary")
    n = check_count("periods", periods, minimum=1, maximum=10_000)
    length = check_positive("period_length", period_length)
    if n * length > MAX_VALUE:
        raise ParameterError(
            f"period_length = {length:g} times periods = {n} is a horizon of "
            f"{n * length:.3g} time units, beyond 1e15; pass a shorter period_length "
            "(in the time unit of the fit)."
        )
    check_work(
        "periods × customers",
        n * len(summary),
        limit=1e8,
        fix="use fewer periods, or split the summary into parts",
    )
    d = check_discount_rate(discount_rate)
    m = check_real("margin", margin, low=0, high=1)
    try:
        r, alpha, a, b = bgnbd._p()
    except ParameterError as exc:
        raise ParameterError(f"bgnbd: {exc}") from None
    try:
        spend_params = gamma_gamma._p()
    except ParameterError as exc:
        raise ParameterError(f"gamma_gamma: {exc}") from None
    x, tx, t_obs = btyd_data(
        summary["frequency"],
        summary["recency"],
        summary["T"],
        names=("summary['frequency']", "summary['recency']", "summary['T']"),
    )
    _, z = spend_data(
        summary["frequency"],
        summary["monetary_value"],
        names=("summary['frequency']", "summary['monetary_value']"),
    )
    spend = _expected_spend(spend_params, x, z)
    alive = special.expit(-_log_odds_dead((r, alpha, a, b), x, tx, t_obs))
    previous = np.zeros(x.size)
    value = np.zeros(x.size)
    for i in range(1, n + 1):
        tau = i * length / (alpha + t_obs)
        cumulative = _alive_purchases(r + x, a, b + x, tau) * alive
        value += (cumulative - previous) * spend * m / (1 + d) ** i
        previous = cumulative
    return pd.Series(value, index=summary.index, name="clv")
