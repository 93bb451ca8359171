"""The bilingual glossary of course terms."""

from __future__ import annotations

import pandas as pd

from crmkit._validate import check_columns
from crmkit.datasets._paths import data_file
from crmkit.errors import DataError

__all__ = ["load_glossary", "search_glossary"]

_COLUMNS = ["term_en", "term_zh", "definition", "definition_zh", "chapter"]


def load_glossary() -> pd.DataFrame:
    """Load the glossary: one row per course term, with its English and Chinese names
    and definitions and the chapter that teaches it.

    Returns
    -------
    pandas.DataFrame
        Columns ``term_en``, ``term_zh``, ``definition`` (English), ``definition_zh``
        (Chinese; strings) and ``chapter`` (a two-digit string naming the notebook,
        "01"–"10").

    Examples
    --------
    >>> g = load_glossary()
    >>> g.loc[g["term_en"] == "touchpoint", "term_zh"].item()
    '接触点'
    """
    frame = pd.read_csv(data_file("glossary.csv"), dtype=str, keep_default_na=False)
    check_columns(
        frame,
        _COLUMNS,
        what="glossary.csv",
        fix="Reinstall crmkit, or in a clone rebuild the data with `make data`.",
    )
    return frame[_COLUMNS]


def search_glossary(query: str, glossary: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return glossary rows matching ``query`` in either language, best matches first.

    Matching ignores case. Rows are ranked: the term (English or Chinese) equals the
    query, then it starts with it, then it contains it, then only a definition (English
    or Chinese) contains it; within a rank the glossary order is kept. An empty query
    returns every row.

    Examples
    --------
    >>> search_glossary("排队")["term_en"].head(3).tolist()
    ['queue', 'queueing network', 'inventory-queue analogy']
    >>> search_glossary("Touchpoint")["term_zh"].iloc[0]
    '接触点'
    """
    table = load_glossary() if glossary is None else glossary
    if not isinstance(query, str):
        raise DataError(
            f"query = {query!r} is not text; pass a search term such as 'queue' or "
            "'排队'."
        )
    q = query.strip().casefold()
    if not q:
        return table.reset_index(drop=True)
    en = table["term_en"].str.casefold()
    zh = table["term_zh"].str.casefold()
    rank = pd.Series(4, index=table.index)
    in_definition = table["definition"].str.casefold().str.contains(q, regex=False)
    if "definition_zh" in table.columns:
        in_definition |= table["definition_zh"].str.contains(q, regex=False)
    rank[in_definition] = 3
    rank[en.str.contains(q, regex=False) | zh.str.contains(q, regex=False)] = 2
    rank[en.str.startswith(q) | zh.str.startswith(q)] = 1
    rank[(en == q) | (zh == q)] = 0
    order = rank[rank < 4].sort_values(kind="stable").index
    return table.loc[order].reset_index(drop=True)
