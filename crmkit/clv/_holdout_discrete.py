"""Calibration and holdout at discrete opportunities (BG/BB): split each customer's
record of transactions at opportunities (a yearly donation, an annual event) after
the first ``calibration_periods``, and check a table so split.

The table has the layout of :func:`crmkit.clv.calibration_holdout` with opportunities
in place of times: ``frequency_cal``, ``recency_cal``, ``n_periods_cal`` (the BG/BB's
x, t_x and n in calibration), ``frequency_holdout`` and ``n_periods_holdout``. With it
:func:`~crmkit.clv.holdout_by_frequency` and :func:`~crmkit.clv.compare_models` judge
a :class:`~crmkit.clv.BGBB` as they judge the continuous-time models (Fader, Hardie &
Shang 2010, section 4: calibration 1996–2001, holdout 2002–2006).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from crmkit._validate import check_count, check_frame
from crmkit.clv._discrete_inputs import opportunity_data, periods
from crmkit.clv._inputs import counts, numbers_array, refuse_rows
from crmkit.errors import DataError

__all__ = ["DISCRETE_COLUMNS", "opportunity_columns", "opportunity_holdout"]

#: the columns of a calibration/holdout table at discrete opportunities
DISCRETE_COLUMNS = (
    "frequency_cal",
    "recency_cal",
    "n_periods_cal",
    "frequency_holdout",
    "n_periods_holdout",
)


def opportunity_holdout(activity: ArrayLike, calibration_periods: int) -> pd.DataFrame:
    """Split records of transactions at opportunities into calibration and holdout.

    Parameters
    ----------
    activity : 2-D array-like or pandas.DataFrame
        One row per customer, one column per opportunity after its first
        transaction, in order: 1 where it transacted, 0 where it did not. The rows
        of a DataFrame keep its index. Never modified.
    calibration_periods : int
        Opportunities in the calibration period (1 to the number of columns − 1);
        the rest are the holdout.

    Returns
    -------
    pandas.DataFrame
        One row per customer: ``frequency_cal`` (transactions in calibration),
        ``recency_cal`` (the opportunity of the last, 0 without one),
        ``n_periods_cal``, ``frequency_holdout`` and ``n_periods_holdout``.

    Raises
    ------
    DataError
        Not a 2-D table of 0s and 1s, or fewer than two columns.
    ParameterError
        A ``calibration_periods`` that leaves no calibration or no holdout.

    References
    ----------
    P. S. Fader, B. G. S. Hardie and J. Shang (2010), "Customer-base analysis in a
    discrete-time noncontractual setting", *Marketing Science* 29(6):1086–1108,
    section 4 (the donations: six calibration and five holdout years).

    Examples
    --------
    >>> ch = opportunity_holdout([[1, 0, 1, 1], [0, 0, 0, 1]], calibration_periods=3)
    >>> ch.to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'frequency_cal': [2, 0], 'recency_cal': [3, 0], 'n_periods_cal': [3, 3],
     'frequency_holdout': [1, 1], 'n_periods_holdout': [1, 1]}
    """
    index = activity.index if isinstance(activity, pd.DataFrame) else None
    raw = activity.to_numpy() if isinstance(activity, pd.DataFrame) else activity
    shape = np.shape(raw)
    if len(shape) != 2 or shape[1] < 2 or shape[0] < 1:
        raise DataError(
            f"activity has shape {shape}; pass a 2-D table with one row per customer "
            "and one column per opportunity (at least two columns: calibration and "
            "holdout)."
        )
    flat = numbers_array("activity", np.asarray(raw).ravel(), low=0, high=1)
    refuse_rows(
        [
            (
                (flat != 0) & (flat != 1),
                lambda i: (
                    f"activity holds {flat[i]:g} (row {i // shape[1]}, "
                    f"column {i % shape[1]})"
                ),
                "pass 1 where the customer transacted and 0 where it did not",
            )
        ],
        "entry",
    )
    k = check_count(
        "calibration_periods", calibration_periods, minimum=1, maximum=shape[1] - 1
    )
    grid = flat.reshape(shape).astype(np.int64)
    cal, hold = grid[:, :k], grid[:, k:]
    last = np.where(cal.any(axis=1), k - np.argmax(cal[:, ::-1], axis=1), 0)
    values = (cal.sum(axis=1), last, k, hold.sum(axis=1), shape[1] - k)
    return pd.DataFrame(
        {
            name: np.broadcast_to(v, shape[:1])
            for name, v in zip(DISCRETE_COLUMNS, values, strict=True)
        },
        index=index,
    )


def opportunity_columns(cal_holdout: object):
    """Check a table of :data:`DISCRETE_COLUMNS`; return x, t_x, n, the holdout
    transactions and the holdout opportunities as float arrays."""
    check_frame(cal_holdout, list(DISCRETE_COLUMNS), what="cal_holdout")
    x, tx, n, _ = opportunity_data(
        *(cal_holdout[c] for c in DISCRETE_COLUMNS[:3]), group=False
    )
    y = counts("cal_holdout['frequency_holdout']", cal_holdout["frequency_holdout"])
    h = periods("cal_holdout['n_periods_holdout']", cal_holdout["n_periods_holdout"])
    h = np.atleast_1d(np.asarray(h, dtype=float))
    refuse_rows(
        [
            (
                h < 1,
                lambda i: f"cal_holdout['n_periods_holdout'] = {h[i]:g}",
                "the holdout has no opportunity; pass at least 1 (e.g. from "
                "opportunity_holdout)",
            ),
            (
                y > h,
                lambda i: (
                    f"cal_holdout['frequency_holdout'] = {y[i]:g} exceeds "
                    f"n_periods_holdout = {h[i]:g}"
                ),
                "a customer transacts at most once per opportunity",
            ),
        ],
        "customer",
    )
    return x, tx, n, y, h
