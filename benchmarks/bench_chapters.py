"""How long each chapter takes to run from top to bottom, against the 60 s goal.

Issue 16 asks that every chapter 00–10 run in under 60 s on 2 cores, so that a class can
restart a notebook during a lecture. This script executes every edition of every chapter
in a fresh kernel (``nbclient``, the engine behind ``jupyter nbconvert --execute`` and
nbval), one at a time, and prints the wall time of each beside the goal. There is no
peer library for this: the reference column is the goal itself. Nothing here asserts a
time; the tests execute the same notebooks for correctness.

Usage: ``python benchmarks/bench_chapters.py [zh|en] [NN ...]`` (default: both editions,
every chapter).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from _common import table  # noqa: E402

GOAL_S = 60.0
EDITIONS = ("zh", "en")


def run_chapter(path: Path) -> float:
    """Execute one notebook in a fresh kernel from its own folder; the wall time."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": path.parent}},
    )
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main(args: list[str]) -> int:
    editions = [e for e in EDITIONS if e in args] or list(EDITIONS)
    wanted = [a for a in args if a not in EDITIONS]
    rows = []
    for edition in editions:
        for path in sorted((ROOT / "notebooks" / edition).glob("[0-9][0-9]_*.ipynb")):
            if wanted and not any(path.stem.startswith(w) for w in wanted):
                continue
            seconds = run_chapter(path)
            rows.append(
                {
                    "edition": edition,
                    "chapter": path.stem,
                    "seconds": f"{seconds:.1f}",
                    "goal (s)": f"{GOAL_S:.0f}",
                    "within goal": "yes" if seconds < GOAL_S else "NO",
                }
            )
            print(f"{edition}/{path.stem}: {seconds:.1f} s", flush=True)
    print(table(rows, ["edition", "chapter", "seconds", "goal (s)", "within goal"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
