"""Explorer widgets for the notebooks and the Voila apps.

Each builder returns an :class:`Explorer`: controls above a results table and a figure.
The builders only wire widgets to crmkit's models; every number comes from the library.
An explorer speaks the language selected when it is built (:func:`crmkit.set_language`,
or ``with crmkit.language("zh"):``) and keeps it on every refresh; its controls' values
and the ``data-metric`` keys of its numbers are the same in both languages.

Examples
--------
>>> from crmkit.widgets import glossary_explorer
>>> app = glossary_explorer()
>>> sorted(app.controls)
['chapter', 'query']
"""

from crmkit.widgets._apps import APPS, App
from crmkit.widgets._base import Explorer
from crmkit.widgets._channels import channel_explorer
from crmkit.widgets._clv import clv_explorer
from crmkit.widgets._complaints import complaint_explorer
from crmkit.widgets._day import day_explorer
from crmkit.widgets._glossary import glossary_explorer
from crmkit.widgets._planners import activity_plan_explorer, interaction_plan_explorer
from crmkit.widgets._queues import (
    perceived_wait_explorer,
    queue_explorer,
    simulation_explorer,
)
from crmkit.widgets._segmentation import segmentation_explorer

__all__ = [
    "APPS",
    "App",
    "Explorer",
    "activity_plan_explorer",
    "channel_explorer",
    "clv_explorer",
    "complaint_explorer",
    "day_explorer",
    "glossary_explorer",
    "interaction_plan_explorer",
    "perceived_wait_explorer",
    "queue_explorer",
    "segmentation_explorer",
    "simulation_explorer",
]
