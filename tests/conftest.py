"""Shared fixtures: a headless matplotlib, closed figures, and rules for optional
resources.

A test that needs a system package (a CJK font, Chromium) calls :func:`require`: outside
CI it skips with the reason; in CI (``CI=true``) it fails, because CI must have
installed it. Tests that read the real data sets in ``../shared/data`` skip cleanly when
it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from crmkit.datasets import shared_data_dir

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (or, in CI, fail) the calling test unless ``condition`` holds."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder ``../shared/data``; skips the test when it is absent."""
    path = shared_data_dir()
    if path is None:
        pytest.skip("../shared/data is not beside this clone (real-data tests skipped)")
    return path


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def pytest_make_parametrize_id(config, val, argname):
    """Stable test ids for parameters whose repr holds a memory address (objects,
    generators): pytest-xdist needs every worker to collect the same ids."""
    try:
        text = repr(val)
    except Exception:
        return type(val).__name__
    if " at 0x" in text or "object at" in text:
        return f"{argname}-{type(val).__name__}"
    return None
