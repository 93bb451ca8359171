"""Row labels of the explorers: one wording for each metric that several explorers
show, and the one way to put a table of (English, Chinese) labels into the current
language."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from crmkit._i18n import tr

__all__ = ["QUEUE_LABELS", "translated"]

#: metric -> (English, Chinese): the queue metrics that both the queue explorer and
#: the simulation explorer report, worded once
QUEUE_LABELS = MappingProxyType(
    {
        "mean_wait_s": ("mean wait 平均等待 (s)", "平均等待时间（秒）"),
        "occupancy": ("occupancy 座席占用率", "座席占用率"),
        "prob_abandon": ("P(abandon) 放弃率", "放弃排队的比例"),
    }
)


def translated(*tables: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Each key's (English, Chinese) label in the current language, the tables merged
    in order.

    Examples
    --------
    >>> translated({"occupancy": QUEUE_LABELS["occupancy"]}, {"lost": ("lost", "流失")})
    {'occupancy': 'occupancy 座席占用率', 'lost': 'lost'}
    """
    return {
        key: tr(en=en, zh=zh) for table in tables for key, (en, zh) in table.items()
    }
