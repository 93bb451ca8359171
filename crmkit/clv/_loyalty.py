"""Loyalty-programme design (忠诚度计划设计): members, cost and the retention each
tier needs to pay for itself, in the terms of the retention formula."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from crmkit._frozen import set_fields
from crmkit._validate import (
    check_array,
    check_frame,
    check_nonnegative,
    check_probability,
    check_real,
    show,
)
from crmkit.clv._inputs import check_discount_rate
from crmkit.errors import DataError, ParameterError

__all__ = ["LoyaltyProgramme", "loyalty_programme"]

_TIER_COLUMNS = ["threshold", "point_rate", "benefit_cost"]


@dataclass(frozen=True)
class LoyaltyProgramme:
    """A loyalty programme's tiers, members, cost and break-even retention (what
    :func:`loyalty_programme` returns).

    Attributes
    ----------
    table : DataFrame
        One row per tier (index: the tier names, lowest threshold first):
        ``threshold``, ``members``, ``spend`` (mean spend per member and period),
        ``margin`` (mean margin per member, m), ``points_cost`` and ``benefit_cost``
        (per member and period), ``cost`` (their sum, c), ``programme_cost``
        (members × c, per period), ``retention`` (r, without the programme),
        ``clv`` (m r / (1 + d − r) per member, without the programme),
        ``break_even_retention`` (r*) and ``uplift`` (r* − r, a share: 0.05 is five
        percentage points). r* and the uplift are NaN where no retention below 1
        pays for the tier, or the tier has no members.
    non_members : int
        Customers whose spend is below the lowest threshold (outside the programme).
    margin_rate, discount_rate, point_value : float
        The arguments the table was computed with.
    """

    table: pd.DataFrame
    non_members: int
    margin_rate: float
    discount_rate: float
    point_value: float

    def __post_init__(self) -> None:
        set_fields(
            self,
            table=self.table.copy(),
            non_members=int(self.non_members),
            margin_rate=float(self.margin_rate),
            discount_rate=float(self.discount_rate),
            point_value=float(self.point_value),
        )

    @property
    def total_cost(self) -> float:
        """The programme's cost per period, over all tiers."""
        return float(self.table["programme_cost"].sum())

    def to_frame(self) -> pd.DataFrame:
        """The per-tier table (a copy: changing it leaves the result as it was)."""
        return self.table.copy()

    def __repr__(self) -> str:
        members = int(self.table["members"].sum())
        return (
            f"LoyaltyProgramme({len(self.table)} tiers, {members} members, "
            f"{self.non_members} non-members, cost {self.total_cost:g} per period)"
        )


def _tiers(tiers: object) -> tuple[pd.DataFrame, np.ndarray]:
    frame = check_frame(tiers, _TIER_COLUMNS, what="tiers", unique_index=True)
    values = {c: check_array(f"tiers[{c!r}]", frame[c], low=0) for c in _TIER_COLUMNS}
    thresholds = values["threshold"]
    steps = np.diff(thresholds)
    if (steps <= 0).any():
        i = int(np.flatnonzero(steps <= 0)[0])
        raise DataError(
            f"tiers['threshold'] = {show(thresholds.tolist())} is not strictly "
            f"increasing ({thresholds[i + 1]:g} after {thresholds[i]:g}, tier "
            f"{show(frame.index[i + 1])}); sort the tiers from the lowest threshold "
            "up, each threshold once (e.g. tiers.sort_values('threshold'))."
        )
    return pd.DataFrame(values, index=frame.index), thresholds


def _retention(retention: object, names: pd.Index) -> np.ndarray:
    if np.ndim(retention) == 0 and not isinstance(retention, str | bytes):
        r = check_probability("retention", retention, open_low=True, open_high=True)
        return np.full(len(names), r)
    if isinstance(retention, str | bytes) or retention is None:
        raise ParameterError(
            f"retention = {show(retention)} is not a number; pass a share such as 0.6 "
            "or one share per tier."
        )
    if isinstance(retention, pd.Series) and not retention.index.equals(
        pd.RangeIndex(len(retention))
    ):
        missing = [name for name in names if name not in retention.index]
        if missing or len(retention) != len(names):
            raise ParameterError(
                f"retention is a Series indexed by {show(list(retention.index))}, "
                f"not by the tier names {show(list(names))}; pass one share per "
                "tier, indexed by the tier names (or a plain list in the tiers' "
                "order)."
            )
        retention = retention.reindex(names)
    raw = list(retention.to_numpy() if isinstance(retention, pd.Series) else retention)
    if len(raw) != len(names):
        raise ParameterError(
            f"retention = {show(raw)} has {len(raw)} values for {len(names)} tiers; "
            "pass one share per tier, in the tiers' order, or a single share."
        )
    return np.array(
        [
            check_probability(
                f"retention[{name!r}]", value, open_low=True, open_high=True
            )
            for name, value in zip(names, raw, strict=True)
        ]
    )


def _break_even(
    margin: np.ndarray, cost: np.ndarray, value: np.ndarray, d: float
) -> np.ndarray:
    """r* with (m − c) r*/(1 + d − r*) = V: r* = V(1 + d)/(m − c + V); NaN unless
    m − c > V d (the condition for r* < 1), which also needs m > c."""
    net = margin - cost
    reachable = net > value * d
    with np.errstate(divide="ignore", invalid="ignore"):
        r_star = value * (1 + d) / (net + value)
    return np.where(reachable, r_star, np.nan)


def loyalty_programme(
    spend: object,
    tiers: pd.DataFrame,
    *,
    margin: float,
    retention: float | Sequence[float] | pd.Series,
    discount_rate: float,
    point_value: float = 0.01,
) -> LoyaltyProgramme:
    """Members, cost and break-even retention of a tiered loyalty programme.

    Each customer joins the highest tier whose ``threshold`` their spend per period
    reaches (customers below the lowest threshold stay outside). A tier's member with
    mean spend s brings the margin ``m = margin · s`` per period and costs the
    programme ``c = point_rate · point_value · s + benefit_cost`` (points earned on
    purchases, and the tier's benefits). Without the programme the member is worth
    the retention CLV ``V = m r / (1 + d − r)`` (margin at the end of each period,
    Gupta & Lehmann 2003); with it, ``(m − c) r' / (1 + d − r')``. The programme
    pays for itself in a tier when the retention rises to the break-even value

    ``r* = V (1 + d) / (m − c + V)``, so that the uplift is
    ``r* − r = r c / (m − c + V)``,

    which is below 1 only if ``m − c > V d``; otherwise no retention repays the tier
    (NaN). The programme's effect on spend is not modelled: only retention.

    Parameters
    ----------
    spend : array-like
        Spend per customer in one period (finite, >= 0; never modified), e.g. a
        year's spend from the transactions.
    tiers : DataFrame
        One row per tier, index = the tier's name (each once), with ``threshold``
        (the spend per period that qualifies, >= 0, strictly increasing from row to
        row), ``point_rate`` (points earned per unit of spend, >= 0) and
        ``benefit_cost`` (the tier's other benefits — discounts, priority service,
        events — per member and period, >= 0, in the currency of ``spend``).
    margin : float
        Profit margin as a share of spend, in (0, 1] (0.3 for 30 %).
    retention : float, sequence of float or Series
        Retention per period without the programme, in (0, 1): one share for all
        tiers, one per tier in the tiers' order, or a Series indexed by the tier
        names.
    discount_rate : float
        Per period, as a share in [0, 1] (0.1 for 10 %).
    point_value : float, default 0.01
        What one point costs the firm when redeemed (>= 0, currency of ``spend``;
        fold in the share of points never redeemed).

    Returns
    -------
    LoyaltyProgramme
        The per-tier table (members, cost, CLV, r*, uplift) and the non-members.

    Raises
    ------
    DataError
        Spend that is not finite numbers >= 0; tiers that are not a DataFrame with
        the three columns, repeat a name, hold negative or non-numeric values, or
        whose thresholds are not strictly increasing.
    ParameterError
        ``margin`` outside (0, 1], a retention outside (0, 1) or of the wrong
        length, ``discount_rate`` outside [0, 1], a negative ``point_value``.

    References
    ----------
    S. Gupta and D. R. Lehmann (2003), "Customers as assets", *Journal of Interactive
    Marketing* 17(1):9–24 (the retention CLV m r / (1 + d − r)). The break-even
    retention solves that formula for r; it is the kit's algebra, not a published
    result.

    Examples
    --------
    >>> tiers = pd.DataFrame({"threshold": [0, 100, 300], "point_rate": [1, 2, 3],
    ...                       "benefit_cost": [0, 5, 30]},
    ...                      index=["普通会员", "高级会员", "VIP会员"])
    >>> plan = loyalty_programme([50, 80, 150, 500], tiers, margin=0.3,
    ...                          retention=[0.2, 0.5, 0.7], discount_rate=0.1)
    >>> plan.table["members"].tolist()
    [2, 1, 1]
    >>> vip = plan.table.loc["VIP会员"]               # m = 150, c = 15 + 30
    >>> vip[["cost", "clv", "break_even_retention", "uplift"]].round(4).tolist()
    [45.0, 262.5, 0.7857, 0.0857]
    >>> plan
    LoyaltyProgramme(3 tiers, 4 members, 0 non-members, cost 54.3 per period)
    """
    s = check_array("spend", spend, low=0)
    table, thresholds = _tiers(tiers)
    m_rate = check_real("margin", margin, low=0, low_open=True, high=1)
    d = check_discount_rate(discount_rate)
    p_value = check_nonnegative("point_value", point_value)
    r = _retention(retention, table.index)
    tier_of = np.searchsorted(thresholds, s, side="right") - 1  # -1: below all
    members = np.bincount(tier_of[tier_of >= 0], minlength=len(table))
    totals = np.bincount(
        tier_of[tier_of >= 0], weights=s[tier_of >= 0], minlength=len(table)
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean_spend = np.where(members > 0, totals / members, np.nan)
        m = m_rate * mean_spend
        points = table["point_rate"].to_numpy() * p_value * mean_spend
        benefits = table["benefit_cost"].to_numpy()
        cost = points + benefits
        value = m * r / (1 + d - r)
        total_cost = np.where(members > 0, members * cost, 0.0)
    used = members > 0
    if not (
        np.isfinite(cost[used]).all()
        and np.isfinite(value[used]).all()
        and np.isfinite(total_cost).all()
    ):
        raise DataError(
            "spend × point_rate × point_value, or the CLV m r / (1 + d − r), is beyond "
            "the float range; pass spend and costs in a larger unit (e.g. thousands)."
        )
    r_star = _break_even(m, cost, value, d)
    out = pd.DataFrame(
        {
            "threshold": thresholds,
            "members": members,
            "spend": mean_spend,
            "margin": m,
            "points_cost": points,
            "benefit_cost": np.where(members > 0, benefits, np.nan),
            "cost": cost,
            "programme_cost": total_cost,
            "retention": r,
            "clv": value,
            "break_even_retention": r_star,
            "uplift": r_star - r,
        },
        index=table.index,
    )
    return LoyaltyProgramme(
        table=out,
        non_members=int((tier_of < 0).sum()),
        margin_rate=m_rate,
        discount_rate=d,
        point_value=p_value,
    )
