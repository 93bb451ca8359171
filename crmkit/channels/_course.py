"""The course's channel table (不同渠道互动能力的比较) and how its ratings become
numbers."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from crmkit._validate import check_bool, check_frame, check_real, show
from crmkit.errors import DataError, ParameterError

__all__ = ["BENEFIT", "CRITERIA", "MAPPINGS", "course_channels", "to_scores"]

#: criterion -> (English name, Chinese name)
CRITERIA = MappingProxyType(
    {
        "cost": ("cost", "成本"),
        "speed": ("speed", "速度"),
        "richness": ("information richness", "传递信息的丰富性"),
        "interactivity": ("interactivity", "互动性"),
    }
)

#: whether more is better (True) or less is better (False)
BENEFIT = MappingProxyType(
    {"cost": False, "speed": True, "richness": True, "interactivity": True}
)

# The course table, verbatim: channel -> (中文, cost, speed, richness, interactivity).
_COURSE = (
    ("face-to-face", "面对面交流", "高", "稍慢", "很丰富", "强", True),
    ("letter", "信函", "中", "慢", "丰富", "弱", False),
    ("e-mail", "电子邮件", "低", "快", "丰富", "较弱", False),
    ("website", "网站", "低", "快", "丰富", "较弱", False),
    ("phone", "电话", "高", "很快", "不丰富", "较强", True),
)
_UNRATED = (
    ("club", "俱乐部", True),
    ("events", "活动", True),
    ("advertising", "广告", False),
    ("public relations", "公关宣传", False),
    ("chat", "在线客服", True),
    ("self-service", "自助服务", False),
)
_ENGLISH = {
    "高": "high",
    "中": "medium",
    "低": "low",
    "慢": "slow",
    "稍慢": "slightly slow",
    "快": "fast",
    "很快": "very fast",
    "不丰富": "not rich",
    "丰富": "rich",
    "很丰富": "very rich",
    "弱": "weak",
    "较弱": "fairly weak",
    "较强": "fairly strong",
    "强": "strong",
}

#: The English rating levels of each criterion, lowest first.
_LEVELS = {
    "cost": ("low", "medium", "high"),
    "speed": ("slow", "slightly slow", "fast", "very fast"),
    "richness": ("not rich", "rich", "very rich"),
    "interactivity": ("weak", "fairly weak", "fairly strong", "strong"),
}
#: The number of each level (in the order of ``_LEVELS``), by mapping.
_SCORES = {
    "default": {
        "cost": (1, 3, 5),
        "speed": (1, 2, 4, 5),
        "richness": (1, 4, 5),
        "interactivity": (1, 2, 4, 5),
    },
    "equal_steps": {
        "cost": (1, 2, 3),
        "speed": (1, 2, 3, 4),
        "richness": (1, 2, 3),
        "interactivity": (1, 2, 3, 4),
    },
    "doubling": {
        "cost": (1, 2, 4),
        "speed": (1, 2, 4, 8),
        "richness": (1, 2, 4),
        "interactivity": (1, 2, 4, 8),
    },
}

#: Ways to turn the ordinal ratings into numbers (mapping → criterion → level →
#: number). ``default`` is crmkit's documented choice; the others let you see whether a
#: ranking depends on it.
MAPPINGS = MappingProxyType(
    {
        name: {
            criterion: dict(zip(_LEVELS[criterion], numbers, strict=True))
            for criterion, numbers in scores.items()
        }
        for name, scores in _SCORES.items()
    }
)


def course_channels(*, include_unrated: bool = False) -> pd.DataFrame:
    """The course's comparison of channels on cost, speed, richness and interactivity.

    The five rated channels carry the course's Chinese ratings (``*_zh``) and English
    labels. With ``include_unrated=True`` the wider channel list (club, events,
    advertising, public relations, chat, self-service) is added, marked as not rated by
    the course (ratings missing).

    Returns
    -------
    pandas.DataFrame
        Index ``channel``; columns ``渠道``, ``personal`` (a member of staff takes
        part), ``rated_by_course``, and for each criterion an English label and the
        Chinese rating (``cost``, ``cost_zh``, …).

    Examples
    --------
    >>> t = course_channels()
    >>> t.loc["phone", ["speed", "speed_zh"]].tolist()
    ['very fast', '很快']
    """
    include_unrated = check_bool("include_unrated", include_unrated)
    rows = []
    for en, zh, cost, speed, rich, inter, personal in _COURSE:
        row = {"channel": en, "渠道": zh, "personal": personal, "rated_by_course": True}
        for crit, rating in zip(CRITERIA, (cost, speed, rich, inter), strict=True):
            row[crit] = _ENGLISH[rating]
            row[f"{crit}_zh"] = rating
        rows.append(row)
    if include_unrated:
        for en, zh, personal in _UNRATED:
            rows.append(
                {
                    "channel": en,
                    "渠道": zh,
                    "personal": personal,
                    "rated_by_course": False,
                }
            )
    return pd.DataFrame(rows).set_index("channel")


def to_scores(
    table: pd.DataFrame, mapping: str | Mapping[str, Mapping[str, float]] | None = None
) -> pd.DataFrame:
    """Turn the ordinal ratings into numbers (a decision matrix).

    Parameters
    ----------
    table : DataFrame
        From :func:`course_channels` (English rating labels per criterion), or any table
        with those columns; unrated rows are dropped.
    mapping : str or mapping, optional
        A name in :data:`MAPPINGS` (default ``"default"``: cost low 1 / medium 3 / high
        5, where lower is better; speed slow 1, slightly slow 2, fast 4, very fast 5;
        richness not rich 1, rich 4, very rich 5; interactivity weak 1, fairly weak 2,
        fairly strong 4, strong 5), or your own ``{criterion: {label: number}}``.

    Returns
    -------
    pandas.DataFrame
        One numeric column per criterion. Cost stays a cost (larger = worse); ranking
        methods take :data:`BENEFIT` to know the direction.

    Raises
    ------
    DataError
        A rating the mapping does not know (the message names it), a missing
        criterion column, a repeated channel, ``rated_by_course`` values that are not
        bools, or no rated channel at all.
    ParameterError
        An unknown mapping name, or a scale that is missing or holds non-numbers.

    Examples
    --------
    >>> to_scores(course_channels()).loc["phone"].tolist()
    [5, 5, 1, 4]
    """
    chosen = _mapping(mapping)
    check_frame(table, list(CRITERIA), what="table", unique_index=True)
    if "rated_by_course" in table.columns:
        flags = table["rated_by_course"]
        is_bool = flags.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(bool)
        if not is_bool.all():
            pos = int(np.flatnonzero(~is_bool)[0])
            raise DataError(
                f"table['rated_by_course'] is {show(flags.iloc[pos])} for "
                f"{show(table.index[pos])}, not True or False; pass the bools True or "
                "False (without quotes)."
            )
        rated = table[flags.to_numpy(bool)]
    else:
        rated = table
    if rated.empty:
        raise DataError(
            "table has no rated channels; pass rows with ratings (rated_by_course = "
            "True), e.g. course_channels()."
        )
    out = {}
    for crit in CRITERIA:
        scale = chosen[crit]
        labels = rated[crit]
        known = labels.map(lambda v, s=scale: _known(v, s)).to_numpy(bool)
        if not known.all():
            unknown = sorted({show(v) for v in labels[~known]})
            raise DataError(
                f"{crit}: rating(s) {', '.join(unknown)} are not in the mapping, which "
                f"knows {sorted(scale)}; fix or fill those ratings, or add them to the "
                "mapping."
            )
        out[crit] = labels.map(scale)
    return pd.DataFrame(out, index=rated.index)


def _known(label: object, scale: Mapping[str, float]) -> bool:
    try:
        return label in scale
    except TypeError:  # an unhashable rating, e.g. a list
        return False


def _mapping(mapping: object) -> Mapping[str, Mapping[str, float]]:
    """The mapping chosen: a name in MAPPINGS or {criterion: {label: number}}."""
    if mapping is None:
        return MAPPINGS["default"]
    if isinstance(mapping, str):
        if mapping not in MAPPINGS:
            raise ParameterError(
                f"mapping = {mapping!r}: unknown mapping; choose from "
                f"{list(MAPPINGS)} or pass your own {{criterion: {{label: number}}}}."
            )
        return MAPPINGS[mapping]
    if not isinstance(mapping, Mapping):
        raise ParameterError(
            f"mapping = {show(mapping)} is neither a name nor a mapping; pass one of "
            f"{list(MAPPINGS)} or {{criterion: {{label: number}}}}."
        )
    for crit in CRITERIA:
        if crit not in mapping:
            raise ParameterError(
                f"the mapping has no scale for {crit!r}; add one, e.g. "
                f"{dict(MAPPINGS['default'][crit])}."
            )
        scale = mapping[crit]
        if not isinstance(scale, Mapping) or not scale:
            raise ParameterError(
                f"mapping[{crit!r}] = {show(scale)} is not a {{label: number}} scale; "
                f"pass e.g. {dict(MAPPINGS['default'][crit])}."
            )
        for label, value in scale.items():
            check_real(f"mapping[{crit!r}][{label!r}]", value)
    return mapping
