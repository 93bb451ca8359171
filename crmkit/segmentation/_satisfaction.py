"""Satisfaction surveys (满意度调查): CSAT and NPS with confidence intervals.

- CSAT (customer satisfaction score): the share of answers of 4 or 5 on a 1–5 scale
  ("top-two box"), in percent, with the Wilson score interval.
- NPS (net promoter score): the percentage of promoters (9–10 on the 0–10 "would you
  recommend us" question) minus the percentage of detractors (0–6), in points from −100
  to 100, with a Wald interval from the multinomial variance or a seeded bootstrap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from crmkit._frozen import set_fields
from crmkit._replication import check_rng
from crmkit._validate import check_array, check_choice, check_count, check_probability
from crmkit.errors import DataError

__all__ = ["SurveyScore", "csat_score", "nps_score"]

_METHODS = ("multinomial", "bootstrap")
#: bootstrap draws beyond this are refused (they add nothing a teaching run needs)
MAX_BOOT = 1_000_000


@dataclass(frozen=True)
class SurveyScore:
    """A survey score with its confidence interval (what :func:`csat_score` and
    :func:`nps_score` return).

    ``estimate``, ``lower``, ``upper`` and ``standard_error`` are in percent (CSAT)
    or points (NPS, −100 to 100); ``shares`` holds the answer shares behind them.
    """

    metric: str
    estimate: float
    lower: float
    upper: float
    standard_error: float
    n: int
    level: float
    method: str
    shares: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        set_fields(self, shares=dict(self.shares))

    def summary(self) -> str:
        """One line: the score, its interval and the number of answers."""
        return (
            f"{self.metric} = {self.estimate:.1f} "
            f"({self.level:.0%} CI {self.lower:.1f} to {self.upper:.1f}; "
            f"n = {self.n}, {self.method})"
        )

    def to_frame(self) -> pd.DataFrame:
        """One row: metric, estimate, lower, upper, standard_error, n, level, method."""
        return pd.DataFrame(
            [
                {
                    "metric": self.metric,
                    "estimate": self.estimate,
                    "lower": self.lower,
                    "upper": self.upper,
                    "standard_error": self.standard_error,
                    "n": self.n,
                    "level": self.level,
                    "method": self.method,
                }
            ]
        )


def _scores(values: object, high: int) -> np.ndarray:
    if (
        np.ndim(values) == 0
        and not isinstance(values, str | bytes)
        and values is not None
    ):
        raise DataError(
            f"scores = {values!r} is a single value; pass the survey answers as a list "
            "or column, e.g. [9, 10, 7]."
        )
    x = check_array(
        "scores", values, low=0 if high == 10 else 1, high=high, integer=True
    )
    if x.size == 0:
        raise DataError(
            "scores is empty; pass at least one survey answer (a list or column of "
            f"whole numbers from {0 if high == 10 else 1} to {high})."
        )
    return x


def _level(level: object) -> float:
    return check_probability("level", level, open_low=True, open_high=True)


def csat_score(
    scores: object, *, satisfied: int = 4, level: float = 0.95
) -> SurveyScore:
    """CSAT: the percentage of answers at or above ``satisfied`` on a 1–5 scale, with
    the Wilson score interval.

    Parameters
    ----------
    scores : array-like of int
        Answers 1 … 5 (a list, array or DataFrame column; never modified).
    satisfied : int, default 4
        The lowest answer counted as satisfied (4: the "top-two box" 4 and 5).
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    SurveyScore
        ``metric="CSAT"``, the percentage satisfied and its interval (percent);
        ``standard_error`` is the binomial √(p(1 − p)/n), in percent.

    Raises
    ------
    DataError
        Scores that are not whole numbers from 1 to 5, or none at all.
    ParameterError
        ``satisfied`` not in 1 … 5, or ``level`` not in (0, 1).

    References
    ----------
    E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
    inference", *Journal of the American Statistical Association* 22(158):209–212
    (the score interval); A. Agresti and B. A. Coull (1998), "Approximate is better
    than 'exact' for interval estimation of binomial proportions", *The American
    Statistician* 52(2):119–126 (why it is preferred to the Wald interval).

    Examples
    --------
    >>> s = csat_score([5, 4, 4, 3, 5, 2, 4, 5, 1, 4])
    >>> round(s.estimate, 1), round(s.lower, 1), round(s.upper, 1)
    (70.0, 39.7, 89.2)
    """
    x = _scores(scores, 5)
    cut = check_count("satisfied", satisfied, minimum=1, maximum=5)
    conf = _level(level)
    n, k = int(x.size), int((x >= cut).sum())
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=conf, method="wilson")
    p = k / n
    return SurveyScore(
        metric="CSAT",
        estimate=100 * p,
        lower=100 * float(ci.low),
        upper=100 * float(ci.high),
        standard_error=100 * float(np.sqrt(p * (1 - p) / n)),
        n=n,
        level=conf,
        method="wilson",
        shares={"satisfied": p, "not satisfied": 1 - p},
    )


def nps_score(
    scores: object,
    *,
    level: float = 0.95,
    method: str = "multinomial",
    n_boot: int = 10_000,
    seed: int | np.random.Generator | None = None,
) -> SurveyScore:
    """NPS: percentage of promoters (9–10) minus percentage of detractors (0–6), with
    a confidence interval.

    Parameters
    ----------
    scores : array-like of int
        Answers 0 … 10 to "how likely are you to recommend us to a friend?".
    level : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"multinomial", "bootstrap"}
        "multinomial": NPS ± z·SE with the multinomial variance
        Var = (p_pro + p_det − (p_pro − p_det)²) / n (a Wald interval); "bootstrap":
        percentile interval of ``n_boot`` multinomial resamples of the answer shares.
        Both are clipped to [−100, 100].
    n_boot : int, default 10,000
        Bootstrap resamples (1 to 1,000,000); only for ``method="bootstrap"``.
    seed : int, Generator or None
        Random seed of the bootstrap (None: not reproducible).

    Returns
    -------
    SurveyScore
        ``metric="NPS"``, in points; ``shares`` holds the promoter, passive and
        detractor shares; ``standard_error`` is the multinomial one for both methods.

    Raises
    ------
    DataError
        Scores that are not whole numbers from 0 to 10, or none at all.
    ParameterError
        ``level`` not in (0, 1), an unknown ``method``, a bad ``n_boot`` or ``seed``.

    References
    ----------
    F. F. Reichheld (2003), "The one number you need to grow", *Harvard Business
    Review* 81(12):46–54 (the score); B. Rocks (2016), "Interval estimation for the
    'net promoter score'", *The American Statistician* 70(4):365–372 (the multinomial
    variance and the Wald interval, section 2); B. Efron and R. J. Tibshirani (1993),
    *An Introduction to the Bootstrap*, Chapman & Hall, chapter 13 (the percentile
    interval).

    Examples
    --------
    >>> s = nps_score([10, 9, 9, 8, 7, 6, 3, 10, 9, 5])
    >>> round(s.estimate, 1), round(s.lower, 1), round(s.upper, 1)
    (20.0, -34.0, 74.0)
    >>> s.shares["promoters"]
    0.5
    """
    x = _scores(scores, 10)
    conf = _level(level)
    how = check_choice("method", method, _METHODS)
    n = int(x.size)
    pro = float((x >= 9).sum()) / n
    det = float((x <= 6).sum()) / n
    nps = pro - det
    se = float(np.sqrt(max(pro + det - nps**2, 0.0) / n))
    if how == "multinomial":
        z = float(stats.norm.ppf(0.5 + conf / 2))
        low, high = nps - z * se, nps + z * se
    else:
        draws = check_count("n_boot", n_boot, minimum=1, maximum=MAX_BOOT)
        rng = check_rng(seed)
        counts = rng.multinomial(n, [pro, 1 - pro - det, det], size=draws)
        boot = (counts[:, 0] - counts[:, 2]) / n
        low, high = np.quantile(boot, [0.5 - conf / 2, 0.5 + conf / 2])
    return SurveyScore(
        metric="NPS",
        estimate=100 * nps,
        lower=100 * max(float(low), -1.0),
        upper=100 * min(float(high), 1.0),
        standard_error=100 * se,
        n=n,
        level=conf,
        method=how,
        shares={"promoters": pro, "passives": 1 - pro - det, "detractors": det},
    )
