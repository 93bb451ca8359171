"""Synthetic transactions drawn from the BG/NBD and Gamma-Gamma models."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._replication import check_rng
from crmkit._validate import check_bool, check_dates, check_real, check_work
from crmkit.clv._generator_checks import MAX_PURCHASES
from crmkit.clv._inputs import generator_args, generator_doc
from crmkit.errors import ParameterError

__all__ = ["make_transactions"]

#: 1,000 years of weeks: later dates are not useful (nor always representable).
MAX_WEEKS = 52_000.0

#: The published CDNOW estimates (weeks; FHL 2005): the defaults of make_transactions,
#: make_bgnbd_summary and make_gamma_gamma_summary.
CDNOW_TRUTH = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "gamma": 15.44,
}


@generator_doc
def make_transactions(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    r: float = CDNOW_TRUTH["r"],
    alpha: float = CDNOW_TRUTH["alpha"],
    a: float = CDNOW_TRUTH["a"],
    b: float = CDNOW_TRUTH["b"],
    p: float = CDNOW_TRUTH["p"],
    q: float = CDNOW_TRUTH["q"],
    gamma: float = CDNOW_TRUTH["gamma"],
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

    Parameters
    ----------
    {GENERATOR_ARGS}
    r, alpha, a, b : float
        BG/NBD parameters (positive; ``alpha`` in weeks).
    p, q, gamma : float
        Gamma-Gamma parameters (positive; ``gamma`` in dollars).
    acquisition_weeks : float
        First purchases fall uniformly in [0, acquisition_weeks) (0 to
        ``observe_weeks``).
    observe_weeks : float
        Length of the history, in weeks after ``start`` (at most 52,000).
    start : date-like
        Date of week 0 (an ISO date such as ``"1997-01-01"`` or a datetime).
    truth : bool
        Also return each customer's drawn latent values.

    Raises
    ------
    ParameterError
        A parameter of the wrong type or out of range, or a request for more than
        10⁸ purchases.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way", *Marketing Science* 24(2):275–284 (the BG/NBD assumptions, section 2); Fader
    & Hardie (2013), "The Gamma-Gamma model of monetary value" (note 025, the spend
    assumptions).

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
    n, (r, alpha, a, b, p, q, gamma) = generator_args(
        n_customers, r=r, alpha=alpha, a=a, b=b, p=p, q=q, gamma=gamma
    )
    observe = check_real(
        "observe_weeks", observe_weeks, low=0, low_open=True, high=MAX_WEEKS
    )
    acq = check_real("acquisition_weeks", acquisition_weeks, low=0, high=observe)
    origin = np.datetime64(check_dates("start", [start]).iloc[0].date(), "D")
    truth = check_bool("truth", truth)
    rng = check_rng(seed)
    check_work(
        "n_customers × purchases per customer",
        n * (1 + r / alpha * observe),
        limit=MAX_PURCHASES,
        fix="use fewer customers, a lower purchase rate r / alpha or a shorter "
        "observe_weeks",
    )
    observe_weeks = observe
    lam = rng.gamma(r, 1.0 / alpha, n)  # purchases per week while alive
    drop = rng.beta(a, b, n)
    nu = rng.gamma(q, 1.0 / gamma, n)  # spend rate per customer
    birth = rng.uniform(0.0, acq, n)
    window = observe_weeks - birth
    potential = rng.poisson(lam * window)  # purchases if never dropping out
    check_work(
        "the purchases drawn",
        float(potential.sum()),
        limit=MAX_PURCHASES,
        fix="use fewer customers or a lower purchase rate r / alpha",
    )
    # p ~ Beta(a, b) is exactly 0 when a is tiny: such a customer never drops out
    lasting = rng.geometric(np.maximum(drop, 5e-324))  # repeats until drop-out
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
    with np.errstate(divide="ignore", over="ignore"):
        amount = rng.gamma(p, 1.0 / nu[cust])
    if not np.isfinite(amount).all():
        raise ParameterError(
            f"q = {q:g} with gamma = {gamma:g} and p = {p:g} gives infinite purchase "
            "amounts (the spend rate ν ~ Gamma(q, gamma) underflows to 0); pass a "
            "larger q or a smaller gamma."
        )
    days = np.floor(week * 7).astype("timedelta64[D]")
    dates = origin + days
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
