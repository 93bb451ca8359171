"""Write the student notebooks from the worked solutions (a repository tool).

    python tools/build_exercises.py            write every student copy that is stale
    python tools/build_exercises.py --check    write nothing; exit 1, list stale ones
    python tools/build_exercises.py --execute  first run the solutions and store the
                                               outputs nbval compares
    (``--root DIR`` names the kit's top folder; default: this clone)

The worked solutions in ``exercises/solutions/{zh,en}/`` (each an edition of a master in
``source/exercises/``, written by ``tools/editions.py``) are the source of the student
copies in ``exercises/{zh,en}/``. The rules that turn one into the other are
:func:`crmkit.exercises.make_student_notebook` (solution blocks become ``...``,
solution cells, outputs and ``# NBVAL_*`` markers go). ``make exercises`` runs this
tool with ``--execute``; ``tests/test_project.py`` checks the copies are current.

This walks the repository's folders, so it lives here and not in the installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from crmkit._validate import show
from crmkit.errors import CrmkitError, ParameterError
from crmkit.exercises import make_student_notebook

ROOT = Path(__file__).resolve().parents[1]
#: the editions, Chinese first
EDITIONS = ("zh", "en")


def check_root(root: object) -> Path:
    """``root`` as a path to a kit's top folder, the one holding
    ``exercises/solutions/``; a clear error otherwise."""
    if isinstance(root, bytes) or not isinstance(root, str | os.PathLike):
        raise ParameterError(
            f"root = {show(root)} is a {type(root).__name__}, not a folder; pass the "
            "kit's top folder as text or a Path, e.g. root='.'."
        )
    solutions = Path(root) / "exercises" / "solutions"
    if not solutions.is_dir():
        raise ParameterError(
            f"root = {show(str(root))} holds no folder exercises/solutions/; pass the "
            "kit's top folder (the clone of crmkit), e.g. root='.'."
        )
    return Path(root)


def solution_pairs(root: str | Path = ROOT) -> list[tuple[Path, Path]]:
    """(worked solution, student copy) paths of every edition."""
    root = check_root(root)
    return [
        (sol, root / "exercises" / lang / sol.name)
        for lang in EDITIONS
        for sol in sorted((root / "exercises" / "solutions" / lang).glob("*.ipynb"))
    ]


def dump(nb: dict) -> str:
    """A notebook as the kit stores it (sorted keys, indent 1, UTF-8 text)."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def build_all(root: str | Path = ROOT, *, check: bool = False) -> list[Path]:
    """Write (or with ``check=True`` only compare) every student notebook.

    Returns the student notebooks that were written, or that are out of date when
    ``check`` is true.
    """
    changed: list[Path] = []
    for sol_path, target in solution_pairs(root):
        solution = json.loads(sol_path.read_text(encoding="utf-8"))
        try:
            text = dump(make_student_notebook(solution))
        except CrmkitError as err:
            raise ParameterError(f"{sol_path}: {err}") from None
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            changed.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
    return changed


def keep_checked_outputs(nb: dict) -> dict:
    """Drop every output except those of ``# NBVAL_CHECK_OUTPUT`` cells (in place)."""
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        if "# NBVAL_CHECK_OUTPUT" not in "".join(cell["source"]):
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def execute_solutions(root: str | Path = ROOT, *, timeout: int = 600) -> list[Path]:
    """Run every solution notebook and store outputs only of ``# NBVAL_CHECK_OUTPUT``
    cells, which nbval later compares. Needs nbclient and nbformat (test extras)."""
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError:
        sys.exit(
            "executing solutions needs nbclient and nbformat: pip install -e '.[test]'"
        )
    written = []
    for path, _student in solution_pairs(root):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        )
        client.execute()
        data = keep_checked_outputs(json.loads(nbformat.writes(nb)))
        path.write_text(dump(data), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/build_exercises.py",
        description="generate exercises/{zh,en}/*.ipynb from exercises/solutions",
    )
    parser.add_argument("--root", default=str(ROOT), help="the kit's top folder")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a copy is stale"
    )
    parser.add_argument(
        "--execute",
        action="store_true",
        help="first run the solutions and store the outputs nbval compares",
    )
    args = parser.parse_args(argv)
    try:
        if args.execute and not args.check:
            for path in execute_solutions(args.root):
                print(f"executed: {path}")
        changed = build_all(args.root, check=args.check)
    except CrmkitError as err:
        print(f"build_exercises: {err}", file=sys.stderr)
        return 2
    verb = "out of date" if args.check else "written"
    for path in changed:
        print(f"{verb}: {path}")
    if not changed:
        print("student notebooks are up to date")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
