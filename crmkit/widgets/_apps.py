"""The explorer apps: one per chapter, shown full screen with Voila (``make
present``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

from crmkit.widgets._base import Explorer
from crmkit.widgets._channels import channel_explorer
from crmkit.widgets._complaints import complaint_explorer
from crmkit.widgets._queues import (
    perceived_wait_explorer,
    queue_explorer,
    simulation_explorer,
)
from crmkit.widgets._segmentation import segmentation_explorer

__all__ = ["APPS", "App"]


@dataclass(frozen=True)
class App:
    """An explorer app: its builder, the chapter it belongs to and a one-line title."""

    name: str
    title: str
    chapter: str
    build: Callable[[], Explorer]


#: name → app; each has a notebook ``notebooks/apps/<name>.ipynb`` served by Voila
APPS = MappingProxyType(
    {
        app.name: app
        for app in (
            App(
                "queues",
                "Queues and staffing 排队与人员配置",
                "06",
                queue_explorer,
            ),
            App(
                "perceived_waiting",
                "Perceived waiting 感知等待",
                "05",
                perceived_wait_explorer,
            ),
            App(
                "simulation",
                "What if: a simulated day 仿真",
                "07",
                simulation_explorer,
            ),
            App(
                "segmentation",
                "Customer segmentation 客户细分",
                "02",
                segmentation_explorer,
            ),
            App("channels", "Channel ranking 渠道比较", "04", channel_explorer),
            App(
                "complaints",
                "Complaint handling simulator 投诉处理",
                "08",
                complaint_explorer,
            ),
        )
    }
)
