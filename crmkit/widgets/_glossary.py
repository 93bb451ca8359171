"""Search the bilingual glossary."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from crmkit.datasets import load_glossary, search_glossary
from crmkit.widgets._base import Explorer, table_html

__all__ = ["glossary_explorer"]

_CHAPTERS = {
    "all chapters": "",
    "01 interaction 客户互动": "01",
    "02 segmentation 客户细分": "02",
    "03 value 客户价值": "03",
    "04 channels 互动渠道": "04",
    "05 waiting 等待心理": "05",
    "06 queues 排队模型": "06",
    "07 simulation 仿真": "07",
    "08 complaints 客户投诉": "08",
    "09 research 研究": "09",
}


def glossary_explorer(glossary: pd.DataFrame | None = None) -> Explorer:
    """A search box and chapter filter over the glossary, in English or Chinese.

    Examples
    --------
    >>> app = glossary_explorer()
    >>> app.controls["query"].value = "接触点"
    >>> "touchpoint" in app.results.value
    True
    """
    table = load_glossary() if glossary is None else glossary
    query = widgets.Text(
        value="",
        placeholder="search in English or 中文, e.g. queue or 排队",
        description="search",
        continuous_update=True,
    )
    chapter = widgets.Dropdown(
        options=list(_CHAPTERS), value="all chapters", description="chapter"
    )

    def update(app: Explorer) -> None:
        rows = table
        code = _CHAPTERS[app.controls["chapter"].value]
        if code:
            rows = rows[rows["chapter"] == code]
        found = search_glossary(app.controls["query"].value, rows)
        head = f"<p data-metric='matches'>{len(found)} of {len(table)} terms</p>"
        app.results.value = head + table_html(found, max_rows=40)

    return Explorer(
        "Glossary 术语表",
        {"query": query, "chapter": chapter},
        update,
        with_figure=False,
    )
