"""Synthetic customers drawn from the discrete-time models: contract renewals (sBG)
and transactions at discrete opportunities (BG/BB)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from crmkit._replication import check_rng
from crmkit._validate import check_count
from crmkit.clv._discrete_inputs import MAX_PERIODS
from crmkit.clv._generator_checks import bgbb_customers
from crmkit.clv._inputs import generator_args, generator_doc

__all__ = [
    "make_opportunity_histories",
    "make_opportunity_summary",
    "make_renewals",
]


@generator_doc
def make_renewals(
    n_customers: int,
    seed: int | np.random.Generator | None,
    *,
    alpha: float = 0.704,
    beta: float = 1.182,
    n_periods: int = 8,
) -> pd.DataFrame:
    """One cohort of contract customers whose renewals follow the sBG model exactly.

    Each customer draws a cancellation probability θ ~ Beta(α, β) and cancels at the
    end of period T ~ Geometric(θ) (T = 1, 2, …); it is observed for ``n_periods``
    periods. The defaults are the published estimates for the "regular" cohort of
    Fader & Hardie (2007), so a fit on the output should recover them up to sampling
    error.

    Parameters
    ----------
    {GENERATOR_ARGS}
    alpha, beta : float
        sBG parameters (positive).
    n_periods : int
        Periods observed (1 to 10⁶), the ``T`` of every customer.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``recency`` (the last period in which the customer was
        active: ``min(T, n_periods)``) and ``T`` (``n_periods``), the layout of
        :meth:`crmkit.clv.ShiftedBetaGeometric.fit`.

    References
    ----------
    P. S. Fader and B. G. S. Hardie (2007), "How to project customer retention",
    *Journal of Interactive Marketing* 21(1):76–90 (the model's two assumptions).

    Examples
    --------
    >>> c = make_renewals(1000, seed=1)
    >>> list(c.columns), int((c["recency"] == c["T"]).sum()) > 0
    (['customer_id', 'recency', 'T'], True)
    """
    n, (a, b) = generator_args(n_customers, alpha=alpha, beta=beta)
    k = check_count("n_periods", n_periods, minimum=1, maximum=MAX_PERIODS)
    rng = check_rng(seed)
    theta = rng.beta(a, b, n)
    # theta is exactly 0 when alpha is tiny: such a customer never cancels
    duration = rng.geometric(np.maximum(theta, 5e-324))
    return pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "recency": np.minimum(duration, k).astype("int64"),
            "T": np.full(n, k, dtype="int64"),
        }
    )


class _BGBBParams(NamedTuple):
    """The four BG/BB parameters, in the order of the generators' keywords."""

    alpha: float
    beta: float
    gamma: float
    delta: float


#: The published BG/BB estimates for the donations of Fader, Hardie & Shang (2010):
#: the defaults of make_opportunity_summary and make_opportunity_histories.
DONATIONS = _BGBBParams(alpha=1.204, beta=0.750, gamma=0.657, delta=2.783)


#: The Parameters section's start in both BG/BB generators' docstrings.
_BGBB_PARAMS = """Parameters
    ----------
    {GENERATOR_ARGS}
    alpha, beta, gamma, delta : float
        BG/BB parameters (positive)."""


def _bgbb_generator(
    name: str,
    record: Callable[[np.random.Generator, np.ndarray, np.ndarray, int], pd.DataFrame],
    n_periods_default: int,
    doc: str,
    *,
    per_opportunity: bool = False,
) -> Callable[..., pd.DataFrame]:
    """A public BG/BB generator: the checks and customers of
    :func:`~crmkit.clv._generator_checks.bgbb_customers`, then
    ``record(rng, p, alive, k)`` writes what the customers did (one row per
    customer-opportunity with ``per_opportunity``)."""

    def generate(
        n_customers: int,
        seed: int | np.random.Generator | None,
        *,
        alpha: float = DONATIONS.alpha,
        beta: float = DONATIONS.beta,
        gamma: float = DONATIONS.gamma,
        delta: float = DONATIONS.delta,
        n_periods: int = n_periods_default,
    ) -> pd.DataFrame:
        params = _BGBBParams(alpha, beta, gamma, delta)._asdict()
        rng, p, alive, k = bgbb_customers(
            n_customers, seed, params, n_periods, per_opportunity=per_opportunity
        )
        return record(rng, p, alive, k)

    generate.__name__ = generate.__qualname__ = name
    generate.__doc__ = doc.replace("{BGBB_PARAMS}", _BGBB_PARAMS)
    return generator_doc(generate)


def _summary_records(
    rng: np.random.Generator, p: np.ndarray, alive: np.ndarray, k: int
) -> pd.DataFrame:
    """x, t_x and n of each customer, drawn at O(1) cost (the law in
    :func:`make_opportunity_summary`)."""
    n = p.size
    back = rng.geometric(np.maximum(p, 5e-324))  # first success from the end
    bought = back <= alive
    recency = np.where(bought, alive - back + 1, 0)
    earlier = rng.binomial(np.maximum(recency - 1, 0), p)
    frequency = np.where(bought, 1 + earlier, 0)
    return pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1),
            "frequency": frequency.astype("int64"),
            "recency": recency.astype("int64"),
            "n_periods": np.full(n, k, dtype="int64"),
        }
    )


def _opportunity_records(
    rng: np.random.Generator, p: np.ndarray, alive: np.ndarray, k: int
) -> pd.DataFrame:
    """Every opportunity of every customer: 1 where it transacted, 0 where not."""
    n = p.size
    bought = rng.random((n, k)) < p[:, None]
    grid = bought & (np.arange(k)[None, :] < alive[:, None])
    return pd.DataFrame(
        grid.astype("int64"),
        index=pd.RangeIndex(1, n + 1, name="customer_id"),
        columns=pd.RangeIndex(1, k + 1, name="opportunity"),
    )


make_opportunity_summary = _bgbb_generator(
    "make_opportunity_summary",
    _summary_records,
    6,
    doc="""Customer summaries (x, t_x, n) whose transactions follow the BG/BB model
    exactly.

    Each customer draws p ~ Beta(α, β) and θ ~ Beta(γ, δ). Before each of the
    ``n_periods`` opportunities after its first transaction, an active customer
    becomes inactive for good with probability θ; at each opportunity it is still
    active for, it transacts with probability p. The defaults are the published
    estimates for the donations of Fader, Hardie & Shang (2010).

    The transactions are not drawn one by one: with L ~ min(Geometric(θ) − 1, n)
    opportunities alive, the last transaction is the first success counted from the
    end, j ~ Geometric(p) (none if j > L), so t_x = L − j + 1 and x = 1 +
    Binomial(t_x − 1, p): the same law, at O(1) cost per customer.

    {BGBB_PARAMS}
    n_periods : int
        Opportunities after the first transaction (1 to 10⁶), the same for all.

    Returns
    -------
    pandas.DataFrame
        ``customer_id``, ``frequency``, ``recency`` and ``n_periods``, the layout
        of :meth:`crmkit.clv.BGBB.fit`.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108 (the
    model's assumptions).

    Examples
    --------
    >>> s = make_opportunity_summary(500, seed=2)
    >>> bool((s["frequency"] <= s["recency"]).all()), int(s["n_periods"].max())
    (True, 6)
    """,
)

make_opportunity_histories = _bgbb_generator(
    "make_opportunity_histories",
    _opportunity_records,
    11,
    per_opportunity=True,
    doc="""Opportunity-by-opportunity records whose transactions follow the BG/BB model
    exactly: the input of :func:`crmkit.clv.opportunity_holdout`.

    The customers are those of :func:`make_opportunity_summary` (p ~ Beta(α, β),
    θ ~ Beta(γ, δ); before each opportunity an active customer becomes inactive for
    good with probability θ, and at each opportunity it is active for it transacts
    with probability p), with every opportunity recorded. The defaults are the
    published donation estimates and the 6 + 5 years of Fader, Hardie & Shang
    (2010).

    {BGBB_PARAMS}
    n_periods : int
        Opportunities after the first transaction (1 to 10⁶; at most 10⁸
        customer-opportunities in all).

    Returns
    -------
    pandas.DataFrame
        Index ``customer_id``, one column per opportunity (1 … n_periods): 1 where
        the customer transacted, 0 where it did not.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108 (the
    model's assumptions, section 2; the donations, section 4).

    Examples
    --------
    >>> h = make_opportunity_histories(1000, seed=1, n_periods=3)
    >>> h.shape, sorted(set(h.to_numpy().ravel().tolist()))
    ((1000, 3), [0, 1])
    """,
)
