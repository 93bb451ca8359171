"""Synthetic customer summaries drawn exactly from the BG/NBD, the MBG/NBD and the
Gamma-Gamma model: the inputs of their ``fit`` with known parameters, for parameter
recovery and for teaching.

Unlike :func:`~crmkit.clv.make_transactions`, which writes a dated transaction log
(purchases on one day then merge into one), these draw the summary itself, at O(1)
cost per customer, so a fit on the output estimates the generating parameters with
no approximation but sampling error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit._replication import check_rng
from crmkit._validate import check_bool
from crmkit.clv._generate import CDNOW_TRUTH
from crmkit.clv._generator_checks import (
    check_purchases,
    observation_lengths,
    per_customer,
)
from crmkit.clv._inputs import counts, generator_args, generator_doc
from crmkit.errors import ParameterError

__all__ = ["make_bgnbd_summary", "make_gamma_gamma_summary", "make_mbgnbd_summary"]

_BG_PARAMS = """Parameters
    ----------
    {GENERATOR_ARGS}
    r, alpha, a, b : float
        Parameters (positive; ``alpha`` in the unit of T).
    T : float or array-like
        Length of observation after the first purchase, one value for everyone or
        one per customer (> 0).
    truth : bool
        Also return each customer's λ (``purchase_rate``), p (``dropout_prob``) and
        whether it is still alive at T (``alive``).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency`` (repeat purchases), ``recency`` (time of the
        last, 0 without one) and ``T``: the layout of ``fit``."""


class _BGParams(NamedTuple):
    """The four BG/NBD (or MBG/NBD) parameters, in the order of the keywords."""

    r: float
    alpha: float
    a: float
    b: float


def _bg_generator(
    name: str, defaults: _BGParams, shift: int, doc: str
) -> Callable[..., pd.DataFrame]:
    """A public generator of the BG/NBD family's summaries, with the default
    parameters ``defaults``: a customer drops out after each repeat purchase (and,
    with ``shift`` 1, right after the first) with probability p."""

    def generate(
        n_customers: int,
        seed: int | np.random.Generator | None,
        *,
        r: float = defaults.r,
        alpha: float = defaults.alpha,
        a: float = defaults.a,
        b: float = defaults.b,
        T: ArrayLike = 39.0,
        truth: bool = False,
    ) -> pd.DataFrame:
        n, (r, alpha, a, b) = generator_args(n_customers, r=r, alpha=alpha, a=a, b=b)
        t_obs = observation_lengths(T, n)
        truth = check_bool("truth", truth)
        check_purchases(n, r, alpha, float(t_obs.max()))
        rng = check_rng(seed)
        lam = rng.gamma(r, 1.0 / alpha, n)
        p = rng.beta(a, b, n)
        # p is exactly 0 when a is tiny: such a customer never drops out
        most = rng.geometric(np.maximum(p, 5e-324)) - shift  # repeats before dropping
        potential = rng.poisson(lam * t_obs)  # repeats on (0, T] if never dropping
        x = np.minimum(potential, most)
        # the x-th smallest of `potential` uniform times on (0, T] is T · Beta(x, N−x+1)
        bought = x > 0
        share = np.zeros(n)
        share[bought] = rng.beta(x[bought], potential[bought] - x[bought] + 1)
        out = pd.DataFrame(
            {
                "customer_id": np.arange(1, n + 1),
                "frequency": x.astype("int64"),
                "recency": share * t_obs,
                "T": t_obs,
            }
        )
        if truth:
            out = out.assign(purchase_rate=lam, dropout_prob=p, alive=most > potential)
        return out

    generate.__name__ = generate.__qualname__ = name
    generate.__doc__ = doc.replace("{BG_PARAMS}", _BG_PARAMS)
    return generator_doc(generate)


make_bgnbd_summary = _bg_generator(
    "make_bgnbd_summary",
    _BGParams(*(CDNOW_TRUTH[k] for k in _BGParams._fields)),
    0,
    doc="""Customer summaries (frequency, recency, T) whose purchases follow the BG/NBD
    exactly.

    Each customer draws λ ~ Gamma(r, α) and p ~ Beta(a, b). While alive it buys as a
    Poisson process with rate λ; after each repeat purchase it drops out with
    probability p, so it makes at most L ~ Geometric(p) repeat purchases (L >= 1).
    With N ~ Poisson(λT) the purchases it would make on (0, T] if it never dropped
    out, x = min(N, L) and the last of them falls at the x-th of N uniform times,
    ``t_x = T · Beta(x, N − x + 1)``. The defaults are the published CDNOW estimates
    (weeks).

    {BG_PARAMS}

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the
    easy way: an alternative to the Pareto/NBD model", *Marketing Science*
    24(2):275–284 (the model's assumptions, section 3). The order statistics of
    uniforms: H. A. David and H. N. Nagaraja (2003), *Order Statistics*, 3rd ed.,
    Wiley, section 2.2.

    Examples
    --------
    >>> from crmkit.clv import BGNBD
    >>> s = make_bgnbd_summary(20_000, seed=1)
    >>> list(s.columns)
    ['customer_id', 'frequency', 'recency', 'T']
    >>> m = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    >>> table = m.summary()
    >>> bool(((table["lower"] < 0.243) & (0.243 < table["upper"]))["r"])
    True
    """,
)

make_mbgnbd_summary = _bg_generator(
    "make_mbgnbd_summary",
    _BGParams(r=0.525, alpha=6.183, a=0.891, b=1.614),  # crmkit's fit to CDNOW
    1,
    doc="""Customer summaries (frequency, recency, T) whose purchases follow the
    modified BG/NBD (MBG/NBD) exactly.

    As :func:`make_bgnbd_summary`, except that the customer may also drop out right
    after its first purchase: it makes at most L ~ Geometric(p) − 1 repeat purchases
    (L >= 0), so a customer without repeat purchases may be gone already. The
    defaults are crmkit's MBG/NBD fit to the CDNOW sample (weeks; see
    :class:`~crmkit.clv.MBGNBD`).

    {BG_PARAMS}

    References
    ----------
    E. P. Batislam, M. Denizel and A. Filiztekin (2007), "Empirical validation and
    comparison of models for customer base analysis", *International Journal of
    Research in Marketing* 24(3):201–209 (the model's assumptions). H. A. David and
    H. N. Nagaraja (2003), *Order Statistics*, 3rd ed., Wiley, section 2.2.

    Examples
    --------
    >>> s = make_mbgnbd_summary(1000, seed=2, truth=True)
    >>> bool((s["recency"] <= s["T"]).all()), bool((~s["alive"]).any())
    (True, True)
    """,
)


@generator_doc
def make_gamma_gamma_summary(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    p: float = CDNOW_TRUTH["p"],
    q: float = CDNOW_TRUTH["q"],
    gamma: float = CDNOW_TRUTH["gamma"],
    frequency: ArrayLike = 2,
    truth: bool = False,
) -> pd.DataFrame:
    """Mean repeat spends (frequency, monetary_value) that follow the Gamma-Gamma
    model exactly.

    Each customer draws ν ~ Gamma(q, γ); each of its x repeat purchases is worth
    z ~ Gamma(p, ν), so the mean of the x is z̄ ~ Gamma(p x, ν x) (a sum of
    independent gammas with one rate is a gamma). The defaults are the published
    CDNOW estimates (dollars).

    Parameters
    ----------
    {GENERATOR_ARGS}
    p, q, gamma : float
        Gamma-Gamma parameters (positive; ``gamma`` in the currency).
    frequency : int or array-like
        Repeat purchases, one value for everyone or one per customer (whole numbers
        >= 0; customers with 0 get ``monetary_value`` 0, as in
        :func:`crmkit.segmentation.customer_summary`).
    truth : bool
        Also return each customer's ν (column ``nu``).

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency`` and ``monetary_value``: the layout of
        :meth:`crmkit.clv.GammaGamma.fit`.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", *Journal of Marketing Research*
    42(4):415–430; P. S. Fader and B. G. S. Hardie (2013), "The Gamma-Gamma model of
    monetary value" (note, brucehardie.com/notes/025), section 2 (the assumptions).

    Examples
    --------
    >>> s = make_gamma_gamma_summary(1000, seed=3, frequency=[0, 1, 4] * 333 + [2])
    >>> list(s.columns), bool((s.loc[s["frequency"] == 0, "monetary_value"] == 0).all())
    (['customer_id', 'frequency', 'monetary_value'], True)
    """
    n, (p, q, gamma) = generator_args(n_customers, p=p, q=q, gamma=gamma)
    x = per_customer(
        "frequency", counts("frequency", np.atleast_1d(np.asarray(frequency))), n
    )
    truth = check_bool("truth", truth)
    rng = check_rng(seed)
    nu = rng.gamma(q, 1.0 / gamma, n)
    bought = x > 0
    spend = np.zeros(n)
    with np.errstate(divide="ignore", over="ignore"):
        spend[bought] = rng.gamma(p * x[bought], 1.0 / (nu[bought] * x[bought]))
    if not np.isfinite(spend).all():
        raise ParameterError(
            f"q = {q:g} with gamma = {gamma:g} gives infinite spends (ν ~ Gamma(q, "
            "gamma) underflows to 0); pass a larger q or a smaller gamma."
        )
    out = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "frequency": x.astype("int64"),
            "monetary_value": spend,
        }
    )
    return out.assign(nu=nu) if truth else out
