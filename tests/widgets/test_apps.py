"""Every explorer app has a notebook for Voila, and ``make present`` lists them."""

from __future__ import annotations

import json
import subprocess
import sys

from crmkit.widgets import APPS
from tests.conftest import REPO

APPS_DIR = REPO / "notebooks" / "apps"


def test_every_app_has_a_notebook_that_builds_it():
    notebooks = {p.stem: p for p in APPS_DIR.glob("*.ipynb")}
    assert set(notebooks) == set(APPS)
    for name, path in notebooks.items():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert f'APPS["{name}"].build()' in code
        title = "".join(cells[0]["source"]).splitlines()[0]
        assert title == f"# {APPS[name].title}"


def test_present_without_an_app_lists_them():
    out = subprocess.run(
        [sys.executable, "tasks.py", "present"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name, app in APPS.items():
        assert name in out and app.title in out


def test_present_refuses_an_unknown_app():
    res = subprocess.run(
        [sys.executable, "tasks.py", "present", "nope"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode != 0 and "choose from" in res.stderr
