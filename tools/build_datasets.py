"""Rebuild the synthetic data sets and mirror the packaged data into ``datasets/``.

    python tools/build_datasets.py [NAME ...]     (what ``make data`` runs)

The packaged folder ``crmkit/datasets/data`` is the source: the loaders read it through
``importlib.resources``, so it ships in the wheel. Each synthetic file there is written
by its seeded generator (``crmkit.datasets._registry.GENERATORS``, quoted in its data
card); then every file of the folder is copied to the top-level ``datasets/`` that
students browse. ``tests/test_project.py`` checks that the two folders are identical.
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGED = ROOT / "crmkit" / "datasets" / "data"
BROWSED = ROOT / "datasets"


def build(names: list[str] | None = None) -> list[Path]:
    """Write the synthetic files (all, or those in ``names``) into the package."""
    from crmkit.datasets._crmdb import FILE_NAME as CRM_DATABASE
    from crmkit.datasets._crmdb_build import write_crm_database
    from crmkit.datasets._registry import GENERATORS

    known = [*GENERATORS, CRM_DATABASE]
    unknown = sorted(set(names or ()) - set(known))
    if unknown:
        sys.exit(f"unknown data set(s) {unknown}; choose from {sorted(known)}")
    written = []
    for name, make in GENERATORS.items():
        if names and name not in names:
            continue
        path = PACKAGED / name
        make().to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    # the CRM database: rewritten only when its content changes (SQLite bytes vary
    # with the SQLite version that writes them)
    if (not names or CRM_DATABASE in names) and write_crm_database(
        PACKAGED / CRM_DATABASE
    ):
        written.append(PACKAGED / CRM_DATABASE)
    return written


def mirror() -> list[Path]:
    """Copy every packaged file to ``datasets/`` and remove files the package lacks."""
    BROWSED.mkdir(exist_ok=True)
    copied = []
    for src in sorted(PACKAGED.iterdir()):
        if not src.is_file():
            continue
        dest = BROWSED / src.name
        if not dest.exists() or not filecmp.cmp(src, dest, shallow=False):
            shutil.copyfile(src, dest)
            copied.append(dest)
    for extra in sorted(BROWSED.iterdir()):
        if extra.is_file() and not (PACKAGED / extra.name).exists():
            extra.unlink()
            copied.append(extra)
    return copied


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tools/build_datasets.py")
    parser.add_argument("names", nargs="*", help="synthetic files to rebuild (all)")
    args = parser.parse_args(argv)
    for path in build(args.names or None):
        print(f"written: {path.relative_to(ROOT)}")
    for path in mirror():
        print(f"mirrored: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
