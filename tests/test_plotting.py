"""set_style() picks a CJK-capable font, so Chinese labels draw without missing
glyphs."""

from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
import seaborn as sns
from matplotlib import font_manager

from crmkit.plotting import CJK_FONTS, find_cjk_font, set_style, use_cjk_font
from tests.conftest import require


def _render_chinese() -> list[str]:
    fig, ax = plt.subplots()
    ax.set_title("客户互动：排队与等待心理")
    ax.set_xlabel("等待时间（分钟）")
    ax.plot([0, 1], [-1, 1])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from" in str(w.message)]


@pytest.fixture(autouse=True)
def _restore_rc():
    saved = mpl.rcParams.copy()
    yield
    mpl.rcParams.update(saved)


def test_chinese_title_renders_without_missing_glyphs():
    font = set_style()
    require(font is not None, "no CJK font installed (apt-get install fonts-noto-cjk)")
    assert font in CJK_FONTS
    assert mpl.rcParams["font.sans-serif"][0] == font
    assert _render_chinese() == []


def test_without_a_cjk_font_glyphs_are_missing():
    # The check above can fail: with the default font the same figure misses glyphs.
    require(find_cjk_font() is not None, "no CJK font installed")
    sns.set_theme()
    assert any("missing from" in m for m in _render_chinese())


def test_font_survives_a_later_seaborn_theme_through_use_cjk_font():
    require(find_cjk_font() is not None, "no CJK font installed")
    set_style()
    sns.set_theme(style="ticks", context="talk")  # resets the font list
    assert use_cjk_font() is not None
    assert _render_chinese() == []


def test_recovers_from_a_stale_font_cache(monkeypatch):
    require(find_cjk_font() is not None, "no CJK font installed")
    fm = font_manager.fontManager
    stale = [f for f in fm.ttflist if f.name not in CJK_FONTS]
    monkeypatch.setattr(fm, "ttflist", stale)
    assert find_cjk_font(rescan=False) is None
    assert find_cjk_font() in CJK_FONTS  # found again by scanning the system folders


def test_no_cjk_font_warns_with_the_fix(monkeypatch):
    monkeypatch.setattr(
        "crmkit.plotting._style.find_cjk_font", lambda rescan=True: None
    )
    with pytest.warns(UserWarning, match="fonts-noto-cjk"):
        assert use_cjk_font() is None


def test_import_changes_no_rc_params():
    import importlib

    import crmkit

    before = dict(mpl.rcParams)
    importlib.reload(crmkit)
    assert dict(mpl.rcParams) == before
