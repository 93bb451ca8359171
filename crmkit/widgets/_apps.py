"""The explorer apps: one per chapter, shown full screen with Voila (``make
present``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from crmkit._i18n import tr
from crmkit.widgets._base import Explorer
from crmkit.widgets._channels import channel_explorer
from crmkit.widgets._clv import clv_explorer
from crmkit.widgets._complaints import complaint_explorer
from crmkit.widgets._day import day_explorer
from crmkit.widgets._queues import (
    perceived_wait_explorer,
    queue_explorer,
    simulation_explorer,
)
from crmkit.widgets._segmentation import segmentation_explorer

__all__ = ["APPS", "App"]


@dataclass(frozen=True)
class App:
    """An explorer app: its builder, the chapter it belongs to and a one-line title in
    each language (``title`` is the one of the current language, as the first line of
    ``notebooks/apps/<edition>/<name>.ipynb`` shows it).

    Examples
    --------
    >>> import crmkit
    >>> APPS["queues"].title
    'Queues and staffing 排队与人员配置'
    >>> with crmkit.language("zh"):
    ...     APPS["queues"].title
    '排队与人员配置'
    """

    name: str
    title_en: str
    title_zh: str
    chapter: str
    build: Callable[[], Explorer]

    @property
    def title(self) -> str:
        """The title in the current language."""
        return tr(en=self.title_en, zh=self.title_zh)


#: name → app; each has a notebook ``notebooks/apps/<edition>/<name>.ipynb`` served by
#: Voila
APPS = MappingProxyType(
    {
        app.name: app
        for app in (
            App(
                "queues",
                "Queues and staffing 排队与人员配置",
                "排队与人员配置",
                "06",
                queue_explorer,
            ),
            App(
                "perceived_waiting",
                "Perceived waiting 感知等待",
                "感知等待",
                "05",
                perceived_wait_explorer,
            ),
            App(
                "simulation",
                "What if: a simulated day 仿真",
                "如果……会怎样：仿真的一天",
                "07",
                simulation_explorer,
            ),
            App(
                "segmentation",
                "Customer segmentation 客户细分",
                "客户细分",
                "02",
                segmentation_explorer,
            ),
            App(
                "clv",
                "Customer lifetime value 客户终身价值",
                "客户终身价值",
                "03",
                clv_explorer,
            ),
            App(
                "channels",
                "Channel ranking 渠道比较",
                "渠道比较",
                "04",
                channel_explorer,
            ),
            App(
                "complaints",
                "Complaint handling simulator 投诉处理",
                "投诉处理模拟器",
                "08",
                complaint_explorer,
            ),
            App(
                "day",
                "Staffing a day with a peak 分时段人员配置",
                "高峰日的人员配置",
                "06",
                day_explorer,
            ),
        )
    }
)
