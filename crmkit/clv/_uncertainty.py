"""A fitted maximum-likelihood model: its parameters, the record of the fit that found
them, and their standard errors and Wald intervals from the observed information.

Every customer-base model in :mod:`crmkit.clv` (BG/NBD, MBG/NBD, Gamma-Gamma, BG/BB,
sBG, Pareto/NBD) is a :class:`FittedModel` and is fitted by :func:`fit_by_likelihood`
(through :meth:`FittedModel._maximise`), so each one holds ``params_``,
``log_likelihood_``, ``gradient_norm_``, ``standard_errors_`` and ``optimizer_`` in the
same way, documents them in one text (:data:`FIT_ATTRIBUTES`) and gives the same
``summary(level)``.

The models are fitted in log-parameters θ = log φ (a model may scale a parameter by a
constant of its data; a constant shift of θ changes no derivative), and
:func:`~crmkit.clv._optimize.minimise` returns the Hessian of the mean negative
log-likelihood at the optimum (central differences of the analytic gradient). Times
the number of customers it is the observed information I(θ̂); its inverse estimates
the covariance of θ̂. The standard error of φ̂ = e^θ̂ follows by the delta method,
``se(φ̂) = φ̂ se(θ̂)``, and the interval is taken on the log scale,
``exp(θ̂ ± z se(θ̂))``: it never leaves (0, ∞), as φ̂ ± z se(φ̂) can for a small
positive parameter.

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

A model names its parameters and gets the fit's record and summary:

>>> @dataclass
... class Coin(FittedModel):
...     NAMES: ClassVar[tuple[str, ...]] = ("p",)
>>> Coin(params_={"p": 0.5}).checked_params()
{'p': 0.5}
>>> Coin(params_={"p": 0.5}).summary()
Traceback (most recent call last):
...
crmkit.errors.FitError: Coin has no fit to summarise: standard errors come from the observed information of a fit; call Coin().fit(...) first.
"""  # noqa: E501

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Self

import numpy as np
import pandas as pd
from scipy import linalg, optimize, stats

from crmkit._validate import check_real
from crmkit.clv._inputs import model_params
from crmkit.clv._optimize import minimise
from crmkit.errors import FitError

__all__ = [
    "FittedModel",
    "fit_attrs",
    "fit_summary",
    "fitted_result",
    "log_covariance",
    "parameter_table",
    "record_fit",
]


Natural = Callable[[np.ndarray], np.ndarray]

#: The attributes of a fit, as every model's docstring lists them after ``params_``
#: (in place of ``{FIT_ATTRIBUTES}``, indented as in a class docstring).
FIT_ATTRIBUTES = """log_likelihood_ : float
        Maximised log-likelihood (NaN before a fit).
    gradient_norm_ : float
        Norm of the gradient of the log-likelihood in the log-parameters at
        ``params_`` (zero to rounding after a fit).
    standard_errors_ : dict
        Standard errors of the parameters, from the observed information (delta
        method from the log scale; see :meth:`summary`).
    optimizer_ : scipy.optimize.OptimizeResult
        How the fit went: ``x`` (log-parameters, possibly scaled), ``hess``,
        ``newton_step`` (the estimated remaining distance), ``start``, ``searches``,
        ``n_customers`` and the fitted ``params``."""


def _with_fit_attributes(doc: str | None) -> str | None:
    return None if doc is None else doc.replace("{FIT_ATTRIBUTES}", FIT_ATTRIBUTES)


@dataclass
class FittedModel:
    """Base of the maximum-likelihood models: their parameters and the record of the
    fit that found them.

    ``params_`` is set by hand or by ``fit``; hand-set parameters are checked when the
    model is made. A subclass names its parameters in ``NAMES`` (and itself in
    messages in ``_LABEL``, what to check when a fit fails in ``_ADVICE``) and fits
    itself with :meth:`_maximise`; its docstring
    lists the attributes below ``params_`` by the placeholder of
    :data:`FIT_ATTRIBUTES`.

    Attributes
    ----------
    params_ : dict
        The parameters, in the order of ``NAMES``.
    {FIT_ATTRIBUTES}
    """

    #: the model's parameters, in the order of its formulas
    NAMES: ClassVar[tuple[str, ...]] = ()
    #: the model's name in messages ("BG/NBD")
    _LABEL: ClassVar[str] = ""
    #: what a failed fit's message advises to check
    _ADVICE: ClassVar[str] = "check the data"

    params_: dict[str, float] = field(default_factory=dict)
    log_likelihood_: float = math.nan
    gradient_norm_: float = field(default=math.nan, compare=False)
    standard_errors_: dict[str, float] = field(default_factory=dict, compare=False)
    optimizer_: optimize.OptimizeResult | None = field(
        default=None, repr=False, compare=False
    )

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.__doc__ = _with_fit_attributes(cls.__doc__)

    def __post_init__(self) -> None:
        if self.params_:
            self.checked_params()

    def checked_params(self) -> dict[str, float]:
        """``params_`` checked: exactly :attr:`NAMES`, each positive and finite."""
        return model_params(type(self).__name__, self.params_, self.NAMES)

    def _p(self) -> tuple[float, ...]:
        """The checked parameters as a tuple, in the order of :attr:`NAMES`."""
        p = self.checked_params()
        return tuple(p[n] for n in self.NAMES)

    def _maximise(
        self,
        nll_grad: Callable[[np.ndarray, object], tuple[float, np.ndarray]],
        data: object,
        starts: Sequence[Sequence[float]],
        *,
        natural: Natural = np.exp,
        check: Callable[[dict[str, float]], None] | None = None,
    ) -> Self:
        """:func:`fit_by_likelihood` with the model's ``NAMES``, ``_LABEL`` and
        ``_ADVICE``."""
        return fit_by_likelihood(
            self,
            nll_grad,
            data,
            names=self.NAMES,
            starts=starts,
            label=self._LABEL,
            advice=self._ADVICE,
            natural=natural,
            check=check,
        )

    def summary(self, level: float = 0.95) -> pd.DataFrame:
        """The estimates with standard errors and ``level`` intervals (log scale,
        from the observed information); ``attrs`` holds ``log_likelihood``,
        ``n_customers``, ``aic``, ``bic`` and ``level``.

        Raises
        ------
        FitError
            Before a fit, or after ``params_`` was changed by hand (such parameters
            have no standard errors).
        ParameterError
            A ``level`` outside (0, 1).
        """
        return fit_summary(self, type(self).__name__, level)


FittedModel.__doc__ = _with_fit_attributes(FittedModel.__doc__)


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
    model: object,
    res: optimize.OptimizeResult,
    names: Sequence[str],
    total: float,
    *,
    natural: Natural = np.exp,
) -> None:
    """Store a converged fit on ``model``: ``params_`` (``natural(x)`` of the
    optimiser, e^x unless the model scales a parameter, in the order of ``names``),
    ``log_likelihood_``, ``gradient_norm_``, ``optimizer_`` (with ``n_customers`` and
    the fitted ``params``) and ``standard_errors_``."""
    res.n_customers = total
    values = (float(v) for v in natural(res.x))
    res.params = dict(zip(names, values, strict=True))
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
    natural: Natural = np.exp,
    check: Callable[[dict[str, float]], None] | None = None,
) -> object:
    """Maximise the likelihood of ``data`` from each of ``starts`` in log-parameters
    with :func:`~crmkit.clv._optimize.minimise`, then :func:`record_fit` the result on
    ``model`` and return it.

    ``nll_grad(theta, data)`` is the mean negative log-likelihood and its gradient in
    ``theta``; ``data.total`` is the number of customers. By default ``theta =
    log(params)`` and ``starts`` are on the natural scale; a model that scales a
    parameter by a constant of its data passes ``natural`` (theta to the parameters)
    and its ``starts`` on the scaled scale. ``check(params)`` may refuse an optimum
    (raise :class:`~crmkit.errors.FitError`) before anything is stored on ``model``.
    """
    res = minimise(
        lambda theta: nll_grad(theta, data),
        [np.log(s) for s in starts],
        names=names,
        model=label,
        advice=advice,
        natural=natural,
    )
    if check is not None:
        check(dict(zip(names, (float(v) for v in natural(res.x)), strict=True)))
    record_fit(model, res, names, data.total, natural=natural)  # type: ignore[attr-defined]
    return model


def fit_summary(model: object, name: str, level: float) -> pd.DataFrame:
    """:func:`parameter_table` of ``model``'s last fit with :func:`fit_attrs`."""
    res = fitted_result(model, name)
    table = parameter_table(res.params, res.hess, res.n_customers, level)
    return fit_attrs(table, model.log_likelihood_, res.n_customers, level)
