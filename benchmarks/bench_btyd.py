"""Fit time of the customer-base models, crmkit beside lifetimes, in one run.

- BG/NBD, Pareto/NBD and MBG/NBD on the full CDNOW cohort (23,570 customers, weeks
  1–39 after 1997-01-01, from ``customer_summary``);
- BG/BB on the donations of Fader, Hardie & Shang (2010) (11,104 donors, 6 years).

For each model: the wall time of the fit (best of ``--repeat`` runs, default 1), the
parameters and the log-likelihood of each library's estimate, both evaluated with
crmkit's likelihood on the same data, so that a difference is a difference of the
optimum found and not of the formula. Models that are not importable (in crmkit or
in lifetimes) are skipped.

Usage: ``python benchmarks/bench_btyd.py [--repeat K]``
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import best_time, optional, table  # noqa: E402

#: (crmkit class, lifetimes class, data set, parameter names)
MODELS = [
    ("BGNBD", "BetaGeoFitter", "cdnow", ("r", "alpha", "a", "b")),
    ("ParetoNBD", "ParetoNBDFitter", "cdnow", ("r", "alpha", "s", "beta")),
    ("MBGNBD", "ModifiedBetaGeoFitter", "cdnow", ("r", "alpha", "a", "b")),
    (
        "BGBB",
        "BetaGeoBetaBinomFitter",
        "donations",
        ("alpha", "beta", "gamma", "delta"),
    ),
]


def data_sets() -> dict[str, tuple]:
    from crmkit.datasets import load_cdnow, load_donations
    from crmkit.segmentation import customer_summary

    c = customer_summary(load_cdnow(), as_of="1997-09-30", time_unit="W")
    out = {"cdnow": (c["frequency"], c["recency"], c["T"], None)}
    try:
        d = load_donations()
    except Exception as err:  # a data set that cannot be read is reported
        print(f"(donations not loadable: {err})")
    else:
        out["donations"] = (d["frequency"], d["recency"], d["periods"], d["weights"])
    return out


def lifetimes_fit(cls, data):
    x, tx, t_obs, w = data
    if w is None:
        return cls().fit(x, tx, t_obs)
    return cls().fit(x, tx, t_obs, weights=w)


def crmkit_fit(cls, data):
    x, tx, t_obs, w = data
    return cls().fit(x, tx, t_obs, weights=w)


def main(repeat: int) -> None:
    import crmkit.clv as clv

    sets = data_sets()
    lifetimes = optional("lifetimes")
    rows = []
    for ours_name, theirs_name, which, names in MODELS:
        cls = getattr(clv, ours_name, None)
        if cls is None or which not in sets:
            print(f"(crmkit.clv.{ours_name} or its data is not available: skipped)")
            continue
        data = sets[which]
        n = int(len(data[0]) if data[3] is None else sum(data[3]))
        seconds, ours = best_time(
            lambda cls=cls, data=data: crmkit_fit(cls, data), repeat
        )
        x, tx, t_obs, w = data
        rows.append(
            {
                "model": ours_name,
                "data": f"{which} ({n:,})",
                "library": "crmkit",
                "fit (s)": f"{seconds:.2f}",
                "params": ", ".join(f"{ours.params_[k]:.4f}" for k in names),
                "log-likelihood": f"{ours.log_likelihood_:.5f}",
            }
        )
        theirs_cls = getattr(lifetimes, theirs_name, None) if lifetimes else None
        if theirs_cls is None:
            continue
        seconds, theirs = best_time(
            lambda c=theirs_cls, data=data: lifetimes_fit(c, data), repeat
        )
        p = {k: float(theirs.params_[k]) for k in names}
        their_ll = cls(params_=p).log_likelihood(x, tx, t_obs, weights=w)
        rows.append(
            {
                "model": ours_name,
                "data": f"{which} ({n:,})",
                "library": f"lifetimes {lifetimes.__version__} ({theirs_name})",
                "fit (s)": f"{seconds:.2f}",
                "params": ", ".join(f"{p[k]:.4f}" for k in names),
                "log-likelihood": f"{their_ll:.5f}",
            }
        )
    print(
        f"Customer-base models: fit time (best of {repeat}) and log-likelihood at "
        "each library's estimate (crmkit's formula, same data)"
    )
    columns = ["model", "data", "library", "fit (s)", "params", "log-likelihood"]
    print(table(rows, columns))


if __name__ == "__main__":
    k = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 1
    main(k)
