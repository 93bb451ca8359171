"""Student copies of worked solutions: pure transforms of a notebook's cells.

A student copy is made from a worked solution by:

- replacing every ``# BEGIN SOLUTION`` … ``# END SOLUTION`` block with ``...`` (kept at
  the block's indentation), and every line ending in ``# SOLUTION`` with ``...`` (an
  assignment keeps its left-hand side: ``x = f(y)  # SOLUTION`` becomes ``x = ...``);
- dropping cells tagged ``solution`` (worked explanations);
- removing outputs, execution counts and ``# NBVAL_*`` markers.

These functions read and write nothing: they take a cell's source or a notebook (a dict
in nbformat 4 layout, as ``json.load`` returns it) and return the student's version, so
an instructor can make student copies of exercises of their own. The kit's own copies
are written by the repository tool ``tools/build_exercises.py``.

Examples
--------
>>> student_source("answer = model.perceived(6.0)  # SOLUTION")
'answer = ...'
"""

from __future__ import annotations

import copy
import re

from crmkit._validate import show
from crmkit.errors import ParameterError

__all__ = ["make_student_notebook", "student_source"]

_BEGIN = re.compile(r"^(?P<indent>\s*)# BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*# END SOLUTION\s*$")
_LINE = re.compile(
    r"^(?P<indent>\s*)(?:(?P<lhs>[\w.,\s\[\]'\"]+?)\s*=(?!=))?.*#\s*SOLUTION\s*$"
)
_NBVAL = re.compile(r"^\s*#\s*NBVAL_\w+\s*$")


def _placeholder(line: str, single: re.Match[str]) -> str:
    """The student's line for a line ending in ``# SOLUTION``."""
    lhs = single["lhs"]
    newline = "\n" if line.endswith("\n") else ""
    if lhs:
        return f"{single['indent']}{lhs.strip()} = ...{newline}"
    return f"{single['indent']}...{newline}"


def student_source(source: str) -> str:
    """Return a code cell's source with its solution parts replaced by ``...``.

    Parameters
    ----------
    source : str
        The cell's source as one text (join a list of lines with ``"".join``).

    Raises
    ------
    ParameterError
        If ``source`` is not text, or a ``# BEGIN SOLUTION`` block is not closed.

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
    if not isinstance(source, str):
        raise ParameterError(
            f"source = {show(source)} is a {type(source).__name__}, not text; pass a "
            "code cell's source as one str (join a list of lines with ''.join(lines))."
        )
    out: list[str] = []
    inside = False
    for line in source.splitlines(keepends=True):
        if inside:
            inside = not _END.match(line)
            continue
        begin = _BEGIN.match(line)
        single = _LINE.match(line)
        if begin:
            inside = True
            out.append(f"{begin['indent']}...\n")
        elif single:
            out.append(_placeholder(line, single))
        elif not _NBVAL.match(line):
            out.append(line)
    if inside:
        raise ParameterError(
            "source has a '# BEGIN SOLUTION' block with no '# END SOLUTION'; add the "
            "closing marker line after the block."
        )
    return "".join(out)


def _cell_source(cell: object, where: str) -> str:
    """A checked cell's source as one text."""
    if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
        raise ParameterError(
            f"solution {where} = {show(cell)} is not a notebook cell (a dict with a "
            "'cell_type'); pass a notebook as json.load reads an .ipynb file."
        )
    if not isinstance(cell.get("metadata", {}), dict):
        raise ParameterError(
            f"solution {where} has metadata = {show(cell['metadata'])}, not a dict; "
            "pass a notebook as json.load reads an .ipynb file."
        )
    source = cell.get("source")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if not isinstance(source, str):
        raise ParameterError(
            f"solution {where} has source = {show(source)}, not text or a list of "
            "lines; pass a notebook as json.load reads an .ipynb file."
        )
    return source


def _check_notebook(solution: object) -> list:
    if not isinstance(solution, dict) or not isinstance(solution.get("cells"), list):
        raise ParameterError(
            f"solution = {show(solution)} is not a notebook (a dict with a list of "
            "'cells', nbformat 4); pass json.load(open('….ipynb', encoding='utf-8'))."
        )
    return solution["cells"]


def make_student_notebook(solution: dict) -> dict:
    """Return the student copy of a solution notebook (a dict in nbformat 4 layout).

    The solution itself is not changed.

    Examples
    --------
    >>> solution = {"cells": [
    ...     {"cell_type": "code", "source": ["x = 2 * 3  # SOLUTION"], "metadata": {},
    ...      "outputs": [], "execution_count": 1},
    ...     {"cell_type": "markdown", "source": "why", "metadata": {"tags": ["solution"]}},
    ... ]}
    >>> make_student_notebook(solution)["cells"]
    [{'cell_type': 'code', 'source': ['x = ...'], 'metadata': {}, 'outputs': [], 'execution_count': None}]
    """  # noqa: E501
    cells = _check_notebook(solution)
    sources = [_cell_source(cell, f"cell {i}") for i, cell in enumerate(cells)]
    nb = copy.deepcopy(solution)
    kept = []
    for cell, source in zip(nb["cells"], sources, strict=True):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "code":
            cell["source"] = student_source(source).splitlines(keepends=True)
            cell["outputs"] = []
            cell["execution_count"] = None
        kept.append(cell)
    nb["cells"] = kept
    return nb
