"""Smoke test of an installed crmkit wheel, run from a folder outside the clone.

    python smoke_test.py CLONE

Checks that crmkit is imported from site-packages (not from the clone), that every
loader reads its packaged data, that an exercise answer is checked, and that one
simulation runs. Uses only crmkit's runtime dependencies.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path


def main(clone: Path) -> int:
    import crmkit
    import crmkit.datasets as ds
    from crmkit.exercises import check
    from crmkit.queues import MMc, simulate

    where = Path(crmkit.__file__).resolve()
    assert clone.resolve() not in where.parents, f"imported from the clone: {where}"
    print(f"crmkit {crmkit.__version__} from {where.parent}")
    print(f"data folder: {ds.data_dir()}")
    loaders = [name for name in ds.__all__ if name.startswith("load_")]
    for name in loaders:
        frame = getattr(ds, name)()
        assert len(frame) > 0, name
        print(f"  {name}(): {len(frame):,} rows")
    sample = ds.load_cdnow(sample=True)
    assert sample["customer_id"].nunique() == 2357
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check("ch00_q1", "接触点")
    verdict = out.getvalue().strip()
    assert "passed" in verdict, verdict
    print(f"check(): {verdict}")
    model = MMc(arrival_rate=9.5, service_rate=1.0, servers=10)
    result = simulate(model, horizon=2_000.0, replications=4, seed=1)
    print(f"simulate(): {result!r}"[:200])
    print(f"smoke test passed: {len(loaders)} loaders, one check, one simulation")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
