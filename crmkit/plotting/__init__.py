"""Figures for crmkit, and the look they share.

Call :func:`set_style` once at the top of a notebook: it applies a seaborn theme and
picks a font that can draw Chinese. The ``plot_*`` functions take tables computed by the
library (never a model) and return a matplotlib Figure; nothing is drawn at import.

Examples
--------
>>> from crmkit.plotting import set_style
>>> font = set_style()
"""

from crmkit.plotting._clv import (
    plot_alive_heatmap,
    plot_expected_heatmap,
    plot_holdout_by_frequency,
    plot_tracking,
)
from crmkit.plotting._complaints import (
    plot_complaint_iceberg,
    plot_customer_trajectory,
    plot_dispute_rates,
    plot_strategies,
)
from crmkit.plotting._crm import plot_dashboard, plot_schema
from crmkit.plotting._plans import plot_activity_schedule
from crmkit.plotting._queues import (
    plot_arrivals_by_hour,
    plot_estimates_vs_exact,
    plot_patience_curve,
    plot_perceived_breakdown,
    plot_service_level_by_servers,
    plot_staffing_by_interval,
)
from crmkit.plotting._segmentation import (
    plot_cluster_profile,
    plot_lorenz,
    plot_pyramid,
    plot_strategy_matrix,
)
from crmkit.plotting._style import CJK_FONTS, find_cjk_font, set_style, use_cjk_font

__all__ = [
    "CJK_FONTS",
    "find_cjk_font",
    "plot_activity_schedule",
    "plot_alive_heatmap",
    "plot_arrivals_by_hour",
    "plot_cluster_profile",
    "plot_complaint_iceberg",
    "plot_customer_trajectory",
    "plot_dashboard",
    "plot_dispute_rates",
    "plot_estimates_vs_exact",
    "plot_expected_heatmap",
    "plot_holdout_by_frequency",
    "plot_lorenz",
    "plot_patience_curve",
    "plot_perceived_breakdown",
    "plot_pyramid",
    "plot_schema",
    "plot_service_level_by_servers",
    "plot_staffing_by_interval",
    "plot_strategies",
    "plot_strategy_matrix",
    "plot_tracking",
    "set_style",
    "use_cjk_font",
]
