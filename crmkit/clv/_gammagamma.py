"""The Gamma-Gamma model of spend per purchase."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy import optimize, special

from crmkit.clv._inputs import as_arrays
from crmkit.errors import DataError, FitError, ParameterError

__all__ = ["GammaGamma"]


def _loglik(params: np.ndarray, x: np.ndarray, zbar: np.ndarray) -> np.ndarray:
    p, q, gamma = params
    px = p * x
    return (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(zbar)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * zbar)
    )


@dataclass
class GammaGamma:
    """Spend per purchase: z ~ Gamma(p, ν) per purchase, ν ~ Gamma(q, γ) across
    customers.

    Fitted on repeat buyers only (``frequency > 0``), with ``monetary_value`` the mean
    spend of their repeat purchases. Assumes spend is independent of purchase frequency;
    check the correlation before using it.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value
    curves for customer base analysis", *Journal of Marketing Research* 42(4):415–430;
    the likelihood and the conditional expectation are in B. G. S. Hardie's note "The
    Gamma-Gamma model of monetary value" (2013).

    Examples
    --------
    >>> gg = GammaGamma(params_={"p": 6.25, "q": 3.74, "gamma": 15.44})
    >>> round(gg.mean_spend, 2)
    35.22
    >>> gg.expected_spend([2], [22.35]).round(2).tolist()
    [24.66]
    """

    params_: dict[str, float] = field(default_factory=dict)
    log_likelihood_: float = math.nan

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGamma:
        """Fit by maximum likelihood on customers with ``frequency > 0``; returns
        ``self``."""
        d = as_arrays(frequency=frequency, monetary_value=monetary_value)
        keep = d["frequency"] > 0
        x, z = d["frequency"][keep], d["monetary_value"][keep]
        if x.size < 3:
            raise DataError(
                "fewer than 3 repeat buyers: the spend model cannot be fitted."
            )
        if (z <= 0).any():
            raise DataError("repeat buyers must have a positive monetary_value.")

        def nll(logp: np.ndarray) -> float:
            value = -np.sum(_loglik(np.exp(logp), x, z))
            return float(value) if np.isfinite(value) else 1e300

        best = None
        for start in ((1.0, 1.0, 1.0), (5.0, 3.0, float(np.mean(z))), (2.0, 2.0, 10.0)):
            res = optimize.minimize(nll, np.log(start), method="L-BFGS-B")
            res = optimize.minimize(nll, res.x, method="BFGS", options={"gtol": 1e-8})
            if (
                np.isfinite(res.fun)
                and res.fun < 1e299
                and (best is None or res.fun < best.fun)
            ):
                best = res
        if best is None or not np.all(np.abs(best.x) < 30):
            raise FitError(
                "the Gamma-Gamma fit did not converge; check monetary_value."
            )
        p, q, gamma = np.exp(best.x)
        if q <= 1:
            raise FitError(
                f"fitted q = {q:.3g} ≤ 1: mean spend is infinite under the model."
            )
        self.params_ = {"p": float(p), "q": float(q), "gamma": float(gamma)}
        self.log_likelihood_ = float(-best.fun)
        return self

    def _p(self) -> tuple[float, float, float]:
        if not self.params_:
            raise ParameterError(
                "fit the model first (GammaGamma().fit(...)) or set params_."
            )
        return self.params_["p"], self.params_["q"], self.params_["gamma"]

    @property
    def mean_spend(self) -> float:
        """Population mean spend per purchase, pγ/(q − 1)."""
        p, q, gamma = self._p()
        return p * gamma / (q - 1)

    def expected_spend(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> np.ndarray:
        """E[spend per purchase | x, z̄]: a weighted mean of the population mean and z̄.

        Customers without repeat purchases get the population mean.
        """
        p, q, _ = self._p()
        d = as_arrays(frequency=frequency, monetary_value=monetary_value)
        x, z = d["frequency"], d["monetary_value"]
        weight = p * x / (p * x + q - 1)
        return (1 - weight) * self.mean_spend + weight * z
