"""Every explorer app has a notebook for Voila in each edition, and ``make present``
lists them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import crmkit
from crmkit.widgets import APPS
from tests.conftest import REPO

APPS_DIR = REPO / "notebooks" / "apps"
EDITIONS = ("zh", "en")


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_app_has_a_notebook_that_builds_it(edition):
    notebooks = {p.stem: p for p in (APPS_DIR / edition).glob("*.ipynb")}
    assert set(notebooks) == set(APPS)
    for name, path in notebooks.items():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert f'crmkit.set_language("{edition}")' in code
        assert f'APPS["{name}"].build()' in code
        title = "".join(cells[0]["source"]).splitlines()[0]
        with crmkit.language(edition):
            assert title == f"# {APPS[name].title}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_present_without_an_app_lists_them(edition):
    out = subprocess.run(
        [sys.executable, "tasks.py", "present"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "EDITION": edition},
    ).stdout
    with crmkit.language(edition):
        for name, app in APPS.items():
            assert name in out and app.title in out


def test_app_titles_in_both_languages():
    for app in APPS.values():
        assert app.title_en != app.title_zh
        with crmkit.language("zh"):
            assert app.title == app.title_zh
        with crmkit.language("en"):
            assert app.title == app.title_en


def test_present_refuses_an_unknown_app():
    res = subprocess.run(
        [sys.executable, "tasks.py", "present", "nope"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode != 0 and "choose from" in res.stderr
