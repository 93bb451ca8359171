"""What several customer generators check and draw alike: one home for the length of
observation ``T``, the work a purchase process asks for, and the BG/BB customers.

:func:`~crmkit.clv.make_bgnbd_summary`, :func:`~crmkit.clv.make_mbgnbd_summary` and
:func:`~crmkit.clv.make_pareto_nbd_summary` take ``T`` and refuse more purchases than
a teaching machine holds; :func:`~crmkit.clv.make_opportunity_summary` and
:func:`~crmkit.clv.make_opportunity_histories` draw the same BG/BB customers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from crmkit._replication import check_rng
from crmkit._validate import check_count, check_work
from crmkit.clv._discrete_inputs import MAX_PERIODS
from crmkit.clv._inputs import generator_args, times
from crmkit.errors import DataError

#: Most purchases drawn in one call (the memory of a teaching machine).
MAX_PURCHASES = 1e8


def per_customer(name: str, values: np.ndarray, n: int) -> np.ndarray:
    """One value for everyone or one per customer, as a float array of length n.

    Examples
    --------
    >>> per_customer("T", np.array([2.0]), 3)
    array([2., 2., 2.])
    """
    if values.size not in (1, n):
        raise DataError(
            f"{name} has {values.size} entries for {n} customers; pass one {name} "
            "for everyone or one per customer."
        )
    return np.broadcast_to(values, (n,)).astype(float)


def observation_lengths(T: ArrayLike, n: int) -> np.ndarray:
    """The checked length of observation after each customer's first purchase: one
    ``T`` for everyone or one per customer, every one > 0.

    Examples
    --------
    >>> observation_lengths([39.0, 52.0], 2)
    array([39., 52.])
    """
    t_obs = per_customer("T", times("T", np.atleast_1d(np.asarray(T, object))), n)
    if not (t_obs > 0).all():
        raise DataError(f"T = {float(t_obs.min()):g} is not positive; pass T > 0.")
    return t_obs


def check_purchases(n: int, r: float, alpha: float, longest: float) -> None:
    """Refuse ``n`` customers buying at the mean rate r / α for up to ``longest``
    when the purchases expected exceed :data:`MAX_PURCHASES`.

    Examples
    --------
    >>> check_purchases(1000, 0.243, 4.414, 39.0)
    """
    check_work(
        "expected purchases drawn",
        n * (1 + r / alpha * longest),
        limit=MAX_PURCHASES,
        fix="use fewer customers, a lower purchase rate r / alpha or a shorter T",
    )


def bgbb_customers(
    n_customers: object,
    seed: object,
    params: dict[str, object],
    n_periods: object,
    *,
    per_opportunity: bool = False,
) -> tuple[np.random.Generator, np.ndarray, np.ndarray, int]:
    """Check a BG/BB generator's arguments and draw its customers.

    Each customer draws p ~ Beta(α, β) and θ ~ Beta(γ, δ); before each opportunity
    an active customer becomes inactive for good with probability θ, so it is active
    for min(Geometric(θ) − 1, n) of the ``n_periods`` opportunities. With
    ``per_opportunity``, a record of every customer-opportunity (at most 10⁸) is to
    be written, and the work is checked before drawing.

    Returns
    -------
    rng, p, alive, k
        The generator (for the draws that follow), each customer's p and number of
        opportunities alive, and the checked ``n_periods``.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108 (the
    model's assumptions, section 2).

    Examples
    --------
    >>> params = {"alpha": 1.2, "beta": 0.75, "gamma": 0.66, "delta": 2.8}
    >>> rng, p, alive, k = bgbb_customers(5, 1, params, 6)
    >>> p.shape, bool(((0 <= alive) & (alive <= k)).all())
    ((5,), True)
    """
    n, (a, b, g, d) = generator_args(n_customers, **params)
    k = check_count("n_periods", n_periods, minimum=1, maximum=MAX_PERIODS)
    if per_opportunity:
        check_work(
            "customers × opportunities",
            float(n) * k,
            limit=1e8,
            fix="use fewer customers or fewer periods (or make_opportunity_summary)",
        )
    rng = check_rng(seed)
    p = rng.beta(a, b, n)
    theta = rng.beta(g, d, n)
    # theta is exactly 0 when gamma is tiny: such a customer never becomes inactive
    alive = np.minimum(rng.geometric(np.maximum(theta, 5e-324)) - 1, k)
    return rng, p, alive, k
