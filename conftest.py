"""Settings for every test run from the kit's top folder (tests and doctests alike)."""

from __future__ import annotations

import warnings

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(scope="session", autouse=True)
def _course_style():
    """Draw figures as the notebooks do (with a CJK font when one is installed)."""
    from crmkit.plotting import set_style

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        set_style()
