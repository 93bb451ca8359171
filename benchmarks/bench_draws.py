"""Binomial and Poisson draws by inversion: scipy.stats against the hand-written path.

The complaint simulation (:mod:`crmkit.complaints`) draws every count by inversion of
one uniform, so that scenarios run with the same seed share their randomness (common
random numbers). Until issue 14 crmkit inverted the CDFs by hand: ``ceil`` of CDFLIB's
inverse in ``k`` (``scipy.special.bdtrik`` / ``pdtrik``), stepped down one count where
the CDF (``bdtr`` / ``pdtr``) already reaches ``u``, with a shortcut for draws of 0.
Now it calls ``scipy.stats.binom.ppf`` and ``scipy.stats.poisson.ppf``. This script
times both paths in the same run on the same uniforms and counts where the draws
differ:

1. single calls on random inputs (``n`` or the mean drawn up to the size shown);
2. whole simulations (the hand-written path swapped in for the "before" column);
3. where the binomial draws differ (large ``n``), which of the two is the quantile
   (the smallest ``k`` with CDF(k) >= u): the CDF at the smaller draw, summed term
   by term.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from scipy import special

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import best_time, table

from crmkit.complaints import ComplaintScenario, WordOfMouth, simulate
from crmkit.complaints import _simulate as engine


def hand_binomial(u: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """crmkit's hand-written binomial inversion before issue 14, verbatim."""
    u, n, p = np.broadcast_arrays(u, n, np.clip(p, 0.0, 1.0))
    out = np.where(p >= 1, n, 0).astype(np.float64)
    open_ = (n > 0) & (p > 0) & (p < 1)
    with np.errstate(divide="ignore"):
        zero = np.exp(n * np.log1p(-np.where(open_, p, 0.0)))
    need = open_ & (u > zero)
    if need.any():
        un, nn, pn = u[need], n[need], p[need]
        k = np.clip(np.nan_to_num(np.ceil(special.bdtrik(un, nn, pn)), nan=0.0), 0, nn)
        lower = np.maximum(k - 1, 0)
        out[need] = np.where((k > 0) & (special.bdtr(lower, nn, pn) >= un), lower, k)
    return out.astype(np.int64)


def hand_poisson(u: np.ndarray, mean: np.ndarray | float) -> np.ndarray:
    """crmkit's hand-written Poisson inversion before issue 14, verbatim."""
    mean = np.maximum(np.broadcast_to(np.asarray(mean, float), u.shape), 0.0)
    big = mean > engine._POISSON_NORMAL
    exact = np.where(big, 1.0, mean)
    k = np.nan_to_num(np.ceil(special.pdtrik(u, np.maximum(exact, 1e-300))), nan=0.0)
    k = np.maximum(k, 0)
    lower = np.maximum(k - 1, 0)
    k = np.where((k > 0) & (special.pdtr(lower, exact) >= u), lower, k)
    if big.any():
        z = special.ndtri(u)
        approx = np.floor(mean + np.sqrt(mean) * z + (z * z - 1) / 6 + 0.5)
        k = np.where(big, np.maximum(approx, 0), k)
    return np.where(mean > 0, k, 0).astype(np.int64)


def binomial_inputs(size: int, n_max: int, seed: int = 0):
    """Uniforms, counts and probabilities, with p = 0, p = 1, tiny p and n = 0 mixed
    in."""
    rng = np.random.default_rng(seed)
    u = engine._uniform(rng, (size,))
    n = rng.integers(0, n_max, size)
    p = rng.random(size)
    p[::7], p[::11] = 0.0, 1.0
    p[::13] = rng.random(p[::13].size) * 1e-6
    n[::17] = 0
    return u, n, p


def poisson_inputs(size: int, mean_max: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    mean = rng.random(size) * mean_max
    mean[::9] = 0.0
    return engine._uniform(rng, (size,)), mean


def differ(a: np.ndarray, b: np.ndarray) -> str:
    bad = int(np.count_nonzero(a != b))
    return "yes" if bad == 0 else f"no: {bad:,} of {a.size:,} differ"


def single_calls() -> list[dict[str, str]]:
    cases = [
        ("binomial", "n < 1,000", 200_000, lambda: binomial_inputs(200_000, 1_000)),
        ("binomial", "n < 10**6", 200_000, lambda: binomial_inputs(200_000, 10**6)),
        ("binomial", "n < 10**8", 20_000, lambda: binomial_inputs(20_000, 10**8)),
        ("Poisson", "mean < 1,000", 100_000, lambda: poisson_inputs(100_000, 1e3)),
        ("Poisson", "mean < 10**6", 10_000, lambda: poisson_inputs(10_000, 1e6)),
    ]
    rows = []
    for kind, sizes, count, make in cases:
        args = make()
        hand, lib = (
            (hand_binomial, engine._binomial)
            if kind == "binomial"
            else (hand_poisson, engine._poisson)
        )
        t_hand, a = best_time(lambda h=hand, x=args: h(*x))
        t_lib, b = best_time(lambda f=lib, x=args: f(*x))
        rows.append(
            {
                "draws": f"{kind}, {sizes}",
                "calls": f"{count:,}",
                "hand-written s": f"{t_hand:.3f}",
                "scipy.stats ppf s": f"{t_lib:.3f}",
                "speed-up": f"{t_hand / t_lib:.2f}x",
                "identical": differ(a, b),
            }
        )
    return rows


SCENARIOS = {
    "1,000,000 customers × 24 periods × 100 reps": (
        ComplaintScenario(customers=1_000_000, periods=24),
        100,
    ),
    "10,000 × 24 × 200, word of mouth": (
        ComplaintScenario(
            customers=10_000, periods=24, word_of_mouth=WordOfMouth(), acquisition=150
        ),
        200,
    ),
    "10**12 customers × 4 periods × 20 reps": (
        ComplaintScenario(customers=10**12, periods=4),
        20,
    ),
}


def whole_simulations() -> list[dict[str, str]]:
    rows = []
    library = engine._binomial, engine._poisson
    for label, (scenario, reps) in SCENARIOS.items():

        def run(s=scenario, r=reps):
            return simulate(s, replications=r, seed=0).draws

        engine._binomial, engine._poisson = hand_binomial, hand_poisson
        try:
            t_hand, a = best_time(run, repeat=2)
        finally:
            engine._binomial, engine._poisson = library
        t_lib, b = best_time(run, repeat=2)
        rows.append(
            {
                "simulate()": label,
                "hand-written s": f"{t_hand:.3f}",
                "scipy.stats ppf s": f"{t_lib:.3f}",
                "speed-up": f"{t_hand / t_lib:.2f}x",
                "identical": differ(a, b),
            }
        )
    return rows


def summed_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), as a compensated sum (``math.fsum``) of the
    probabilities within 40 standard deviations below ``k``, each from log-gamma
    functions: accurate to about 1e-8 here, far finer than the gaps it decides."""
    sd = math.sqrt(n * p * (1 - p))
    j = np.arange(max(0, int(k - 40 * sd) - 10), k + 1, dtype=float)
    log_pmf = (
        special.gammaln(n + 1)
        - special.gammaln(j + 1)
        - special.gammaln(n - j + 1)
        + j * math.log(p)
        + (n - j) * math.log1p(-p)
    )
    return math.fsum(np.exp(log_pmf).tolist())


def who_is_right(cases: int = 4) -> list[dict[str, str]]:
    u, n, p = binomial_inputs(20_000, 10**7, seed=1)
    a, b = hand_binomial(u, n, p), engine._binomial(u, n, p)
    rows = []
    for i in np.flatnonzero(a != b)[:cases]:
        low = int(min(a[i], b[i]))
        gap = summed_cdf(low, int(n[i]), float(p[i])) - float(u[i])
        rows.append(
            {
                "u": f"{u[i]:.6f}",
                "n": f"{int(n[i]):,}",
                "p": f"{p[i]:.4f}",
                "hand-written": f"{a[i]:,}",
                "binom.ppf": f"{b[i]:,}",
                "CDF(smaller) - u": f"{gap:.2e}",
                "quantile": f"{low if gap >= 0 else low + 1:,}",
            }
        )
    return rows


def main() -> None:
    print("single calls (best of 3)")
    rows = single_calls()
    print(table(rows, list(rows[0])))
    print("\nwhole simulations, seed 0 (best of 2)")
    rows = whole_simulations()
    print(table(rows, list(rows[0])))
    rows = who_is_right()
    if rows:
        print("\nwhere binomial draws differ (n < 10**7): which is the quantile")
        print(table(rows, list(rows[0])))


if __name__ == "__main__":
    main()
