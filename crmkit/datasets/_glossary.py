"""The bilingual glossary of course terms."""

from __future__ import annotations

import pandas as pd

from crmkit.datasets._paths import data_file
from crmkit.errors import DataError

__all__ = ["load_glossary", "search_glossary"]

_COLUMNS = ["term_en", "term_zh", "definition", "chapter"]


def load_glossary() -> pd.DataFrame:
    """Load the glossary: one row per course term (English, Chinese, definition,
    chapter).

    Returns
    -------
    pandas.DataFrame
        Columns ``term_en``, ``term_zh``, ``definition`` (strings) and ``chapter`` (a
        two-digit string naming the notebook, "01"–"09").

    Examples
    --------
    >>> g = load_glossary()
    >>> g.loc[g["term_en"] == "touchpoint", "term_zh"].item()
    '接触点'
    """
    frame = pd.read_csv(data_file("glossary.csv"), dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"glossary.csv lacks column(s) {missing}")
    return frame[_COLUMNS]


def search_glossary(query: str, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return glossary rows matching ``query`` in either language, best matches first.

    Matching ignores case. Rows are ranked: the term equals the query, then the term
    starts with it, then the term contains it, then only the definition contains it;
    within a rank the glossary order is kept. An empty query returns every row.

    Examples
    --------
    >>> search_glossary("排队")["term_en"].head(3).tolist()
    ['queue', 'queueing network', 'inventory-queue analogy']
    >>> search_glossary("Touchpoint")["term_zh"].iloc[0]
    '接触点'
    """
    table = load_glossary() if glossary is None else glossary
    q = query.strip().casefold()
    if not q:
        return table.reset_index(drop=True)
    en = table["term_en"].str.casefold()
    zh = table["term_zh"].str.casefold()
    rank = pd.Series(4, index=table.index)
    rank[table["definition"].str.casefold().str.contains(q, regex=False)] = 3
    rank[en.str.contains(q, regex=False) | zh.str.contains(q, regex=False)] = 2
    rank[en.str.startswith(q) | zh.str.startswith(q)] = 1
    rank[(en == q) | (zh == q)] = 0
    order = rank[rank < 4].sort_values(kind="stable").index
    return table.loc[order].reset_index(drop=True)
