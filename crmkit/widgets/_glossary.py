"""Search the bilingual glossary."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from crmkit._i18n import tr
from crmkit.datasets import load_glossary, search_glossary
from crmkit.widgets._base import Explorer, table_html

__all__ = ["glossary_explorer"]

#: chapter code -> (English, Chinese) label of the chapter filter
_CHAPTERS = {
    "": ("all chapters", "全部章节"),
    "01": ("01 interaction", "01 客户互动"),
    "02": ("02 segmentation", "02 客户细分"),
    "03": ("03 value", "03 客户价值"),
    "04": ("04 channels", "04 互动渠道"),
    "05": ("05 waiting", "05 等待心理"),
    "06": ("06 queues", "06 排队模型"),
    "07": ("07 simulation", "07 仿真"),
    "08": ("08 complaints", "08 客户投诉"),
    "09": ("09 research", "09 研究"),
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
        placeholder=tr(
            en="search in English or 中文, e.g. queue or 排队",
            zh="用中文或英文搜索，例如 排队 或 queue",
        ),
        description=tr(en="search", zh="搜索"),
        continuous_update=True,
    )
    chapter = widgets.Dropdown(
        options=[(tr(en=en, zh=zh), code) for code, (en, zh) in _CHAPTERS.items()],
        value="",
        description=tr(en="chapter", zh="章节"),
    )
    zh = tr(en="en", zh="zh") == "zh"
    shown = (
        ["term_zh", "term_en", "definition_zh", "chapter"]
        if zh
        else ["term_en", "term_zh", "definition", "chapter"]
    )
    headers = (
        {"term_zh": "术语", "term_en": "英文", "definition_zh": "释义", "chapter": "章"}
        if zh
        else {"term_en": "term", "term_zh": "中文", "definition": "definition"}
    )

    def update(app: Explorer) -> None:
        rows = table
        code = app.controls["chapter"].value
        if code:
            rows = rows[rows["chapter"] == code]
        found = search_glossary(app.controls["query"].value, rows)
        count = tr(
            en=f"{len(found)} of {len(table)} terms",
            zh=f"共 {len(table)} 个术语，找到 {len(found)} 个",
        )
        head = f"<p data-metric='matches'>{count}</p>"
        view = found[[c for c in shown if c in found.columns]].rename(columns=headers)
        app.results.value = head + table_html(view, max_rows=40)

    return Explorer(
        tr(en="Glossary 术语表", zh="术语表 Glossary"),
        {"query": query, "chapter": chapter},
        update,
        with_figure=False,
    )
