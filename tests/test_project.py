"""The kit's layout, install files, notebooks and data cards stay consistent."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
import yaml
from packaging.requirements import Requirement

from tests.conftest import REPO
from tests.test_exercises import build_tool

EDITIONS = ("zh", "en")
NOTEBOOK_DIRS = [
    f"{folder}/{lang}"
    for folder in (
        "notebooks",
        "notebooks/apps",
        "notebooks/research",
        "notebooks/cases",
        "exercises",
        "exercises/solutions",
    )
    for lang in EDITIONS
]
MASTER_DIRS = [
    "source/notebooks",
    "source/apps",
    "source/research",
    "source/cases",
    "source/exercises",
]
CHAPTERS = sorted(
    p for lang in EDITIONS for p in (REPO / "notebooks" / lang).glob("[0-9]*.ipynb")
)

# conda-forge names that differ from PyPI names
CONDA_NAMES = {"dask[distributed]": "distributed"}


def _all_notebooks() -> list[Path]:
    return sorted(
        p for d in NOTEBOOK_DIRS + MASTER_DIRS for p in (REPO / d).glob("*.ipynb")
    )


def _code_cells(nb: dict) -> list[dict]:
    """Code cells, without the edition cell that selects the language."""
    return [
        c
        for c in nb["cells"]
        if c["cell_type"] == "code" and "edition" not in c["metadata"].get("tags", [])
    ]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_layout_exists():
    for path in [
        "notebooks",
        "crmkit",
        "datasets",
        "exercises",
        "exercises/solutions",
        "notebooks/zh",
        "notebooks/en",
        "source",
        "tests",
        "benchmarks",
        "environment.yml",
        "README.md",
        "pyproject.toml",
        ".ci/run",
        "Makefile",
    ]:
        assert (REPO / path).exists(), f"{path} is missing"


def _conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge", "nodefaults"]
    reqs: dict[str, str] = {}
    pip_lines: list[str] = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_lines.extend(dep.get("pip", []))
            continue
        req = Requirement(dep.replace(" ", ""))
        reqs[_norm(req.name)] = str(req.specifier)
    assert "-e ." in pip_lines, (
        "environment.yml must install the kit with `pip install -e .`"
    )
    return reqs


def test_environment_yml_agrees_with_pyproject():
    project = _pyproject()["project"]
    wanted = list(project["dependencies"]) + list(
        project["optional-dependencies"]["lab"]
    )
    expected = {}
    for line in wanted:
        req = Requirement(line)
        name = CONDA_NAMES.get(f"{req.name}[{','.join(sorted(req.extras))}]", req.name)
        expected[_norm(name)] = str(req.specifier)
    conda = _conda_requirements()
    conda.pop("python", None)
    conda.pop("pip", None)
    assert conda == expected, (
        "environment.yml and pyproject.toml (runtime + lab) disagree: "
        f"only in environment.yml {sorted(set(conda) - set(expected))}, "
        f"only in pyproject {sorted(set(expected) - set(conda))}, different versions "
        f"{sorted(k for k in set(conda) & set(expected) if conda[k] != expected[k])}"
    )


def test_python_requirement_agrees():
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    py = [
        d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")
    ]
    assert py == [f"python{_pyproject()['project']['requires-python']}"]


def test_peer_libraries_stay_out_of_runtime():
    runtime = {
        _norm(Requirement(r).name) for r in _pyproject()["project"]["dependencies"]
    }
    assert not runtime & {"pyworkforce", "ciw", "simpy", "lifetimes", "pymcdm"}


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make lab" in readme and "make test" in readme
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.MULTILINE)


def _id(path: Path) -> str:
    return "/".join(path.relative_to(REPO).parts)


@pytest.mark.parametrize("path", _all_notebooks(), ids=_id)
def test_notebook_has_no_magics_or_installs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for line in "".join(cell["source"]).splitlines():
            stripped = line.strip()
            if stripped == "%matplotlib inline":
                continue
            assert not stripped.startswith(("%", "!")), (
                f"{path.name}: magic {stripped!r}"
            )
            assert "get_ipython(" not in stripped, f"{path.name}: {stripped!r}"
            assert "pip install" not in stripped, f"{path.name}: {stripped!r}"


@pytest.mark.parametrize("path", _all_notebooks(), ids=_id)
def test_notebook_conventions(path: Path):
    assert re.fullmatch(r"[a-z0-9_]+\.ipynb", path.name), "ASCII snake_case file names"
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = _code_cells(nb)
    assert code, "a notebook with no code"
    first = "".join(code[0]["source"])
    assert "set_style(" in first, (
        "the first code cell calls crmkit.plotting.set_style()"
    )
    if "solutions" not in path.parts:
        assert all(not c.get("outputs") for c in code), (
            "store outputs only in solutions"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=_id)
def test_chapter_notebook_has_goals_and_summary(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    goals, summary = (
        ("学习目标", "小结")
        if path.parent.name == "zh"
        else ("Learning goals", "Summary")
    )
    assert goals in text[0] or goals in text[1]
    assert re.search(r"[\u4e00-\u9fff]", text[0]), "the title carries the Chinese title"
    tail = "\n".join(text[-2:])
    assert summary in tail and "exercises/" in tail


@pytest.mark.parametrize("path", CHAPTERS, ids=_id)
def test_chapter_notebook_presents_as_slides(path: Path):
    """RISE and ``make slides`` read each cell's slide type: sections start slides,
    the imports are skipped, and the deck has a slide per section."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    kinds = [c["metadata"].get("slideshow", {}).get("slide_type") for c in cells]
    assert None not in kinds, "every cell carries slide metadata"
    assert kinds[0] == "slide"
    first_code = next(i for i, c in enumerate(cells) if c["cell_type"] == "code")
    assert kinds[first_code] == "skip"
    for cell, kind in zip(cells, kinds, strict=True):
        heading = "".join(cell["source"]).startswith(("# ", "## "))
        if cell["cell_type"] == "markdown" and heading:
            assert kind == "slide"
    assert kinds.count("slide") >= 5


def test_student_notebooks_are_up_to_date():
    stale = build_tool().build_all(REPO, check=True)
    assert not stale, f"regenerate with `make exercises`: {[p.name for p in stale]}"


@pytest.mark.parametrize("lang", EDITIONS)
def test_every_solution_has_a_student_copy(lang):
    solutions = {p.name for p in (REPO / "exercises/solutions" / lang).glob("*.ipynb")}
    students = {p.name for p in (REPO / "exercises" / lang).glob("*.ipynb")}
    assert solutions and solutions == students


def test_every_data_file_has_a_card():
    data = REPO / "datasets"
    files = [p for p in data.iterdir() if p.is_file() and p.suffix != ".md"]
    assert files
    for path in files:
        card = data / f"{path.stem}.md"
        assert card.exists(), f"{path.name} has no data card {card.name}"
        text = card.read_text(encoding="utf-8")
        for heading in (
            "Source",
            "Licence",
            "Columns",
            "How it was made",
            "In the course",
        ):
            assert re.search(rf"^#+ .*{heading}", text, re.MULTILINE | re.IGNORECASE), (
                f"{card.name} lacks a '{heading}' section"
            )
        if path.suffix == ".csv":
            for column in pd.read_csv(path, nrows=0).columns:
                assert f"`{column}`" in text, (
                    f"{card.name} does not describe `{column}`"
                )


def test_no_real_data_copied_into_the_kit():
    # Only the CDNOW files may be shipped; the others stay in ../shared/data.
    names = {p.name for p in (REPO / "datasets").iterdir()}
    for forbidden in ("anonymous_bank", "cfpb_complaints_sample", "nyc311"):
        assert not any(forbidden in n for n in names)
