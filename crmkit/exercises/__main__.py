"""``python -m crmkit.exercises build [--check] [--root DIR]``."""

from __future__ import annotations

import argparse
import sys

from crmkit.exercises._build import build_all, execute_solutions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmkit.exercises")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser(
        "build", help="generate exercises/*.ipynb from exercises/solutions"
    )
    build.add_argument("--root", default=".", help="the kit's top folder (default: .)")
    build.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a copy is out of date",
    )
    build.add_argument(
        "--execute",
        action="store_true",
        help="first run the solutions and store the outputs nbval compares",
    )
    args = parser.parse_args(argv)
    if args.execute and not args.check:
        for path in execute_solutions(args.root):
            print(f"executed: {path}")
    changed = build_all(args.root, check=args.check)
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path}")
    if not changed:
        print("student notebooks are up to date")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
