"""The template of the continuous-time customer-base models (BG/NBD, MBG/NBD,
Pareto/NBD): what they share, written once.

Their public methods take a customer summary (``frequency``, ``recency``, ``T``), check
it and the other arguments with the rules of :mod:`crmkit.clv._inputs`, then call the
model's private methods, which hold only its formulas (the template method of
scipy.stats' distributions). A model gives:

- ``_data(x, tx, t_obs, w)``: its likelihood's data, from checked columns (``w`` is
  None for one customer per row), and ``_fit(data)`` and
  ``_log_likelihood(params, data)`` on them;
- ``_dert(params, rate, x, tx, t_obs)``, the discounted expected residual
  transactions at a checked rate;
- ``_ZERO_RATE``: the shape parameter that must exceed 1 for the undiscounted DERT to
  be finite, why, and a positive rate to suggest instead.

The definition of DERT and of the residual CLV is that of P. S. Fader, B. G. S.
Hardie and K. L. Lee (2005), "RFM and CLV: using iso-value curves for customer base
analysis", *Journal of Marketing Research* 42(4):415–430: the purchases after T,
each at T + t discounted continuously by ``(1 + d)^-t``, times the value of one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

import numpy as np
from numpy.typing import ArrayLike

from crmkit.clv._discrete_inputs import weights_array
from crmkit.clv._inputs import btyd_data, check_discount_rate, check_margin
from crmkit.clv._uncertainty import FittedModel
from crmkit.errors import DataError

__all__ = ["BTYDModel"]


@dataclass
class BTYDModel(FittedModel):
    """Base of the models of a customer summary (frequency, recency, T): the fit,
    the log-likelihood, DERT and CLV, checked once for all of them."""

    _ADVICE: ClassVar[str] = (
        "check that recency and T use the same time unit, and that the data hold "
        "enough repeat buyers"
    )
    #: (the shape parameter that must exceed 1 for a finite undiscounted DERT, why,
    #: a positive rate to suggest instead)
    _ZERO_RATE: ClassVar[tuple[str, str, str]] = ("", "", "")

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> Self:
        """Fit by maximum likelihood; returns ``self``.

        Parameters
        ----------
        frequency : array-like
            Repeat purchases per customer (whole numbers >= 0).
        recency, T : array-like
            Time of the last purchase and end of observation, both measured from the
            customer's first purchase in one unit (0 <= recency <= T).
        weights : array-like, optional
            Number of customers with each record (for aggregated data); identical
            records are grouped anyway when it is not given.

        Raises
        ------
        DataError
            Bad data (see :func:`crmkit.segmentation.customer_summary` for the rules),
            nobody observed for any time, or no repeat purchases at all.
        FitError
            When the optimum cannot be reached (a parameter runs to 0 or infinity, or
            the Newton steps do not settle); the message lists the starts tried.

        Examples
        --------
        >>> from crmkit.clv import BGNBD, ParetoNBD
        >>> m = BGNBD().fit([2, 1, 0, 0, 3, 1], [30.4, 1.7, 0, 0, 35.0, 20.1],
        ...                 [38.9, 38.9, 38.9, 30.0, 38.0, 25.0])
        Traceback (most recent call last):
        ...
        crmkit.errors.FitError: the BG/NBD fit did not converge: ...
        >>> m = ParetoNBD().fit([1, 2, 3, 1], [5.0, 6.0, 7.0, 4.0],
        ...                     [5.0, 6.0, 7.0, 4.0])
        Traceback (most recent call last):
        ...
        crmkit.errors.FitError: the Pareto/NBD fit did not converge: ...
        """
        x, tx, t_obs = btyd_data(frequency, recency, T)
        w = None if weights is None else weights_array(weights, x.size)
        counted = np.ones(x.size, bool) if w is None else w > 0
        if not (t_obs[counted] > 0).any():
            raise DataError(
                f"T is 0 for all {x.size} customers: nobody was observed for any time; "
                "pass T > 0 (the time from the first purchase to the end of the data)."
            )
        if not (x[counted] > 0).any():
            raise DataError(
                f"frequency is 0 for all {x.size} customers: without repeat purchases "
                f"the {self._LABEL} model cannot be fitted; pass data that include "
                "repeat buyers (a longer observation period)."
            )
        return self._fit(self._data(x, tx, t_obs, w))

    def log_likelihood(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> float:
        """Log-likelihood of data at the current parameters (the likelihood the
        model is fitted by; see its class docstring), the data checked as in
        :meth:`fit`.

        Examples
        --------
        >>> from crmkit.clv import BGNBD, ParetoNBD
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> round(m.log_likelihood([2, 0], [30.43, 0.0], [38.86, 38.86]), 6)
        -10.01332
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> round(m.log_likelihood([2, 0], [30.43, 0.0], [38.86, 38.86]), 6)
        -10.07564
        """
        params = self._p()
        x, tx, t_obs = btyd_data(frequency, recency, T)
        w = None if weights is None else weights_array(weights, x.size)
        return self._log_likelihood(params, self._data(x, tx, t_obs, w))

    def dert(
        self,
        discount_rate: float,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
    ) -> np.ndarray:
        """DERT: discounted expected residual transactions after T, a purchase at
        T + t discounted by ``(1 + d)^-t`` (continuously, at δ = ln(1 + d) per time
        unit): ``DERT = ∫_0^∞ (1 + d)^-t (d/dt) E[Y(t) | x, t_x, T] dt``, the
        definition of Fader, Hardie & Lee (2005, "RFM and CLV").

        Each model evaluates it by its own formula (its module's ``_dert``): the
        BG/NBD and MBG/NBD by Gauss-Legendre quadrature of the discounted purchase
        rate, the Pareto/NBD in closed form with Tricomi's confluent hypergeometric
        function U.

        Parameters
        ----------
        discount_rate : float
            d per time unit of the fit, in [0, 1] (weeks: an annual 10 % is
            1.1^(1/52) − 1 ≈ 0.0018); 0 only where the undiscounted sum is finite
            (a > 1 for the BG/NBD and MBG/NBD, s > 1 for the Pareto/NBD).
        frequency, recency, T : array-like
            As in :meth:`fit`, with the same checks.

        Examples
        --------
        >>> from crmkit.clv import BGNBD, ParetoNBD
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.dert(0.0018, [2, 0], [30.43, 0.0], [38.86, 38.86]).round(4).tolist()
        [6.4238, 1.3166]
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> m.dert(1.15 ** (1 / 52) - 1, [2, 0], [30.43, 0.0], [38.86] * 2).round(5)
        array([6.50051, 0.47814])
        """
        params = self._p()
        shape, why, example = self._ZERO_RATE
        rate = check_discount_rate(
            discount_rate,
            finite=(shape, self.checked_params()[shape]),
            infinite=f"the undiscounted residual transactions are infinite ({why})",
            example=example,
        )
        x, tx, t_obs = btyd_data(frequency, recency, T)
        return self._dert(params, rate, x, tx, t_obs)

    def clv(
        self,
        margin: float,
        discount_rate: float,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
    ) -> np.ndarray:
        """Residual lifetime value: ``margin × DERT`` (Fader, Hardie & Lee 2005, "RFM
        and CLV"), with ``margin`` the value of one transaction (e.g. the
        Gamma-Gamma mean spend times a margin share).

        Examples
        --------
        >>> from crmkit.clv import BGNBD, ParetoNBD
        >>> m = BGNBD(params_={"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426})
        >>> m.clv(10.0, 0.0018, [2], [30.43], [38.86]).round(2).tolist()
        [64.24]
        >>> m = ParetoNBD(params_={"r": 0.5534, "alpha": 10.5802, "s": 0.6061,
        ...                        "beta": 11.6562})
        >>> m.clv(50.0, 1.15 ** (1 / 52) - 1, [2], [30.43], [38.86]).round(2).tolist()
        [325.03]
        """
        return check_margin(margin) * self.dert(discount_rate, frequency, recency, T)
