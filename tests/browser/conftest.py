"""Real-browser tests: each explorer app served by Voila, driven in Chromium.

Debian's Chromium (``/usr/bin/chromium``) is driven by Playwright, which cannot
download a browser here. Outside CI the tests skip when Chromium or Playwright is
missing; in CI they are required. Voila logs to ``test-artifacts/browser/<app>.log``
and each test saves a screenshot beside it.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import REPO, require

CHROMIUM = Path(os.environ.get("CRMKIT_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
METRIC = re.compile(r"data-metric='([^']+)'>([^<]*)<")


def shown_in_python(app) -> dict[str, str]:
    """The metric cells an explorer built in this process shows."""
    return {k: html.unescape(v).strip() for k, v in METRIC.findall(app.results.value)}


def shown_in_page(page) -> dict[str, str]:
    cells = page.query_selector_all("[data-metric]")
    return {c.get_attribute("data-metric"): c.inner_text().strip() for c in cells}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(
    proc: subprocess.Popen, port: int, what: str, log_name: str, timeout: float
) -> None:
    """Wait until ``proc`` accepts TCP connections on ``port`` of 127.0.0.1.

    A TCP connect, not a GET: a GET would start a kernel. Jupyter servers print
    their URL before the event loop binds the port, so the printed URL alone
    does not mean the server answers yet.
    """
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}; see {log_name}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{what} did not open port {port}; see {log_name}")
            time.sleep(0.2)


@contextmanager
def voila(app: str, edition: str = "en", path: str | None = None) -> Iterator[str]:
    """Serve ``notebooks/apps/<edition>/<app>.ipynb`` (or the notebook at ``path``);
    yields the URL once the port accepts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = (ARTIFACTS / f"{app}-{edition}.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "voila",
            path or f"notebooks/apps/{edition}/{app}.ipynb",
            "--no-browser",
            "--Voila.ip=127.0.0.1",
            f"--port={port}",
            "--Voila.show_tracebacks=True",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(proc, port, "voila", log.name, timeout=90)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser():
    require(
        CHROMIUM.exists() or shutil.which("chromium") is not None,
        "Chromium is not installed (apt-get install -y chromium)",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (it is in the test extras)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(
                CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
            ),
            args=FLAGS,
        )
        yield chromium
        chromium.close()


def wait_until_shown(page, expected: dict[str, str], timeout: float = 60.0) -> None:
    """Poll the page until its metric cells equal ``expected`` (callbacks take time)."""
    deadline = time.monotonic() + timeout
    seen: dict[str, str] = {}
    while time.monotonic() < deadline:
        seen = shown_in_page(page)
        if seen == expected:
            return
        time.sleep(0.2)
    assert seen == expected


def open_app(browser, url: str, timeout_s: float = 240):
    """Open an app page and wait for its first result. Voila starts a kernel that
    imports crmkit and computes the app's first answer; on 2 cores busy with the rest
    of the suite that took up to 100 s, hence the generous default."""
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url, timeout=timeout_s * 1000)
    page.wait_for_selector("[data-metric]", timeout=timeout_s * 1000)
    return page


def slider_handle(page, description: str):
    box = page.locator(
        ".widget-slider", has=page.locator("label", has_text=description)
    )
    return box.locator(".noUi-handle")


#: JavaScript: the distinct CJK characters in ``root`` whose rendering in the page's
#: own font equals the "missing glyph" box (the rendering of a code point no font has)
_MISSING_GLYPHS_JS = """
(root) => {
  const text = (root || document.body).innerText;
  const chars = [...new Set(text.match(/[\\u3400-\\u9fff\\uff00-\\uffef]/g) || [])];
  const font = getComputedStyle(root || document.body).font || "16px sans-serif";
  const canvas = document.createElement("canvas");
  canvas.width = 40; canvas.height = 40;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const draw = (ch) => {
    ctx.clearRect(0, 0, 40, 40);
    ctx.font = font.replace(/\\d+(\\.\\d+)?px/, "24px");
    ctx.fillText(ch, 4, 30);
    return ctx.getImageData(0, 0, 40, 40).data.join(",");
  };
  const tofu = draw("\\u{10FFFD}");
  return {chars: chars.length, missing: chars.filter((ch) => draw(ch) === tofu)};
}
"""


def missing_glyphs(page, selector: str = "body") -> dict:
    """The CJK characters shown in ``selector`` and those drawn as a missing glyph."""
    return page.evaluate(_MISSING_GLYPHS_JS, page.query_selector(selector))
