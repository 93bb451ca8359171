"""The crmkit look: a seaborn theme and a font that can draw Chinese.

Nothing here runs at import: call :func:`set_style` once, at the top of a notebook. It
applies a seaborn theme and then (because ``sns.set_theme()`` resets the font list) puts
the first installed CJK-capable font at the head of matplotlib's sans-serif list. If
matplotlib's font cache was built before the font was installed, the system font folders
are scanned again and the font is registered with ``fontManager.addfont``.

Examples
--------
>>> from crmkit.plotting import set_style
>>> font = set_style()   # returns the CJK font it chose, or None if none is installed
"""

from __future__ import annotations

import re
import warnings

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager

__all__ = ["CJK_FONTS", "find_cjk_font", "set_style", "use_cjk_font"]

#: Font families able to draw simplified Chinese, best first. The JP face of Noto Sans
# CJK : covers the same code points (matplotlib < 3.11 sees only that face of the .ttc
# file).
CJK_FONTS: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "Heiti SC",
    "Noto Sans CJK JP",
    "Source Han Sans JP",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)

_CJK_FILE = re.compile(
    r"cjk|wqy|wenquanyi|simhei|msyh|yahei|pingfang|sourcehan|notosanssc|droidsansfallback|uming",
    re.IGNORECASE,
)


def _installed_names() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def find_cjk_font(*, rescan: bool = True) -> str | None:
    """Return the name of the best installed CJK-capable font, or None.

    Parameters
    ----------
    rescan : bool, default True
        When no known family is in matplotlib's font list, look through the system font
        folders for CJK font files and register them (this repairs a stale font cache,
        the usual state right after ``apt-get install fonts-noto-cjk``).

    Examples
    --------
    >>> name = find_cjk_font()
    >>> name is None or isinstance(name, str)
    True
    """
    names = _installed_names()
    for family in CJK_FONTS:
        if family in names:
            return family
    if not rescan:
        return None
    for path in font_manager.findSystemFonts():
        if _CJK_FILE.search(path):
            try:
                font_manager.fontManager.addfont(path)
            except (
                OSError,
                RuntimeError,
                ValueError,
            ):  # unreadable or unsupported file
                continue
    names = _installed_names()
    return next((family for family in CJK_FONTS if family in names), None)


def use_cjk_font() -> str | None:
    """Put the best CJK-capable font first in matplotlib's sans-serif list.

    Call it after any ``sns.set_theme()`` of your own. Returns the font name, or None
    (with a warning saying what to install) when no CJK font is installed.

    Examples
    --------
    >>> import seaborn as sns
    >>> sns.set_theme(style="ticks")
    >>> font = use_cjk_font()
    """
    family = find_cjk_font()
    if family is None:
        warnings.warn(
            "No font that can draw Chinese was found, so Chinese labels will show as "
            "boxes. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; conda: "
            "conda install -c conda-forge font-ttf-noto-cjk) and call set_style() "
            "again.",
            stacklevel=2,
        )
        return None
    current = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [family, *current]
    # CJK fonts often lack U+2212; draw minus signs with an ASCII hyphen.
    mpl.rcParams["axes.unicode_minus"] = False
    return family


def set_style(context: str = "notebook", *, style: str = "whitegrid") -> str | None:
    """Apply the crmkit look: a seaborn theme, the ``colorblind`` palette and a CJK
    font.

    Parameters
    ----------
    context : {"paper", "notebook", "talk", "poster"}
        Seaborn's scaling context; use ``"talk"`` for slides.
    style : str, default "whitegrid"
        Seaborn style name.

    Returns
    -------
    str or None
        The CJK font chosen, or None when none is installed.

    Examples
    --------
    >>> font = set_style("talk")
    """
    sns.set_theme(context=context, style=style, palette="colorblind")
    mpl.rcParams["figure.dpi"] = 100
    mpl.rcParams["savefig.bbox"] = "tight"
    mpl.rcParams["axes.titleweight"] = "bold"
    return use_cjk_font()
