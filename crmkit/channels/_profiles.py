"""The course's qualitative profiles of the interaction channels (渠道分析).

Course document 004 (第7章 客户互动, 三、客户互动的渠道) describes five channels in
three short entries each: what the channel is like, what information it carries, and
what it is used for. Document 000 (接触工具与场所) repeats the same entries. The course
gives the entries without column names; the names 特点 / 信息 / 用途 (traits,
information, use) are the kit's.

Examples
--------
>>> from crmkit.channels import CHANNEL_PROFILES
>>> [v[0] for v in CHANNEL_PROFILES.values()]
['面谈', '信函', '电话', '网络', '俱乐部']
>>> CHANNEL_PROFILES["club"][3]
'情感交流'
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = ["CHANNEL_PROFILES"]

#: The course's channel profiles, in the course's order (面谈, 信函, 电话, 网络,
#: 俱乐部): key -> (渠道, 特点, 信息, 用途, traits, information, use). The
#: Chinese entries are the course's; the English ones are the kit's rendering of
#: them. The course's 网络 (the web) covers both 电子邮件 and 网站 of the comparison
#: table; 俱乐部 (the club) is profiled but not rated in that table.
CHANNEL_PROFILES = MappingProxyType(
    {
        "face-to-face": (
            "面谈",
            "生动、互动，可能需要安排",
            "声音、形体、环境信息，内容丰富",
            "对一般信息或深度问题的咨询、交流",
            "vivid and interactive; may need an appointment",
            "voice, body language and surroundings; rich content",
            "enquiries and exchanges on general information or in-depth questions",
        ),
        "letter": (
            "信函",
            "正式但可能生硬、大众化或个性化，缺乏互动，反馈慢",
            "书面信息、内容可较丰富、可保存",
            "对相关信息充分的介绍、解释、交流等",
            "formal but possibly stiff; mass or personalised; "
            "little interaction, slow feedback",
            "written; the content can be fairly rich and can be kept",
            "presenting, explaining and discussing the relevant information in full",
        ),
        "phone": (
            "电话",
            "快捷、简便、互动",
            "声音信息、内容较单一",
            "对一般信息的咨询、交流",
            "fast, simple, interactive",
            "voice only; fairly narrow content",
            "enquiries and exchanges on general information",
        ),
        "web": (
            "网络",
            "快捷、简便、互动性好，不受时空限制",
            "信息形式多样、内容丰富",
            "对一般信息或特定信息的咨询、交流",
            "fast, simple, highly interactive; not bound by time or place",
            "information in many forms; rich content",
            "enquiries and exchanges on general or specific information",
        ),
        "club": (
            "俱乐部",
            "生动、互动，可能需要安排",
            "声音、形体、环境及活动信息，内容丰富",
            "情感交流",
            "vivid and interactive; may need arranging",
            "voice, body language, surroundings and activities; rich content",
            "emotional exchange",
        ),
    }
)
