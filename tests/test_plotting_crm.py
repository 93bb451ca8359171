"""The entity diagram and the dashboard draw what their tables hold (figures only:
no computing in plotting)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.text import Annotation

import crmkit
from crmkit.datasets import database_schema
from crmkit.plotting import plot_dashboard, plot_schema


def test_schema_diagram_draws_every_table_column_and_foreign_key():
    schema = database_schema()
    fig = plot_schema(schema, rows={"customers": 2000})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    for table in schema["table"].unique():
        assert any(t.startswith(table) for t in texts)
    assert "customers  (2,000)" in texts
    for column in schema["column"]:
        assert column in texts
    arrows = [a for a in ax.texts if isinstance(a, Annotation)]
    assert len(arrows) == int((schema["references"] != "").sum())
    assert texts.count("PK") == schema["primary_key"].sum()


def test_schema_diagram_title_follows_the_language():
    with crmkit.language("zh"):
        fig = plot_schema(database_schema())
    assert "数据库" in fig.axes[0].get_title()


def test_dashboard_has_one_panel_per_indicator_and_bands_for_intervals():
    kpis = pd.DataFrame(
        {
            "revenue": [5.0, 6.0, 7.0, 9.0],
            "NPS": [1.0, 3.0, 2.0, 5.0],
            "NPS_lower": [0.0, 1.0, 0.0, 3.0],
            "NPS_upper": [3.0, 5.0, 4.0, 7.0],
        },
        index=pd.period_range("2024-01", periods=4, freq="M"),
    )
    fig = plot_dashboard(kpis, title="t")
    drawn = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in drawn] == ["revenue", "NPS"]
    band = drawn[1].collections[0].get_paths()[0].vertices
    assert np.isclose(band[:, 1].max(), 7.0) and np.isclose(band[:, 1].min(), 0.0)
    assert any("latest 9" in t.get_text() for t in drawn[0].texts)
    assert fig._suptitle.get_text() == "t"
