"""``make lab`` as a student meets it: JupyterLab opens the bilingual course map; the
Chinese edition's course map runs, its glossary widget (with Chinese labels) answers a
search typed in Chinese, and no character is drawn as a missing glyph.

The server is started through ``tasks.py lab`` (what ``make lab`` runs) with
``--no-browser``, so the test also checks that the URL is printed. Settings and
workspaces go to a temporary folder so that nothing on the machine is changed.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import crmkit
from crmkit.widgets import glossary_explorer
from tests.browser.conftest import (
    ARTIFACTS,
    free_port,
    missing_glyphs,
    shown_in_python,
    wait_for_port,
    wait_until_shown,
)
from tests.conftest import REPO

COURSE_MAP_ZH = "notebooks/zh/00_course_map.ipynb"

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/lab\S*")


def _settings(folder: Path) -> None:
    """No autosave (the test must not rewrite the course map), no news, no kernel dialog."""
    for plugin, values in {
        "docmanager-extension/plugin": {"autosave": False},
        "apputils-extension/notification": {"fetchNews": "false"},
        # join the session opened through the REST API without asking; a "Select
        # Kernel" dialog would otherwise cover the menus if the page misses it
        "notebook-extension/tracker": {"autoStartDefaultKernel": True},
    }.items():
        path = folder / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def _start_lab(tmp: Path, port: int, token: str, log_path: Path) -> subprocess.Popen:
    _settings(tmp / "settings")
    env = {
        **os.environ,
        "VENV": sys.prefix,  # the environment the tests run in
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "tasks.py",
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
        ],
        cwd=REPO,
        env=env,
        stdout=log_path.open("w", encoding="utf-8"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _printed_url(proc: subprocess.Popen, log_path: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = URL.search(log_path.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(0)
        if proc.poll() is not None:
            pytest.fail(f"make lab exited with {proc.returncode}; see {log_path}")
        time.sleep(0.3)
    pytest.fail(f"make lab printed no URL within {timeout:.0f} s; see {log_path}")


def _open_session(port: int, token: str, path: str) -> None:
    """Start the notebook's session and kernel through the REST API; the page joins it.

    Left to itself, a freshly opened JupyterLab may start a kernel, replace it a moment
    later and keep waiting on the first one when the machine is busy (seen in CI with
    two test workers). The kernel reports "starting" until a client talks to it, so the
    page's own kernel indicator is what the test waits for.
    """
    body = {
        "path": path,
        "type": "notebook",
        "name": Path(path).name,
        "kernel": {"name": "python3"},
    }
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/sessions",
        json.dumps(body).encode(),
        {"Authorization": f"token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with direct.open(request, timeout=60) as answer:
        assert json.load(answer)["kernel"]["id"]


def test_make_lab_opens_the_course_map_with_a_working_widget(browser, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "lab.log"
    port, token = free_port(), "crmkit-test-token"
    proc = _start_lab(tmp_path, port, token, log_path)
    try:
        url = _printed_url(proc, log_path, timeout=300)
        # a token passed in is printed masked ("token=..."); a generated one in full
        assert url.startswith(
            f"http://127.0.0.1:{port}/lab/tree/notebooks/index.ipynb"
        ), url

        # the URL is printed before the server's event loop binds the port
        wait_for_port(proc, port, "make lab", str(log_path), timeout=120)
        _open_session(port, token, COURSE_MAP_ZH)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # should a kernel dialog still appear, accept the preferred kernel
        page.add_locator_handler(
            page.locator(".jp-Dialog").filter(has_text="Select Kernel"),
            lambda dialog: dialog.get_by_role("button", name="Select").click(),
        )
        try:
            page.goto(
                f"http://127.0.0.1:{port}/lab/tree/{COURSE_MAP_ZH}?token={token}",
                timeout=120_000,
            )
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            # the kernel must be up before the cells are run
            page.wait_for_selector(
                ".jp-NotebookPanel-toolbar [data-status='idle']", timeout=120_000
            )
            search = page.get_by_placeholder("用中文或英文搜索", exact=False)
            _run_all_cells(page, search)
            with crmkit.language("zh"):
                reference = glossary_explorer()
                everything = shown_in_python(reference)
                wait_until_shown(page, everything)  # every term at first
                search.fill("接触点")
                reference.controls["query"].value = "接触点"
                expected = shown_in_python(reference)
            assert expected["matches"] != everything["matches"]
            assert "找到" in expected["matches"]  # the widget speaks Chinese
            wait_until_shown(page, expected)
            # the self-check below the widget ran and answered, in Chinese (the
            # answer is still the placeholder ..., so it says "not answered yet")
            page.locator(".jp-OutputArea-output", has_text="尚未作答").first.wait_for(
                timeout=60_000
            )
            glyphs = missing_glyphs(page, ".jp-Notebook")
            assert glyphs["chars"] > 20 and glyphs["missing"] == [], glyphs
            page.screenshot(path=str(ARTIFACTS / "lab_course_map_zh.png"))
            # the page make lab opens (its printed URL): the bilingual map, linking
            # the zh edition first; in a workspace of its own, so that it does not
            # join the course map's tabs
            index = browser.new_page(viewport={"width": 1400, "height": 1000})
            index.goto(
                f"http://127.0.0.1:{port}/lab/workspaces/index/tree/notebooks/"
                f"index.ipynb?token={token}",
                timeout=120_000,
            )
            index.locator(".jp-RenderedMarkdown h1", has_text="课程地图").wait_for(
                timeout=120_000
            )
            links = index.locator(".jp-RenderedMarkdown a[href*='zh/']").count()
            assert links >= 10, links
            index.screenshot(path=str(ARTIFACTS / "lab_index.png"))
            index.close()
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "lab_failure.png"))
            raise
        page.close()
    finally:
        _stop(proc)


def _run_all_cells(page, widget) -> None:
    """Run the notebook until ``widget`` shows. On a busy machine JupyterLab may
    replace the kernel the page first connected to, and the cells then wait on the old
    one; a second try restarts the kernel and runs everything again."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        widget.wait_for(timeout=90_000)
        return
    except PlaywrightTimeout:
        page.screenshot(path=str(ARTIFACTS / "lab_first_run.png"))
    page.get_by_role("menuitem", name="Kernel", exact=True).click()
    page.get_by_role(
        "menuitem", name=re.compile(r"Restart Kernel and Run All Cells")
    ).click()
    page.locator(".jp-Dialog .jp-mod-accept").first.click()  # "Restart"
    widget.wait_for(timeout=120_000)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
