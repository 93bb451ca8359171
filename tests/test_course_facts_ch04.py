"""Chapter 04's course facts held as data: the channel profiles (渠道分析).

The expected profiles are typed here from course document 004 (三、客户互动的渠道);
where the course documents are beside the repository (``../shared/course``), further
tests read them and check that they say the same, item by item and in order, so a
mistyped expectation cannot hide an error.
"""

from __future__ import annotations

import pytest

from tests.course_docs import COURSE, course_text, plain

DOC_004 = COURSE / "004_cfec776d91f149f0.txt"
DOC_000 = COURSE / "000_62a70e41894457f5.txt"
DOC_002 = COURSE / "002_05266a7ef36dbb10.txt"

#: 渠道 -> (特点, 信息, 用途), typed from document 004.
COURSE_PROFILES = {
    "面谈": (
        "生动、互动，可能需要安排",
        "声音、形体、环境信息，内容丰富",
        "对一般信息或深度问题的咨询、交流",
    ),
    "信函": (
        "正式但可能生硬、大众化或个性化，缺乏互动，反馈慢",
        "书面信息、内容可较丰富、可保存",
        "对相关信息充分的介绍、解释、交流等",
    ),
    "电话": ("快捷、简便、互动", "声音信息、内容较单一", "对一般信息的咨询、交流"),
    "网络": (
        "快捷、简便、互动性好，不受时空限制",
        "信息形式多样、内容丰富",
        "对一般信息或特定信息的咨询、交流",
    ),
    "俱乐部": (
        "生动、互动，可能需要安排",
        "声音、形体、环境及活动信息，内容丰富",
        "情感交流",
    ),
}


def test_channel_profiles_hold_the_course_profiles_in_order():
    from crmkit.channels import CHANNEL_PROFILES

    kit = {v[0]: tuple(v[1:4]) for v in CHANNEL_PROFILES.values()}
    assert list(kit) == list(COURSE_PROFILES)  # same channels, same order
    assert kit == COURSE_PROFILES
    assert list(CHANNEL_PROFILES) == ["face-to-face", "letter", "phone", "web", "club"]
    for key, row in CHANNEL_PROFILES.items():
        assert len(row) == 7, key
        assert all(isinstance(x, str) and x.strip() for x in row), key
        assert all(x.isascii() for x in row[4:]), key  # English renderings


def test_channel_profiles_are_read_only():
    from crmkit.channels import CHANNEL_PROFILES

    with pytest.raises(TypeError):
        CHANNEL_PROFILES["chat"] = ("在线客服",)  # type: ignore[index]


def test_document_004_profiles_are_as_typed():
    text = course_text(DOC_004)
    block = text.split("渠道分析", 1)[1].split("不同渠道互动能力的比较", 1)[0]
    block = plain(block.replace("渠道分析(续)", ""))
    segments = [s for s in block.split("——") if s]
    assert [
        s[: len(k)] for s, k in zip(segments, COURSE_PROFILES, strict=True)
    ] == list(COURSE_PROFILES)
    for segment, (channel, items) in zip(
        segments, COURSE_PROFILES.items(), strict=True
    ):
        # the segment is exactly the channel followed by its three entries, in order
        assert segment == channel + "".join(plain(i) for i in items), channel


def test_document_000_repeats_every_profile_entry():
    text = plain(course_text(DOC_000))
    for channel, items in COURSE_PROFILES.items():
        for item in items:
            assert plain(item) in text, (channel, item)


def test_course_has_no_rating_for_the_club():
    """The club is profiled, but the course's comparison table rates only five."""
    from crmkit.channels import course_channels

    table = course_channels(include_unrated=True)
    assert not table.loc["club", "rated_by_course"]
    text = plain(course_text(DOC_002))
    compare = text.split("不同渠道互动能力的比较", 1)[1].split("返利网", 1)[0]
    for channel in ("面对面交流", "信函", "电子邮件", "网站", "电话"):
        assert channel in compare
    assert "俱乐部" not in compare
