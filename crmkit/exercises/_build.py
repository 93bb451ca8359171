"""Generate student notebooks from worked solutions.

The worked solutions in ``exercises/solutions/{zh,en}/`` (each an edition of a
master in ``source/exercises/``, see ``tools/editions.py``) are the source of the
student copies in ``exercises/{zh,en}/``. A student copy is made by:

- replacing every ``# BEGIN SOLUTION`` … ``# END SOLUTION`` block with ``...`` (kept at
  the block's indentation), and every line ending in ``# SOLUTION`` with ``...`` (an
  assignment keeps its left-hand side: ``x = f(y)  # SOLUTION`` becomes ``x = ...``);
- dropping cells tagged ``solution`` (worked explanations);
- removing outputs, execution counts and ``# NBVAL_*`` markers.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

__all__ = [
    "EDITIONS",
    "build_all",
    "execute_solutions",
    "make_student_notebook",
    "solution_pairs",
    "student_source",
]

_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_LINE = re.compile(
    r"^(?P<indent>\s*)(?:(?P<lhs>[\w.,\s\[\]'\"]+?)\s*=(?!=))?.*#\s*SOLUTION\s*$"
)
_NBVAL = re.compile(r"^\s*#\s*NBVAL_\w+\s*$")


def student_source(source: str) -> str:
    """Return a code cell's source with its solution parts replaced by ``...``.

    Examples
    --------
    >>> src = "x = 1\\n# BEGIN SOLUTION\\ny = x + 1\\n# END SOLUTION\\n"
    >>> print(student_source(src))
    x = 1
    ...
    <BLANKLINE>
    >>> student_source("rate = 3 / 60  # SOLUTION")
    'rate = ...'
    """
    out: list[str] = []
    inside = False
    for line in source.splitlines(keepends=True):
        if inside:
            if _END.match(line):
                inside = False
            continue
        begin = _BEGIN.match(line)
        if begin:
            inside = True
            out.append(f"{begin['indent']}...\n")
            continue
        single = _LINE.match(line)
        if single:
            lhs = single["lhs"]
            newline = "\n" if line.endswith("\n") else ""
            out.append(
                f"{single['indent']}{lhs.strip()} = ...{newline}"
                if lhs
                else f"{single['indent']}...{newline}"
            )
            continue
        if _NBVAL.match(line):
            continue
        out.append(line)
    if inside:
        raise ValueError("a '# BEGIN SOLUTION' block has no '# END SOLUTION'")
    return "".join(out)


def make_student_notebook(solution: dict) -> dict:
    """Return the student copy of a solution notebook (a dict in nbformat 4 layout)."""
    nb = copy.deepcopy(solution)
    cells = []
    for cell in nb["cells"]:
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "code":
            src = (
                cell["source"]
                if isinstance(cell["source"], str)
                else "".join(cell["source"])
            )
            cell["source"] = student_source(src).splitlines(keepends=True)
            cell["outputs"] = []
            cell["execution_count"] = None
        cells.append(cell)
    nb["cells"] = cells
    return nb


#: the editions, Chinese first
EDITIONS = ("zh", "en")


def solution_pairs(root: str | Path = ".") -> list[tuple[Path, Path]]:
    """(worked solution, student copy) paths of every edition."""
    root = Path(root)
    return [
        (sol, root / "exercises" / lang / sol.name)
        for lang in EDITIONS
        for sol in sorted((root / "exercises" / "solutions" / lang).glob("*.ipynb"))
    ]


def _dump(nb: dict) -> str:
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def build_all(root: str | Path = ".", *, check: bool = False) -> list[Path]:
    """Write (or with ``check=True`` only compare) every student notebook.

    Returns the student notebooks that were written, or that are out of date when
    ``check`` is true.
    """
    changed: list[Path] = []
    for sol_path, target in solution_pairs(root):
        solution = json.loads(sol_path.read_text(encoding="utf-8"))
        text = _dump(make_student_notebook(solution))
        target.parent.mkdir(parents=True, exist_ok=True)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            changed.append(target)
            if not check:
                target.write_text(text, encoding="utf-8")
    return changed


def _keep_checked_outputs(nb: dict) -> dict:
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] != "code":
            continue
        src = (
            cell["source"]
            if isinstance(cell["source"], str)
            else "".join(cell["source"])
        )
        if "# NBVAL_CHECK_OUTPUT" not in src:
            cell["outputs"] = []
            cell["execution_count"] = None
    return nb


def execute_solutions(root: str | Path = ".", *, timeout: int = 600) -> list[Path]:
    """Run every solution notebook and store outputs only of ``# NBVAL_CHECK_OUTPUT``
    cells.

    nbval later compares exactly those outputs. Needs ``nbclient`` (installed with the
    lab and test extras).
    """
    try:
        import nbformat
        from nbclient import NotebookClient
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "executing solutions needs nbclient and nbformat: pip install -e '.[test]'"
        ) from exc
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
        data = _keep_checked_outputs(json.loads(nbformat.writes(nb)))
        path.write_text(_dump(data), encoding="utf-8")
        written.append(path)
    return written
