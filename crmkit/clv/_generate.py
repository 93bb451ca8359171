"""Synthetic transactions drawn from the BG/NBD and Gamma-Gamma models."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_count, check_positive, check_rng

__all__ = ["make_transactions"]

#: The published CDNOW estimates (weeks; FHL 2005): the defaults of make_transactions.
CDNOW_TRUTH = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "gamma": 15.44,
}


def make_transactions(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    r: float = 0.243,
    alpha: float = 4.414,
    a: float = 0.793,
    b: float = 2.426,
    p: float = 6.25,
    q: float = 3.74,
    gamma: float = 15.44,
    acquisition_weeks: float = 12.0,
    observe_weeks: float = 78.0,
    start: str = "1997-01-01",
    truth: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Transactions of a cohort whose behaviour follows BG/NBD and Gamma-Gamma exactly.

    Each customer makes a first purchase at a uniform time in the first
    ``acquisition_weeks``; while alive buys at rate λ ~ Gamma(r, α) per week; after each
    repeat purchase drops out with probability p ~ Beta(a, b); each purchase is worth
    z ~ Gamma(p, ν) with ν ~ Gamma(q, γ). The defaults are the published CDNOW
    estimates, so a fit on the output should recover them (up to sampling error, and to
    purchases on the same day being merged).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``date`` and ``amount`` (dollars), sorted by customer and date.
    truth : pandas.DataFrame, only when ``truth=True``
        Per customer: ``purchase_rate`` (λ, per week), ``dropout_prob`` (p), ``nu``,
        ``birth_week`` and ``dropout_week`` (when the customer dropped out, weeks after
        ``start``; infinite if still alive at the end of observation).

    Examples
    --------
    >>> tx = make_transactions(100, seed=0)
    >>> list(tx.columns), int(tx["customer_id"].nunique())
    (['customer_id', 'date', 'amount'], 100)
    """
    n = check_count("n_customers", n_customers, minimum=1)
    for name, value in (
        ("r", r),
        ("alpha", alpha),
        ("a", a),
        ("b", b),
        ("p", p),
        ("q", q),
        ("gamma", gamma),
        ("observe_weeks", observe_weeks),
    ):
        check_positive(name, value)
    acq = float(acquisition_weeks)
    rng = check_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)  # purchases per week while alive
    drop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1.0 / gamma, n)  # spend rate per customer
    birth = rng.uniform(0.0, acq, n)
    window = observe_weeks - birth
    potential = rng.poisson(lam * window)  # purchases if never dropping out
    lasting = rng.geometric(drop)  # repeat purchases until drop-out
    repeats = np.minimum(potential, lasting)
    owner = np.repeat(np.arange(n), potential)
    times = rng.uniform(0.0, 1.0, owner.size) * window[owner]
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    rank = np.arange(owner.size) - np.repeat(
        np.cumsum(potential) - potential, potential
    )
    last = rank == lasting[owner] - 1  # the purchase after which the customer drops
    dropout = np.full(n, np.inf)
    dropout[owner[last]] = birth[owner[last]] + times[last]
    kept = rank < repeats[owner]
    owner, times = owner[kept], times[kept]
    cust = np.concatenate((np.arange(n), owner))
    week = np.concatenate((birth, birth[owner] + times))
    amount = rng.gamma(p, 1.0 / nu[cust])
    days = np.floor(week * 7).astype("timedelta64[D]")
    dates = np.datetime64(start, "D") + days
    out = pd.DataFrame(
        {
            "customer_id": cust + 1,
            "date": dates.astype("datetime64[s]"),
            "amount": np.round(amount, 2),
        }
    )
    out = out.sort_values(["customer_id", "date"], kind="stable").reset_index(drop=True)
    if not truth:
        return out
    facts = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "purchase_rate": lam,
            "dropout_prob": drop,
            "nu": nu,
            "birth_week": birth,
            "dropout_week": dropout,
        }
    ).set_index("customer_id")
    return out, facts
