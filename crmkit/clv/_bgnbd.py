"""The BG/NBD model of repeat buying: how many purchases to expect, and who is still
alive."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special

from crmkit.clv._inputs import as_arrays, check_btyd
from crmkit.errors import FitError, ParameterError

__all__ = ["BGNBD"]

_STARTS = (
    (1.0, 1.0, 1.0, 1.0),
    (0.5, 0.5, 0.5, 2.0),
    (0.2, 5.0, 1.0, 3.0),
    (2.0, 0.2, 0.5, 0.5),
)


def _loglik(
    params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray
) -> np.ndarray:
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = (
        special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a)
            - np.log(np.maximum(b + x - 1, 1e-300))
            - (r + x) * np.log(alpha + tx),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


@dataclass
class BGNBD:
    """The beta-geometric / negative binomial model of Fader, Hardie & Lee (2005).

    While alive, a customer buys as a Poisson process with rate λ ~ Gamma(r, α); after
    each repeat purchase it drops out with probability p ~ Beta(a, b). Fitted by maximum
    likelihood (FHL 2005, eq. 6) over log-parameters with scipy (L-BFGS-B, then a BFGS
    polish) from several starting points; the best fit is kept. Identical (x, t_x, T)
    rows are counted once with a weight, which makes large data sets fast.

    Attributes (after :meth:`fit`)
    ------------------------------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b`` (``alpha`` in the time unit of recency and T).
    log_likelihood_ : float
        Maximised log-likelihood.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy
    way: an alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284
    (likelihood eq. 6; E[X(t)] eq. 9; conditional expectation eq. 10; P(alive) eq. 11 of
    the companion note "Computing P(alive) using the BG/NBD model").

    Examples
    --------
    >>> from crmkit.clv import make_transactions
    >>> from crmkit.segmentation import customer_summary
    >>> s = customer_summary(make_transactions(2000, seed=1), as_of="1997-09-30",
    ...                      time_unit="W")
    >>> m = BGNBD().fit(s["frequency"], s["recency"], s["T"])
    >>> sorted(m.params_)
    ['a', 'alpha', 'b', 'r']
    """

    params_: dict[str, float] = field(default_factory=dict)
    log_likelihood_: float = math.nan

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> BGNBD:
        """Fit by maximum likelihood; returns ``self``.

        Raises
        ------
        FitError
            When no start converges (the message lists the starts tried).
        """
        d = as_arrays(frequency=frequency, recency=recency, T=T)
        x, tx, t_obs = d["frequency"], d["recency"], d["T"]
        check_btyd(x, tx, t_obs)
        if (t_obs <= 0).any():
            raise FitError(
                "T must be positive for every customer (observed for some time)."
            )

        # identical (x, t_x, T) rows enter the likelihood once, with their count
        rows, counts = np.unique(
            np.column_stack((x, tx, t_obs)), axis=0, return_counts=True
        )
        ux, utx, ut = rows[:, 0], rows[:, 1], rows[:, 2]

        def nll(logp: np.ndarray) -> float:
            value = -np.sum(counts * _loglik(np.exp(logp), ux, utx, ut))
            return float(value) if np.isfinite(value) else 1e300

        scale = float(np.mean(t_obs))
        best = None
        for start in _STARTS:
            init = np.log(
                np.array([start[0], start[1] * scale / 10, start[2], start[3]])
            )
            res = optimize.minimize(nll, init, method="L-BFGS-B")
            res = optimize.minimize(nll, res.x, method="BFGS", options={"gtol": 1e-8})
            ok = np.isfinite(res.fun) and res.fun < 1e299
            if ok and (best is None or res.fun < best.fun):
                best = res
        if best is None or not np.all(np.abs(best.x) < 30):
            raise FitError(
                f"the BG/NBD fit did not converge from starts {list(_STARTS)} (scaled "
                "by the "
                "mean T); check that recency and T use the same time unit."
            )
        r, alpha, a, b = np.exp(best.x)
        self.params_ = {
            "r": float(r),
            "alpha": float(alpha),
            "a": float(a),
            "b": float(b),
        }
        self.log_likelihood_ = float(-best.fun)
        return self

    def _p(self) -> tuple[float, float, float, float]:
        if not self.params_:
            raise ParameterError(
                "fit the model first (BGNBD().fit(...)) or set params_."
            )
        p = self.params_
        return p["r"], p["alpha"], p["a"], p["b"]

    def log_likelihood(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float:
        """Log-likelihood of data at the current parameters."""
        d = as_arrays(frequency=frequency, recency=recency, T=T)
        return float(
            np.sum(_loglik(np.array(self._p()), d["frequency"], d["recency"], d["T"]))
        )

    def expected_purchases_new(self, t: ArrayLike) -> np.ndarray | float:
        """E[X(t)]: purchases expected in ``t`` by a customer just acquired (FHL eq. 9).

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(m.expected_purchases_new(39.0), 3)
        1.197
        """
        r, alpha, a, b = self._p()
        t = np.asarray(t, dtype=float)
        z = t / (alpha + t)
        out = ((a + b - 1) / (a - 1)) * (
            1 - (alpha / (alpha + t)) ** r * special.hyp2f1(r, b, a + b - 1, z)
        )
        return float(out) if out.ndim == 0 else out

    def expected_purchases(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: purchases expected in the next ``t`` (FHL eq. 10).

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.expected_purchases(39, [2], [30.43], [38.86]).round(3).tolist()
        [1.226]
        """
        r, alpha, a, b = self._p()
        d = as_arrays(frequency=frequency, recency=recency, T=T)
        x, tx, t_obs = d["frequency"], d["recency"], d["T"]
        t = float(t)
        z = t / (alpha + t_obs + t)
        head = (a + b + x - 1) / (a - 1)
        body = 1 - ((alpha + t_obs) / (alpha + t_obs + t)) ** (r + x) * special.hyp2f1(
            r + x, b + x, a + b + x - 1, z
        )
        return head * body / self._alive_denominator(x, tx, t_obs)

    def _alive_denominator(
        self, x: np.ndarray, tx: np.ndarray, t_obs: np.ndarray
    ) -> np.ndarray:
        r, alpha, a, b = self._p()
        with np.errstate(divide="ignore", invalid="ignore"):
            odds = np.where(
                x > 0,
                a
                / np.maximum(b + x - 1, 1e-300)
                * ((alpha + t_obs) / (alpha + tx)) ** (r + x),
                0.0,
            )
        return 1 + odds

    def prob_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> np.ndarray:
        """P(the customer is still alive | x, t_x, T); 1 for customers with no repeat.

        Examples
        --------
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.prob_alive([2, 2], [30.43, 5.0], [38.86, 38.86]).round(3).tolist()
        [0.727, 0.124]
        """
        d = as_arrays(frequency=frequency, recency=recency, T=T)
        return 1.0 / self._alive_denominator(d["frequency"], d["recency"], d["T"])
