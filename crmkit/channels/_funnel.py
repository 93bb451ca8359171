"""The sales funnel (销售漏斗): stage counts to conversion rates, and where it leaks."""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmkit._validate import check_array, check_frame, show
from crmkit.errors import DataError

__all__ = ["funnel_conversion"]


def funnel_conversion(
    stages: pd.DataFrame, *, stage_col: str = "stage", count_col: str = "count"
) -> pd.DataFrame:
    """Conversion rates between the stages of a sales funnel (销售漏斗管理).

    A funnel follows one cohort of prospects from the top stage (e.g. leads) to the
    bottom one (e.g. signed contracts); each stage holds the prospects who reached
    it, so a count can never exceed the one above it. The step rate of a stage is
    its count over the previous stage's count; the cumulative rate is its count over
    the top count (the cumulative rate is the product of the step rates). The stage
    with the lowest step rate is where the funnel leaks most.

    Parameters
    ----------
    stages : DataFrame
        One row per stage, top of the funnel first: ``stage_col`` (each name once,
        none missing) and ``count_col`` (whole numbers >= 0, the top one above 0,
        none larger than the one before). At least two rows. The index is not used
        and the frame is not modified.
    stage_col, count_col : str
        The columns holding the stage names and the counts.

    Returns
    -------
    pandas.DataFrame
        One row per stage, indexed by stage name: ``count``, ``step_rate`` (count /
        previous count; NaN at the top and after a stage with 0), ``cumulative_rate``
        (count / top count), ``lost`` (previous count - count; 0 at the top) and
        ``lost_share`` (lost / top count). ``attrs["overall"]`` is the bottom count
        over the top count, ``attrs["leak"]`` the stage (below the top) with the
        lowest step rate; the first such stage when several tie.

    References
    ----------
    P. Kotler and K. L. Keller (2016), *Marketing Management*, 15th ed., Pearson
    Education, ch. 5, "Creating Long-Term Loyalty Relationships", the marketing funnel
    (the share of the target market at each stage of the decision process, and the
    conversion rates between stages).

    Examples
    --------
    >>> funnel = pd.DataFrame({"stage": ["lead", "visit", "offer", "signed"],
    ...                        "count": [1000, 400, 300, 120]})
    >>> table = funnel_conversion(funnel)
    >>> table[["step_rate", "cumulative_rate"]].round(3)
            step_rate  cumulative_rate
    stage
    lead          NaN             1.00
    visit        0.40             0.40
    offer        0.75             0.30
    signed       0.40             0.12
    >>> table.attrs["leak"], table.attrs["overall"]
    ('visit', 0.12)
    """
    frame = check_frame(
        stages,
        {"stage_col": stage_col, "count_col": count_col},
        what="stages",
        min_rows=2,
    )
    names = frame[stage_col]
    if names.isna().any():
        first = int(np.flatnonzero(names.isna().to_numpy())[0])
        raise DataError(
            f"stages[{stage_col!r}] has a missing stage name at position {first}; "
            "give every stage a name."
        )
    if not names.is_unique:
        twice = names[names.duplicated()].iloc[0]
        raise DataError(
            f"stages[{stage_col!r}] names the stage {show(twice)} more than once; "
            "give each stage one row (add up its counts first)."
        )
    counts = check_array(
        f"stages[{count_col!r}]", frame[count_col], low=0, integer=True
    )
    if counts[0] == 0:
        raise DataError(
            f"stages[{count_col!r}] starts with 0 at the top stage "
            f"{show(names.iloc[0])}; pass a funnel whose top stage holds at least "
            "one prospect."
        )
    rising = np.flatnonzero(np.diff(counts) > 0)
    if rising.size:
        i = int(rising[0]) + 1
        raise DataError(
            f"stages[{count_col!r}] rises from {counts[i - 1]:g} at "
            f"{show(names.iloc[i - 1])} to {counts[i]:g} at {show(names.iloc[i])}; a "
            "funnel stage holds only prospects who reached the stage above, so sort "
            "the stages from the top down or check the counts."
        )
    previous = np.concatenate([[np.nan], counts[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        step = np.where(previous > 0, counts / previous, np.nan)
    lost = np.concatenate([[0.0], -np.diff(counts)])
    table = pd.DataFrame(
        {
            "count": counts.astype(np.int64),
            "step_rate": step,
            "cumulative_rate": counts / counts[0],
            "lost": lost.astype(np.int64),
            "lost_share": lost / counts[0],
        },
        index=pd.Index(names.to_list(), name="stage"),
    )
    below = table["step_rate"].iloc[1:]
    leak = below.idxmin() if below.notna().any() else names.iloc[1]
    table.attrs["overall"] = float(counts[-1] / counts[0])
    table.attrs["leak"] = leak
    return table
