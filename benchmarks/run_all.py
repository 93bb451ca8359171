"""Run every benchmark script in this folder (``bench_*.py``) and print their tables.

Usage: ``python benchmarks/run_all.py [NAME ...]`` (names without ``bench_`` and
``.py``); ``make bench`` installs the peer libraries of the ``bench`` extra first. Each
script prints a table comparing crmkit with the peer library in the same run; nothing
here asserts a time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names: list[str]) -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in names]
    failed = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script)], check=False)
        print(f"({script.name}: {time.perf_counter() - start:.1f} s)", flush=True)
        failed += result.returncode != 0
    if not scripts:
        print("no benchmark matched", names)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
