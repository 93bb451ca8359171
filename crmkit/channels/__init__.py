"""Interaction channels (客户互动渠道): compare, rank, cost and mix them; follow
journeys.

- The course table: :func:`course_channels`, :func:`to_scores`, :data:`MAPPINGS`,
  :data:`BENEFIT`; the channel profiles (渠道分析): :data:`CHANNEL_PROFILES`.
- Ranking: :func:`weighted_sum`, :func:`topsis`, :func:`ahp_weights`,
  :func:`rank_channels`; robustness: :func:`weight_sensitivity`,
  :func:`mapping_sensitivity`.
- Money and time: :func:`channel_economics` (queue models for live channels),
  :func:`objective_task_budget`, :func:`channel_mix`.
- Planning: :func:`interaction_plan` (:data:`DESIGN_STEPS`, :data:`EXPECTATIONS`,
  :data:`GOAL_RULES`, :data:`SHARED`), :func:`activity_plan` (:data:`ACTIVITY_TYPES`).
- The sales funnel: :func:`funnel_conversion`.
- Touchpoints: :func:`make_interactions`, :func:`journey_table`; e-mail timing:
  :func:`make_email_campaign`, :func:`email_open_rates`, :func:`best_send_slots`.

Examples
--------
>>> from crmkit.channels import BENEFIT, course_channels, rank_channels, to_scores
>>> table = rank_channels(to_scores(course_channels()), [1, 2, 1, 1], BENEFIT)
>>> table["channel"].iloc[0]
'e-mail'
"""

from crmkit.channels._activities import ACTIVITY_TYPES, ActivityPlan, activity_plan
from crmkit.channels._course import (
    BENEFIT,
    CRITERIA,
    MAPPINGS,
    course_channels,
    to_scores,
)
from crmkit.channels._design import ChannelMix, channel_mix, objective_task_budget
from crmkit.channels._economics import channel_economics
from crmkit.channels._email import (
    WEEKDAYS,
    best_send_slots,
    email_open_rates,
    make_email_campaign,
)
from crmkit.channels._funnel import funnel_conversion
from crmkit.channels._journeys import JourneyTable, journey_table, make_interactions
from crmkit.channels._mcdm import (
    RANDOM_INDEX,
    AHPResult,
    ahp_weights,
    normalise,
    rank_channels,
    topsis,
    weighted_sum,
)
from crmkit.channels._plan import (
    DESIGN_STEPS,
    EXPECTATIONS,
    GOAL_RULES,
    SHARED,
    InteractionPlan,
    interaction_plan,
)
from crmkit.channels._profiles import CHANNEL_PROFILES
from crmkit.channels._sensitivity import (
    SensitivityResult,
    mapping_sensitivity,
    weight_sensitivity,
)

__all__ = [
    "ACTIVITY_TYPES",
    "BENEFIT",
    "CHANNEL_PROFILES",
    "CRITERIA",
    "DESIGN_STEPS",
    "EXPECTATIONS",
    "GOAL_RULES",
    "MAPPINGS",
    "RANDOM_INDEX",
    "SHARED",
    "WEEKDAYS",
    "AHPResult",
    "ActivityPlan",
    "ChannelMix",
    "InteractionPlan",
    "JourneyTable",
    "SensitivityResult",
    "activity_plan",
    "ahp_weights",
    "best_send_slots",
    "channel_economics",
    "channel_mix",
    "course_channels",
    "email_open_rates",
    "funnel_conversion",
    "interaction_plan",
    "journey_table",
    "make_email_campaign",
    "make_interactions",
    "mapping_sensitivity",
    "normalise",
    "objective_task_budget",
    "rank_channels",
    "to_scores",
    "topsis",
    "weight_sensitivity",
    "weighted_sum",
]
