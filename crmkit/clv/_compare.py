"""One table comparing BTYD models on one calibration/holdout split: how well each
fits the calibration period and how well it forecasts the holdout."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from crmkit._validate import show
from crmkit.clv._holdout import (
    Holdout,
    check_kind,
    check_model,
    holdout_data,
    holdout_predictions,
)
from crmkit.errors import DataError, ParameterError

__all__ = ["compare_models"]

#: the methods compare_models uses
METHODS = ("fit", "expected_purchases")


def _entries(models: object) -> list[tuple[str, object]]:
    """(name, model or class) pairs; names are the keys of a mapping, else the class
    names, numbered when one repeats."""
    if isinstance(models, type):
        raise ParameterError(
            f"models = {models.__name__} is one class, not a list of models; pass a "
            f"list, e.g. [{models.__name__}]."
        )
    if isinstance(models, Mapping):
        pairs = [(str(k), v) for k, v in models.items()]
    elif isinstance(models, Sequence) and not isinstance(models, str | bytes):
        pairs = []
        for item in models:
            label = item.__name__ if isinstance(item, type) else type(item).__name__
            pairs.append((label, item))
    else:
        raise ParameterError(
            f"models = {show(models)} is not a list of models; pass a list such as "
            "[BGNBD, ParetoNBD] (classes are fitted here), or a dict {name: model}."
        )
    if not pairs:
        raise ParameterError(
            "models is empty; pass at least one model or model class, e.g. [BGNBD]."
        )
    seen: dict[str, int] = {}
    out = []
    for label, item in pairs:
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} ({seen[label]})", item))
    return out


def _fitted(name: str, item: object, data: Holdout) -> object:
    """``item`` fitted on the calibration columns: a class is made and fitted, a model
    without parameters is copied and the copy fitted, a fitted model is kept."""
    label = f"models[{name!r}]"
    check_kind(item, data, label)
    if isinstance(item, type):
        try:
            item = item()
        except TypeError:
            raise ParameterError(
                f"{label} = {item.__name__} cannot be made without arguments; pass a "
                f"model instead, e.g. {item.__name__}(...)."
            ) from None
    if not callable(getattr(item, "fit", None)):
        raise ParameterError(
            f"{label} = {show(item)} has no fit method; pass a BTYD model or model "
            "class such as BGNBD, ParetoNBD or MBGNBD."
        )
    if not getattr(item, "params_", None):
        item = copy.deepcopy(item)  # the caller's model is not changed
        item.fit(data.x, data.tx, data.T)  # type: ignore[attr-defined]
    check_model(item, METHODS, label)
    return item


def _log_likelihood(name: str, model: object, data: Holdout) -> float:
    """The fitted log-likelihood, checked against the calibration data when the model
    can evaluate it (a model fitted on other data is refused)."""
    label = f"models[{name!r}]"
    stored = float(getattr(model, "log_likelihood_", math.nan))
    own = getattr(model, "log_likelihood", None)
    if not callable(own):
        if not math.isfinite(stored):
            raise ParameterError(
                f"{label} has no log_likelihood_ (its parameters were set by hand); "
                "fit it on the calibration columns, or pass its class."
            )
        return stored
    value = float(own(data.x, data.tx, data.T))
    if math.isfinite(stored) and abs(value - stored) > 1e-7 * max(1.0, abs(stored)):
        raise DataError(
            f"{label} was fitted on other data: its log_likelihood_ = {stored:.6g}, "
            f"but the calibration columns of cal_holdout give {value:.6g}; fit it on "
            "cal_holdout's frequency_cal, recency_cal and T_cal, or pass its class."
        )
    return value


def compare_models(models: object, cal_holdout: pd.DataFrame) -> pd.DataFrame:
    """Fit statistics and holdout errors of several BTYD models, one row per model:
    the continuous-time models on a table of :func:`calibration_holdout`, the BG/BB
    on one of :func:`~crmkit.clv.opportunity_holdout` (transactions at discrete
    opportunities; the forecast is then E[X(n, n + t) | x, t_x, n] with ``t`` the
    holdout opportunities, Fader, Hardie & Shang 2010, eq. 13).

    Each model is fitted on the calibration columns of ``cal_holdout`` (a class is
    made with no arguments and fitted; a model without parameters is copied and the
    copy fitted; a fitted model is used as it is, after checking that its
    log-likelihood is that of these data when it can evaluate one). Its forecast for
    each customer is E[Y(t) | x, t_x, T] (``expected_purchases``) with ``t`` the
    holdout duration.

    - ``k``: number of parameters; ``log_likelihood``: maximised log L;
      ``aic = 2k − 2 log L`` (Akaike 1974); ``bic = k ln n − 2 log L`` with n the
      number of customers (Schwarz 1978): lower is better for both;
    - ``holdout_mae`` and ``holdout_rmse``: mean absolute and root mean squared error
      of the per-customer forecasts of holdout purchases;
    - ``holdout_predicted``, ``holdout_actual``: the cohort's total holdout purchases,
      forecast and observed; ``holdout_error_pct``: ``100 (predicted − actual) /
      actual`` (NaN when nobody bought in the holdout).

    Fit times are not reported (they are not the same on two machines; see
    ``benchmarks/``).

    Parameters
    ----------
    models : list or dict
        Model classes or models (``BGNBD``, ``ParetoNBD``, ``MBGNBD``, …): a list
        (rows named by class, numbered when one repeats) or a dict ``{name: model}``.
        The caller's models are never modified.
    cal_holdout : pandas.DataFrame
        From :func:`calibration_holdout`, or from
        :func:`~crmkit.clv.opportunity_holdout` for ``BGBB``.

    Returns
    -------
    pandas.DataFrame
        Index ``model``; columns ``k``, ``log_likelihood``, ``aic``, ``bic``,
        ``holdout_mae``, ``holdout_rmse``, ``holdout_predicted``, ``holdout_actual``,
        ``holdout_error_pct``. ``attrs["n_customers"]`` is n.

    Raises
    ------
    ParameterError
        Not a list or dict, an empty one, something that is not a BTYD model or
        class, a hand-set model that cannot evaluate its log-likelihood, a BG/BB on
        a table of times or a continuous-time model on a table of opportunities.
    DataError
        A bad ``cal_holdout`` (see :func:`holdout_by_frequency`), or a fitted model
        whose log-likelihood is not that of ``cal_holdout``.
    FitError
        A fit that does not converge (from the model).

    References
    ----------
    H. Akaike (1974), "A new look at the statistical model identification", *IEEE
    Transactions on Automatic Control* 19(6):716–723. G. Schwarz (1978), "Estimating
    the dimension of a model", *The Annals of Statistics* 6(2):461–464. P. S. Fader,
    B. G. S. Hardie and K. L. Lee (2005), "Counting your customers the easy way: an
    alternative to the Pareto/NBD model", *Marketing Science* 24(2):275–284,
    section 4 (calibration and holdout on CDNOW). P. S. Fader, B. G. S. Hardie and
    J. Shang (2010), "Customer-base analysis in a discrete-time noncontractual
    setting", *Marketing Science* 29(6):1086–1108, eq. 13 and section 4.

    Examples
    --------
    >>> from crmkit.clv import BGNBD, calibration_holdout
    >>> from crmkit.datasets import load_cdnow
    >>> ch = calibration_holdout(load_cdnow(sample=True),
    ...                          calibration_end="1997-09-30", holdout_end="1998-06-30")
    >>> table = compare_models([BGNBD], ch)
    >>> table[["k", "log_likelihood", "aic", "bic"]].round(2)
           k  log_likelihood       aic       bic
    model
    BGNBD  4        -9582.43  19172.86  19195.92
    >>> table[["holdout_mae", "holdout_predicted", "holdout_error_pct"]].round(2)
           holdout_mae  holdout_predicted  holdout_error_pct
    model
    BGNBD         0.79            1653.41             -12.15

    The BG/BB on the donors of :func:`make_opportunity_histories` (six calibration
    and five holdout years):

    >>> from crmkit.clv import BGBB, make_opportunity_histories, opportunity_holdout
    >>> ch = opportunity_holdout(make_opportunity_histories(5000, seed=1),
    ...                          calibration_periods=6)
    >>> cols = ["k", "holdout_predicted", "holdout_actual"]
    >>> compare_models([BGBB], ch)[cols].round(1)
          k  holdout_predicted  holdout_actual
    model
    BGBB  4             5860.4          5827.0
    """
    pairs = _entries(models)
    data = holdout_data(cal_holdout)
    n = data.x.size
    actual_total = float(data.y.sum())
    rows = {}
    for name, item in pairs:
        model = _fitted(name, item, data)
        log_l = _log_likelihood(name, model, data)
        k = len(model.params_)  # type: ignore[attr-defined]
        error = holdout_predictions(model, data) - data.y
        predicted_total = actual_total + float(error.sum())
        rows[name] = {
            "k": k,
            "log_likelihood": log_l,
            "aic": 2 * k - 2 * log_l,
            "bic": k * math.log(n) - 2 * log_l,
            "holdout_mae": float(np.mean(np.abs(error))),
            "holdout_rmse": float(np.sqrt(np.mean(error**2))),
            "holdout_predicted": predicted_total,
            "holdout_actual": actual_total,
            "holdout_error_pct": (
                100 * (predicted_total - actual_total) / actual_total
                if actual_total > 0
                else math.nan
            ),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    table.attrs["n_customers"] = n
    return table
