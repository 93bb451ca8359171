"""Standard errors and Wald intervals of maximum-likelihood estimates, from the
observed information.

The models are fitted in log-parameters θ = log φ, and :func:`~crmkit.clv._optimize.
minimise` returns the Hessian of the mean negative log-likelihood at the optimum
(central differences of the analytic gradient). Times the number of customers it is
the observed information I(θ̂); its inverse estimates the covariance of θ̂. The
standard error of φ̂ = e^θ̂ follows by the delta method, ``se(φ̂) = φ̂ se(θ̂)``, and
the interval is taken on the log scale, ``exp(θ̂ ± z se(θ̂))``: it never leaves
(0, ∞), as φ̂ ± z se(φ̂) can for a small positive parameter.

References
----------
G. Casella and R. L. Berger (2002), *Statistical Inference*, 2nd ed., Duxbury: the
delta method (Theorem 5.5.24), the variance of an MLE from the observed information
(section 10.1.3) and approximate maximum-likelihood intervals (section 10.4.1).
H. Akaike (1974), "A new look at the statistical model identification", *IEEE
Transactions on Automatic Control* 19(6):716–723 (AIC). G. Schwarz (1978),
"Estimating the dimension of a model", *The Annals of Statistics* 6(2):461–464 (BIC).

Examples
--------
>>> import numpy as np
>>> table = parameter_table({"p": 2.0}, np.array([[4.0]]), total=100.0)
>>> table.round(4).to_dict("index")["p"]["std_error"]
0.1
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import linalg, optimize, stats

from crmkit._validate import check_real
from crmkit.clv._optimize import minimise
from crmkit.errors import FitError

__all__ = [
    "fit_attrs",
    "fit_summary",
    "fitted_result",
    "log_covariance",
    "parameter_table",
    "record_fit",
]


def log_covariance(hess_mean: np.ndarray, total: float) -> np.ndarray:
    """Inverse observed information in the log-parameters.

    ``hess_mean`` is the Hessian of the *mean* negative log-likelihood (per customer)
    in the log-parameters, ``total`` the number of customers it was averaged over.

    Raises
    ------
    FitError
        When the information is not positive definite (the optimum is not a strict
        maximum, so the data do not determine every parameter).
    """
    info = np.asarray(hess_mean, dtype=float) * total
    try:
        factor = linalg.cho_factor(info)
    except (linalg.LinAlgError, ValueError):
        raise FitError(
            "the observed information is not positive definite at the fitted "
            "parameters, so they have no standard errors; check that the data "
            "determine every parameter (more customers or more periods)."
        ) from None
    cov = linalg.cho_solve(factor, np.eye(info.shape[0]))
    return (cov + cov.T) / 2


def parameter_table(
    params: Mapping[str, float],
    hess_mean: np.ndarray,
    total: float,
    level: float = 0.95,
) -> pd.DataFrame:
    """Estimates, standard errors and log-scale Wald intervals, one row per parameter.

    Parameters
    ----------
    params : mapping
        The estimates φ̂, in the order of the rows and columns of ``hess_mean``.
    hess_mean : numpy.ndarray
        Hessian of the mean negative log-likelihood in log φ at φ̂.
    total : float
        Number of customers behind the mean.
    level : float
        Coverage of the intervals, in (0, 1).

    Returns
    -------
    pandas.DataFrame
        Index ``parameter``; columns ``estimate``, ``std_error`` (delta method),
        ``lower`` and ``upper`` (``exp(log φ̂ ∓ z se(log φ̂))``).
    """
    level = check_real("level", level, low=0, high=1, low_open=True, high_open=True)
    se_log = np.sqrt(np.diag(log_covariance(hess_mean, total)))
    z = float(stats.norm.ppf((1 + level) / 2))
    names = list(params)
    est = np.array([params[n] for n in names], dtype=float)
    log_est = np.log(est)
    return pd.DataFrame(
        {
            "estimate": est,
            "std_error": est * se_log,
            "lower": np.exp(log_est - z * se_log),
            "upper": np.exp(log_est + z * se_log),
        },
        index=pd.Index(names, name="parameter"),
    )


def fit_attrs(table: pd.DataFrame, log_likelihood: float, total: float, level: float):
    """Attach the fit statistics a summary shows to ``table.attrs`` and return it:
    ``log_likelihood``, ``n_customers``, ``aic = 2k − 2 log L`` and
    ``bic = k log n − 2 log L`` (k parameters, n customers), and the interval
    ``level``."""
    k = len(table)
    table.attrs.update(
        log_likelihood=float(log_likelihood),
        n_customers=float(total),
        aic=float(2 * k - 2 * log_likelihood),
        bic=float(k * math.log(total) - 2 * log_likelihood),
        level=float(level),
    )
    return table


def fitted_result(model: object, name: str) -> optimize.OptimizeResult:
    """The optimiser result of ``model``'s last fit, or a clear error when there is
    none or ``params_`` no longer holds the fitted values (hand-set parameters have
    no observed information, hence no standard errors)."""
    res = getattr(model, "optimizer_", None)
    if res is None or not hasattr(res, "n_customers"):
        raise FitError(
            f"{name} has no fit to summarise: standard errors come from the observed "
            f"information of a fit; call {name}().fit(...) first."
        )
    if getattr(model, "params_", None) != res.params:
        raise FitError(
            f"{name}.params_ was changed after the fit, so the standard errors of the "
            f"fit no longer apply; fit the model again (or restore params_ = "
            f"{res.params})."
        )
    return res


def record_fit(
    model: object, res: optimize.OptimizeResult, names: Sequence[str], total: float
) -> None:
    """Store a converged fit on ``model``: ``params_`` (e^x of the optimiser, in the
    order of ``names``), ``log_likelihood_``, ``gradient_norm_``, ``optimizer_``
    (with ``n_customers`` and the fitted ``params``) and ``standard_errors_``."""
    res.n_customers = total
    res.params = dict(zip(names, (float(v) for v in np.exp(res.x)), strict=True))
    model.params_ = dict(res.params)
    model.log_likelihood_ = -res.fun * total
    model.gradient_norm_ = float(np.linalg.norm(res.jac) * total)
    model.optimizer_ = res
    table = parameter_table(res.params, res.hess, total)
    model.standard_errors_ = table["std_error"].to_dict()


def fit_by_likelihood(
    model: object,
    nll_grad: Callable[[np.ndarray, object], tuple[float, np.ndarray]],
    data: object,
    *,
    names: Sequence[str],
    starts: Sequence[Sequence[float]],
    label: str,
    advice: str,
) -> object:
    """Maximise the likelihood of ``data`` from each of ``starts`` (natural scale) in
    log-parameters with :func:`~crmkit.clv._optimize.minimise`, then
    :func:`record_fit` the result on ``model`` and return it.

    ``nll_grad(theta, data)`` is the mean negative log-likelihood and its gradient in
    ``theta = log(params)``; ``data.total`` is the number of customers.
    """
    res = minimise(
        lambda theta: nll_grad(theta, data),
        [np.log(s) for s in starts],
        names=names,
        model=label,
        advice=advice,
    )
    record_fit(model, res, names, data.total)  # type: ignore[attr-defined]
    return model


def fit_summary(model: object, name: str, level: float) -> pd.DataFrame:
    """:func:`parameter_table` of ``model``'s last fit with :func:`fit_attrs`."""
    res = fitted_result(model, name)
    table = parameter_table(res.params, res.hess, res.n_customers, level)
    return fit_attrs(table, model.log_likelihood_, res.n_customers, level)
