#!/usr/bin/env python3
"""The kit's single entry point; ``make`` targets call it, and it runs without make too.

    python3 tasks.py lab [JUPYTER ARGS]     create .venv, install with the lab extras,
    open the course python3 tasks.py test [PYTEST ARGS]     install the test extras into
    .venv and run every test python3 tasks.py lint | exercises | data | bench | present
    [APP] | slides | book

Only the Python standard library is used here, so a machine with nothing but Python
3.11+ can run it. Installs are repeated only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

LINT_PATHS = ["crmkit", "tests", "benchmarks", "notebooks", "exercises", "tasks.py"]


def say(text: str) -> None:
    print(f"[crmkit] {text}", flush=True)


def run(*args: str | Path, **kwargs) -> None:
    cmd = [str(a) for a in args]
    result = subprocess.run(cmd, cwd=ROOT, check=False, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - runs before anything is installed
        sys.exit(
            "crmkit needs Python 3.11 or newer; run this with python3.11 (or newer)."
        )
    if PY.exists():
        return
    say(f"creating the virtual environment {VENV}")
    try:
        venv.EnvBuilder(with_pip=True).create(VENV)
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(VENV, ignore_errors=True)
        sys.exit(
            f"could not create {VENV} ({exc}). On Debian/Ubuntu install the venv "
            "module first: sudo apt-get install python3-venv"
        )
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")


def ensure_installed(extras: str) -> None:
    """Install the kit (editable) with ``extras`` unless pyproject.toml is unchanged."""
    ensure_venv()
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".crmkit-installed-{extras.replace(',', '-')}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(
        f"installing crmkit with the [{extras}] extras into {VENV} "
        "(a few minutes the first time)"
    )
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(digest)


def lab(args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "-m", "jupyter", "lab", "notebooks/00_course_map.ipynb", *args)


def test(args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)
    # two workers by default (the machine has two cores); each notebook stays on one
    # worker
    run(PY, "-m", "pytest", *(args or ["-n", "2"]))


def lint(_args: list[str]) -> None:
    ensure_installed("lab,test")
    run(PY, "-m", "ruff", "check", *LINT_PATHS)


def exercises(_args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "-m", "crmkit.exercises", "build", "--execute")


def data(_args: list[str]) -> None:
    ensure_installed("lab")
    run(PY, "-m", "crmkit.datasets", "build")


def bench(args: list[str]) -> None:
    ensure_installed("lab,bench")
    run(PY, "benchmarks/run_all.py", *args)


TASKS = {
    "lab": lab,
    "test": test,
    "lint": lint,
    "exercises": exercises,
    "data": data,
    "bench": bench,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in TASKS:
        print(__doc__)
        sys.exit(0 if not argv else 2)
    TASKS[argv[0]](argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
