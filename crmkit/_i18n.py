"""The language crmkit speaks to students: Simplified Chinese (``"zh"``) or English
(``"en"``).

Messages meant for students (self-check verdicts and hints, widget labels, figure
labels, glossary definitions) come in both languages; this module holds the one switch
that selects them. The default is English, or the value of the environment variable
``CRMKIT_LANG`` (``zh`` or ``en``) when crmkit is imported. Each Chinese edition of a
notebook starts with ``crmkit.set_language("zh")``.

Error messages of the library (``ValueError`` subclasses) stay in English, the
language of the scientific Python stack they come from.

Examples
--------
>>> import crmkit
>>> with crmkit.language("zh"):
...     crmkit.get_language()
'zh'
>>> crmkit.tr(en="queue", zh="排队")
'queue'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from crmkit.errors import ParameterError

__all__ = ["LANGUAGES", "get_language", "language", "set_language", "tr"]

#: the languages crmkit speaks, with their names
LANGUAGES = {"zh": "简体中文", "en": "English"}


def _parse(value: object, source: str) -> str:
    if isinstance(value, str):
        key = value.strip().lower().replace("_", "-")
        aliases = {
            "zh-cn": "zh",
            "zh-hans": "zh",
            "cn": "zh",
            "chinese": "zh",
            "中文": "zh",
            "english": "en",
            "en-us": "en",
            "en-gb": "en",
        }
        key = aliases.get(key, key)
        if key in LANGUAGES:
            return key
    raise ParameterError(
        f"{source} = {value!r} is not a language crmkit speaks; use 'zh' (简体中文) or "
        "'en' (English)."
    )


_current = {"lang": _parse(os.environ.get("CRMKIT_LANG", "en") or "en", "CRMKIT_LANG")}


def set_language(lang: str) -> None:
    """Select the language of crmkit's messages, labels and hints for this session.

    Parameters
    ----------
    lang : {"zh", "en"}
        ``"zh"`` for Simplified Chinese, ``"en"`` for English (``"zh-CN"``,
        ``"Chinese"`` and ``"中文"`` are understood too).

    Examples
    --------
    >>> import crmkit
    >>> crmkit.set_language("zh"); crmkit.get_language()
    'zh'
    >>> crmkit.set_language("en")
    """
    _current["lang"] = _parse(lang, "lang")


def get_language() -> str:
    """The language selected now: ``"zh"`` or ``"en"``."""
    return _current["lang"]


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Use ``lang`` inside a ``with`` block, then restore the previous language."""
    before = _current["lang"]
    _current["lang"] = _parse(lang, "lang")
    try:
        yield _current["lang"]
    finally:
        _current["lang"] = before


def tr(*, en: str, zh: str) -> str:
    """Return the text in the selected language.

    Examples
    --------
    >>> tr(en="service level", zh="服务水平")
    'service level'
    """
    return zh if _current["lang"] == "zh" else en
