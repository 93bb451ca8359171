"""``python -m crmkit.datasets build [NAME ...]``: rebuild the synthetic data sets."""

from __future__ import annotations

import argparse
import sys

from crmkit.datasets._build import build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crmkit.datasets")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser(
        "build", help="regenerate the synthetic data sets in datasets/"
    )
    cmd.add_argument("names", nargs="*", help="file names to rebuild (default: all)")
    args = parser.parse_args(argv)
    for path in build(names=args.names or None):
        print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
