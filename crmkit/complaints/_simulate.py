"""Simulating complaint handling: binomial and multinomial draws, or one customer at
a time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from crmkit._replication import check_rng, half_width, mean_interval
from crmkit._validate import (
    check_choice,
    check_count,
    check_real,
    check_work,
)
from crmkit.complaints._scenario import OUTCOMES, ComplaintScenario, check_scenario
from crmkit.errors import ParameterError

__all__ = ["METRICS", "ComplaintResult", "simulate"]

#: the most replications × periods × (severity classes × outcomes) one aggregate call
#: draws (about a minute on one core)
MAX_AGGREGATE_DRAWS = 1_000_000
#: the largest starting base mode="agent" follows
MAX_AGENT_CUSTOMERS = 200_000
#: the most customer-periods (summed over replications) mode="agent" follows
MAX_AGENT_CUSTOMER_PERIODS = 20_000_000
#: the largest base a simulation lets grow (word of mouth and acquisition), so counts
#: stay exact in int64
MAX_BASE = 10**15

#: per-period metrics recorded by the simulation
METRICS = (
    "customers",
    "no_problem",
    "problems",
    "complaints",
    "silent",
    "unresolved",
    "resolved",
    "resolved_quickly",
    "lost",
    "new",
    "wom_negative_mentions",
    "wom_positive_mentions",
    "revenue",
    "handling_cost",
    "compensation_cost",
    "profit",
    "satisfaction",
    "delighted",
)
#: the metrics that are not flows of a period, so :meth:`ComplaintResult.totals` does
#: not sum them over the horizon: the base at the start of a period, the customers
#: without a problem in it (a stock, counted again each period) and a share
_LEVELS = ("customers", "no_problem", "satisfaction")
#: the metrics that add up over the horizon
_FLOWS = tuple(m for m in METRICS if m not in _LEVELS)


def _check_discount(discount_rate: object) -> float:
    return check_real("discount_rate", discount_rate, low=0, high=1)


def _grown_too_large(base: int, period: int) -> ParameterError:
    return ParameterError(
        f"the customer base grew to {base:,} in period {period}, more than the "
        f"limit of {MAX_BASE:,}; lower acquisition or word_of_mouth (tells_satisfied, "
        "gain_per_mention), or shorten periods."
    )


def _tables(s: ComplaintScenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Flattened (class × outcome) probabilities, retention, and the paradox mask."""
    classes = s.classes()
    probs = s.class_outcome_probabilities().to_numpy().ravel()
    retention = np.array(
        [[cls.retention[o] for o in OUTCOMES] for cls in classes.values()]
    ).ravel()
    mild = np.array([cls.mild for cls in classes.values()])
    paradox = np.zeros((len(classes), len(OUTCOMES)), bool)
    paradox[:, OUTCOMES.index("resolved_quickly")] = mild
    return probs / probs.sum(), retention, paradox.ravel()


def _summarise(draws: np.ndarray) -> pd.DataFrame:
    """Per period and metric: mean and 95 % t-interval across replications."""
    periods = draws.shape[1]
    mean, half = mean_interval(draws, axis=0)
    idx = pd.MultiIndex.from_product(
        [range(1, periods + 1), METRICS], names=["period", "metric"]
    )
    return pd.DataFrame(
        {
            "mean": mean.ravel(),
            "ci_low": (mean - half).ravel(),
            "ci_high": (mean + half).ravel(),
        },
        index=idx,
    ).reset_index()


@dataclass(frozen=True, eq=False)
class ComplaintResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    draws : numpy.ndarray
        Replications × periods × metrics (see :data:`METRICS`).
    summary : pandas.DataFrame
        Tidy: ``period``, ``metric``, ``mean``, ``ci_low``, ``ci_high`` (95 %).
    scenario : ComplaintScenario
    history : pandas.DataFrame or None
        With ``mode="agent"``: one row per customer and period (replication 0).
    """

    draws: np.ndarray
    summary: pd.DataFrame
    scenario: ComplaintScenario
    history: pd.DataFrame | None = None

    def metric(self, name: str) -> pd.DataFrame:
        """One metric per period: ``mean``, ``ci_low``, ``ci_high``.

        ``name`` is one of :data:`METRICS`; any other value raises
        :class:`~crmkit.errors.ParameterError`.
        """
        check_choice("metric", name, METRICS)
        return self.summary[self.summary["metric"] == name].set_index("period")[
            ["mean", "ci_low", "ci_high"]
        ]

    def totals(self) -> pd.DataFrame:
        """Over the whole horizon: flows summed, customers at the end; mean and 95 %
        CI."""
        d = self.draws
        cols = {m: d[:, :, METRICS.index(m)].sum(axis=1) for m in _FLOWS}
        last = d[:, -1, :]
        cols["customers_end"] = (
            last[:, METRICS.index("customers")]
            - last[:, METRICS.index("lost")]
            + last[:, METRICS.index("new")]
        )
        frame = pd.DataFrame(cols)
        half = half_width(frame.std(ddof=1), len(frame))
        return pd.DataFrame(
            {
                "mean": frame.mean(),
                "ci_low": frame.mean() - half,
                "ci_high": frame.mean() + half,
            }
        )

    def per_replication(self, discount_rate: float = 0.01) -> pd.DataFrame:
        """Each replication's totals over the horizon, in money and customers.

        Columns: ``profit`` (summed), ``discounted_profit`` (at ``discount_rate`` per
        period, paid at each period's end), ``customer_equity`` (discounted profit plus
        the customers left at the end valued by the retention formula
        ``margin · r/(1 + d − r)`` with the scenario's mean retention r: S. Gupta,
        D. R. Lehmann and J. A. Stuart (2004), "Valuing customers", *Journal of
        Marketing Research* 41(1):7–18, the customer value with constant margin and
        retention), ``customers_end``, ``lost``, ``complaints``, ``silent``. One
        row per replication, so two scenarios run with the same seed can be compared
        run by run (common random numbers).

        ``discount_rate`` lies in [0, 1]; 0 is refused when every customer stays
        (mean retention 1), since the customers left would then be worth infinitely
        much.

        Examples
        --------
        >>> res = simulate(ComplaintScenario(customers=500, periods=3), replications=2,
        ...                seed=0)
        >>> list(res.per_replication().columns)[:3]
        ['profit', 'discounted_profit', 'customer_equity']
        """
        d = _check_discount(discount_rate)
        draws, s = self.draws, self.scenario
        idx = {m: i for i, m in enumerate(METRICS)}
        periods = draws.shape[1]
        discount = (1 + d) ** -np.arange(1, periods + 1)
        profit = draws[:, :, idx["profit"]]
        end = (
            draws[:, -1, idx["customers"]]
            - draws[:, -1, idx["lost"]]
            + draws[:, -1, idx["new"]]
        )
        r = s.mean_retention()
        if 1 + d - r <= 0:
            raise ParameterError(
                f"discount_rate = {d:g} with a mean retention of {r:g} values the "
                "customers left at the end infinitely; pass a discount_rate above "
                "zero."
            )
        terminal = end * s.margin * r / (1 + d - r) * discount[-1]
        return pd.DataFrame(
            {
                "profit": profit.sum(axis=1),
                "discounted_profit": profit @ discount,
                "customer_equity": profit @ discount + terminal,
                "customers_end": end,
                "lost": draws[:, :, idx["lost"]].sum(axis=1),
                "complaints": draws[:, :, idx["complaints"]].sum(axis=1),
                "silent": draws[:, :, idx["silent"]].sum(axis=1),
            }
        )

    def iceberg(self) -> pd.DataFrame:
        """The complaint iceberg over the horizon: for each complaint, the silent ones.

        Returns a one-row table: problems, complaints, silent dissatisfied, the share of
        problems voiced, and silent customers per complaint (about 26 at 1/27).
        """
        t = self.totals()["mean"]
        return pd.DataFrame(
            {
                "problems": [t["problems"]],
                "complaints": [t["complaints"]],
                "silent": [t["silent"]],
                "share_complaining": [
                    t["complaints"] / t["problems"] if t["problems"] else np.nan
                ],
                "silent_per_complaint": [
                    t["silent"] / t["complaints"] if t["complaints"] else np.nan
                ],
            }
        )


def _period_counts(
    out: dict[str, np.ndarray],
    counts: np.ndarray,
    n: np.ndarray,
    s: ComplaintScenario,
    delighted: np.ndarray,
) -> None:
    per_outcome = counts.reshape(counts.shape[0], -1, len(OUTCOMES)).sum(axis=1)
    names = dict(zip(OUTCOMES, per_outcome.T, strict=True))
    out["customers"] = n
    out["no_problem"] = names["no_problem"]
    for o in OUTCOMES[1:]:
        out[o] = names[o]
    out["problems"] = n - names["no_problem"]
    satisfied_outcomes = names["resolved"] + names["resolved_quickly"]
    out["complaints"] = names["unresolved"] + satisfied_outcomes
    out["revenue"] = n * s.margin
    out["handling_cost"] = out["complaints"] * s.handling_cost
    out["compensation_cost"] = satisfied_outcomes * s.compensation
    out["profit"] = out["revenue"] - out["handling_cost"] - out["compensation_cost"]
    satisfied = names["no_problem"] + satisfied_outcomes
    with np.errstate(invalid="ignore", divide="ignore"):
        out["satisfaction"] = np.where(
            n > 0,
            (satisfied + s.recovery_paradox * delighted) / np.maximum(n, 1),
            np.nan,
        )
    out["delighted"] = delighted


def _uniform(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Uniforms strictly inside (0, 1), so every quantile below is finite."""
    return rng.random(shape) + 2.0**-54


def _binomial(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial draws by inversion: ``scipy.stats.binom.ppf(u, n, p)``.

    Inversion (rather than ``Generator.binomial``) makes the draw a monotone function of
    one uniform, so two scenarios fed the same uniforms get strongly coupled counts —
    what makes common random numbers work in :func:`compare_strategies` (A. M. Law
    (2015), *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill, section 11.2,
    "Common random numbers"; the inversion method in section 8.2.1). ``p`` is clipped
    to [0, 1] against rounding in the conditional probabilities of
    :func:`_multinomial`.
    """
    u, n, p = np.broadcast_arrays(u, n, np.clip(p, 0.0, 1.0))
    return stats.binom.ppf(u, n, p).astype(np.int64)


def _multinomial(u: np.ndarray, n: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """Multinomial draws by inversion as a chain of conditional binomials.

    ``u`` has shape (reps, cells); cell k gets ``Binomial(n left, p_k / mass left)``,
    the last cell what is left. This is the standard decomposition of the multinomial
    (L. Devroye (1986), *Non-Uniform Random Variate Generation*, Springer, chapter XI,
    section 1).
    """
    left = n.astype(np.int64).copy()
    mass = 1.0
    out = np.zeros(u.shape, np.int64)
    last = int(np.flatnonzero(probs > 0)[-1])
    for k, pk in enumerate(probs):
        if pk <= 0:
            continue
        if k == last:
            out[:, k] = left
            break
        # the mass left can round to pk or below (even to zero): all of it is cell k
        out[:, k] = _binomial(u[:, k], left, 1.0 if mass <= pk else pk / mass)
        left -= out[:, k]
        mass -= pk
    return out


#: above this mean, Poisson draws use the normal approximation (the Poisson inverse of
#: ``scipy.stats.poisson.ppf``, CDFLIB's, returns NaN for means of about 1e11 and more)
_POISSON_NORMAL = 1e10


def _poisson(u: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """Poisson draws by inversion (see :func:`_binomial`):
    ``scipy.stats.poisson.ppf(u, mean)``, 0 where the mean is 0.

    Means above 1e10 use the Cornish-Fisher normal approximation with continuity
    correction, ``floor(m + √m·z + (z² − 1)/6 + ½)`` with ``z = Φ⁻¹(u)``: still a
    monotone function of ``u`` and, at a skewness of 1e-5, off by far less than one
    standard deviation (N. L. Johnson, A. W. Kemp and S. Kotz (2005), *Univariate
    Discrete Distributions*, 3rd ed., Wiley, chapter 4, the normal approximations of
    the Poisson distribution).
    """
    mean = np.maximum(np.broadcast_to(np.asarray(mean, float), u.shape), 0.0)
    big = mean > _POISSON_NORMAL
    k = stats.poisson.ppf(u, np.where(big | (mean <= 0), 1.0, mean))
    if big.any():
        z = special.ndtri(u)
        approx = np.floor(mean + np.sqrt(mean) * z + (z * z - 1) / 6 + 0.5)
        k = np.where(big, np.maximum(approx, 0), k)
    return np.where(mean > 0, k, 0).astype(np.int64)


def _word_of_mouth(
    rng: np.random.Generator,
    s: ComplaintScenario,
    out: dict[str, np.ndarray],
    reps: int,
) -> np.ndarray:
    u = _uniform(rng, (5, reps))
    acquired = _poisson(u[0], s.acquisition)
    if s.word_of_mouth is None:
        out["wom_negative_mentions"] = np.zeros(reps)
        out["wom_positive_mentions"] = np.zeros(reps)
        return acquired
    w = s.word_of_mouth
    neg = _poisson(u[1], w.tells_dissatisfied * (out["silent"] + out["unresolved"]))
    pos = _poisson(
        u[2], w.tells_satisfied * (out["resolved"] + out["resolved_quickly"])
    )
    out["wom_negative_mentions"], out["wom_positive_mentions"] = neg, pos
    lost_prospects = _binomial(u[3], neg, w.loss_per_mention)
    won = _binomial(u[4], pos, w.gain_per_mention)
    return np.maximum(acquired + won - lost_prospects, 0)


def _aggregate(s: ComplaintScenario, reps: int, rng: np.random.Generator) -> np.ndarray:
    probs, retention, paradox = _tables(s)
    fresh = np.full(reps, s.customers, dtype=np.int64)  # never had a problem
    failed = np.zeros(reps, dtype=np.int64)  # had a problem before
    no_problem = np.array(
        [o == "no_problem" for o in OUTCOMES] * (len(probs) // len(OUTCOMES))
    )
    cells = len(probs)
    draws = np.empty((reps, s.periods, len(METRICS)))
    for t in range(s.periods):
        # fresh and failed customers drawn together: rows 0..reps-1 and reps..2reps-1
        u = _uniform(rng, (2, 2 * reps, cells))
        both = _multinomial(u[0], np.concatenate((fresh, failed)), probs)
        stay = _binomial(u[1], both, retention)
        c_fresh, c_failed = both[:reps], both[reps:]  # reps × (classes·outcomes)
        stay_fresh, stay_failed = stay[:reps], stay[reps:]
        out: dict[str, np.ndarray] = {}
        counts = c_fresh + c_failed
        _period_counts(out, counts, fresh + failed, s, c_fresh[:, paradox].sum(axis=1))
        out["lost"] = (counts - stay_fresh - stay_failed).sum(axis=1)
        new = _word_of_mouth(rng, s, out, reps)
        out["new"] = new
        draws[:, t, :] = np.column_stack([out[m] for m in METRICS])
        fresh = stay_fresh[:, no_problem].sum(axis=1) + new
        failed = stay_failed.sum(axis=1) + stay_fresh[:, ~no_problem].sum(axis=1)
        base = int((fresh + failed).max())
        if base > MAX_BASE:
            raise _grown_too_large(base, t + 1)
    return draws


def _agents(
    s: ComplaintScenario,
    reps: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, pd.DataFrame]:
    probs, retention, paradox = _tables(s)
    labels = [(cls, o) for cls in s.classes() for o in OUTCOMES]
    draws = np.empty((reps, s.periods, len(METRICS)))
    history = []
    followed = 0  # customer-periods so far, bounded as the base grows
    for r in range(reps):
        ids = np.arange(s.customers)
        had_problem = np.zeros(s.customers, bool)
        next_id = s.customers
        for t in range(s.periods):
            followed += max(ids.size, 1)
            if followed > MAX_AGENT_CUSTOMER_PERIODS:
                raise ParameterError(
                    f"mode='agent' would follow more than "
                    f"{MAX_AGENT_CUSTOMER_PERIODS:,} customer-periods (the base grew "
                    f"to {ids.size:,} in period {t + 1}); use mode='aggregate', which "
                    "follows the same model, or reduce customers, periods or "
                    "replications."
                )
            cell = rng.choice(len(probs), size=ids.size, p=probs)
            stays = rng.random(ids.size) < retention[cell]
            counts = np.bincount(cell, minlength=len(probs))[None, :]
            delighted = np.array([np.sum(paradox[cell] & ~had_problem)])
            out: dict[str, np.ndarray] = {}
            _period_counts(out, counts, np.array([ids.size]), s, delighted)
            out["lost"] = np.array([np.sum(~stays)])
            new = _word_of_mouth(rng, s, out, 1)
            out["new"] = new
            draws[r, t, :] = np.column_stack([out[m] for m in METRICS])[0]
            if r == 0:
                history.append(
                    pd.DataFrame(
                        {
                            "customer_id": ids + 1,
                            "period": t + 1,
                            "severity": [labels[c][0] for c in cell],
                            "outcome": [labels[c][1] for c in cell],
                            "stayed": stays,
                        }
                    )
                )
            problem = np.array([labels[c][1] != "no_problem" for c in cell], dtype=bool)
            had_problem = (had_problem | problem)[stays]
            ids = ids[stays]
            k = int(new[0])
            if ids.size + k > MAX_AGENT_CUSTOMER_PERIODS:
                raise _grown_too_large(ids.size + k, t + 1)
            ids = np.concatenate((ids, np.arange(next_id, next_id + k)))
            had_problem = np.concatenate((had_problem, np.zeros(k, bool)))
            next_id += k
    return draws, pd.concat(history, ignore_index=True)


def simulate(
    scenario: ComplaintScenario,
    *,
    replications: int = 100,
    seed: int | np.random.Generator | None = None,
    mode: str = "aggregate",
) -> ComplaintResult:
    """Simulate a complaint scenario many times and report every count with an interval.

    ``mode="aggregate"`` (default) draws the period's outcomes of the whole base at once
    (multinomial) and who stays (binomial), vectorised over replications: a million
    customers for 24 periods and 100 replications takes about a second. Draws are made
    by inversion from uniforms, so scenarios run with the same seed share their
    randomness (common random numbers, used by :func:`compare_strategies`).
    ``mode="agent"`` follows each customer and keeps the history of the first
    replication (``result.history``): slower, for small bases, teaching and tracing.
    Both draw from the same model, so their means agree (tested).

    Parameters
    ----------
    scenario : ComplaintScenario
    replications : int, default 100
    seed : int, Generator or None
        The same seed gives the same numbers.
    mode : {"aggregate", "agent"}

    Returns
    -------
    ComplaintResult

    Raises
    ------
    ParameterError
        A bad argument, or too much work: the aggregate mode draws at most
        1,000,000 replications × periods × (severity classes × 5 outcomes) per call
        (about a minute); the agent mode follows at most 200,000 customers at the
        start and 20,000,000 customer-periods in all; no base may grow past 10**15.

    Examples
    --------
    >>> res = simulate(ComplaintScenario(), replications=50, seed=1)
    >>> round(float(res.iceberg()["silent_per_complaint"].iloc[0]))
    26
    """
    check_scenario("scenario", scenario)
    reps = check_count(
        "replications", replications, minimum=1, maximum=MAX_AGENT_CUSTOMER_PERIODS
    )
    rng = check_rng(seed)
    mode = check_choice("mode", mode, ("aggregate", "agent"))
    periods = scenario.periods
    if mode == "aggregate":
        cells = len(scenario.classes()) * len(OUTCOMES)
        check_work(
            "replications × periods × severity cells",
            reps * periods * cells,
            limit=MAX_AGGREGATE_DRAWS,
            fix=f"reduce replications ({reps:,}) or periods ({periods:,}) so that "
            f"their product times {cells} cells stays within "
            f"{MAX_AGGREGATE_DRAWS:,}",
        )
        draws, history = _aggregate(scenario, reps, rng), None
    else:
        if scenario.customers > MAX_AGENT_CUSTOMERS:
            raise ParameterError(
                f"customers = {scenario.customers:,} is too many for mode='agent' "
                f"(at most {MAX_AGENT_CUSTOMERS:,}); use mode='aggregate', which "
                "follows the same model."
            )
        check_work(
            "customers × periods × replications",
            max(scenario.customers, 1) * periods * reps,
            limit=MAX_AGENT_CUSTOMER_PERIODS,
            fix="reduce customers, periods or replications, or use "
            "mode='aggregate', which follows the same model",
        )
        draws, history = _agents(scenario, reps, rng)
    return ComplaintResult(draws, _summarise(draws), scenario, history)
