"""Customer segmentation (客户细分) and customer value: who the customers are and what
they are worth.

- :func:`customer_summary` — one row per customer with every RFM and BTYD quantity
  named.
- Concentration: :func:`abc_classes`, :func:`value_tiers`, :func:`lorenz_curve`,
  :func:`gini`, :func:`top_share`.
- RFM: :func:`rfm_scores` (ties share a score), :func:`rfm_segments` (the Chinese
  textbook's eight classes or an English grid), :func:`segment_table`.
- Clusters: :func:`kmeans_segments`, :func:`cluster_diagnostics`,
  :func:`cluster_stability`.
- Strategy: :func:`strategy_matrix`, :data:`CUSTOMISATION_TYPES` and
  :data:`SERVICE_MANUFACTURING_MODES` (服务型制造的12种模式); lifecycle:
  :func:`lifecycle_stages`.
- Data: :func:`read_online_retail` for the UCI Online Retail II layout.
- Surveys and churn: :func:`csat_score` and :func:`nps_score` with confidence intervals
  (:class:`SurveyScore`); :func:`churn_table` and :func:`churn_warning` (流失预警, a
  split by time against stated baselines, :class:`ChurnWarning`).

Every function returns a new object and leaves its input unchanged.

Examples
--------
>>> import pandas as pd
>>> from crmkit.segmentation import customer_summary, rfm_scores
>>> tx = pd.DataFrame({"customer_id": [1, 2, 2], "date": ["2024-01-02", "2024-01-01",
...                    "2024-01-03"], "amount": [5.0, 3.0, 4.0]})
>>> rfm_scores(customer_summary(tx), bins=2)["RFM"].tolist()
['111', '222']
"""

from crmkit.segmentation._churn import ChurnWarning, churn_table, churn_warning
from crmkit.segmentation._clusters import (
    ClusterResult,
    cluster_diagnostics,
    cluster_stability,
    kmeans_segments,
)
from crmkit.segmentation._concentration import (
    abc_classes,
    gini,
    lorenz_curve,
    top_share,
    value_tiers,
)
from crmkit.segmentation._lifecycle import STAGES, lifecycle_stages
from crmkit.segmentation._retail import ONLINE_RETAIL_COLUMNS, read_online_retail
from crmkit.segmentation._rfm import RFMSegment, rfm_scores, rfm_segments, segment_table
from crmkit.segmentation._satisfaction import SurveyScore, csat_score, nps_score
from crmkit.segmentation._service_modes import SERVICE_MANUFACTURING_MODES
from crmkit.segmentation._strategy import (
    CUSTOMISATION_TYPES,
    STRATEGIES,
    strategy_matrix,
)
from crmkit.segmentation._summary import customer_summary

__all__ = [
    "CUSTOMISATION_TYPES",
    "ONLINE_RETAIL_COLUMNS",
    "SERVICE_MANUFACTURING_MODES",
    "STAGES",
    "STRATEGIES",
    "ChurnWarning",
    "ClusterResult",
    "RFMSegment",
    "SurveyScore",
    "abc_classes",
    "churn_table",
    "churn_warning",
    "cluster_diagnostics",
    "cluster_stability",
    "csat_score",
    "customer_summary",
    "gini",
    "kmeans_segments",
    "lifecycle_stages",
    "lorenz_curve",
    "nps_score",
    "read_online_retail",
    "rfm_scores",
    "rfm_segments",
    "segment_table",
    "strategy_matrix",
    "top_share",
    "value_tiers",
]
