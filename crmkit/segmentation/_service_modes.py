"""The course's twelve modes of service-oriented manufacturing (服务型制造的12种模式).

Examples
--------
>>> from crmkit.segmentation import SERVICE_MANUFACTURING_MODES
>>> SERVICE_MANUFACTURING_MODES.loc[[1, 12], "模式"].tolist()
['客户定制模式', '现场制造模式']
"""

from __future__ import annotations

import pandas as pd

__all__ = ["SERVICE_MANUFACTURING_MODES"]

# The course's modes in its order (course document 000, 服务型制造的12种模式): the name
# verbatim, then an English name and the gist of each in the kit's own words (en, zh).
_COURSE_MODES = (
    (
        "客户定制模式",
        "customer customisation",
        "made to measure for each customer, in direct contact with them (e.g. online)",
        "与客户直接沟通（如经由互联网），按其个人需求量身定做",
    ),
    (
        "用户题材模式",
        "user-supplied theme",
        "the user supplies the subject (a photo, a text) and the firm designs and "
        "makes the product around it, for self-expression",
        "由用户提供题材（照片、文字等），企业据此设计和生产，满足用户的自我表达",
    ),
    (
        "智能工艺模式",
        "intelligent process",
        "data analysis and automated control make production efficient and automatic",
        "借助数据分析和自动化控制，使生产服务高效而自动",
    ),
    (
        "互动设计模式",
        "interactive design",
        "users take part through the internet and social media and design the "
        "product together with the firm",
        "用户经互联网和社交媒体参与进来，与企业一同完成产品的设计和制造",
    ),
    (
        "生态化服务模式",
        "ecosystem service",
        "a service platform that brings products, information and other resources "
        "together into all-round personal service",
        "搭建生态服务平台，把产品、资讯等资源整合起来，提供全方位的个性化服务",
    ),
    (
        "手工艺品模式",
        "handicraft",
        "a traditional mode: craftspeople sell their work to buyers across the "
        "country through online shops",
        "传统模式：手工艺人通过网店等平台把作品卖给各地顾客",
    ),
    (
        "石材加工模式",
        "stone processing",
        "hand carving together with CNC machining, stone products made to order",
        "传统手工雕刻与数控机床相结合，为不同人群定制石材产品",
    ),
    (
        "原创设计模式",
        "original design",
        "the firm's own original design, offered online as personalised products "
        "and services",
        "立足自主的原创设计，通过网络渠道向用户提供个性化的定制产品与服务",
    ),
    (
        "艺术品制造模式",
        "artwork making",
        "a high-end mode: design and craft together, fine artworks for high-end buyers",
        "高端模式：设计与工艺相结合，为高端消费者提供高品质的艺术品",
    ),
    (
        "科技工艺模式",
        "technology and process",
        "advanced processes and digital management for high-quality, efficient "
        "service manufacturing",
        "依靠先进的工艺技术和数字化管理，提供高品质、高效率的服务型制造",
    ),
    (
        "农村手工模式",
        "rural handicraft",
        "rooted in the countryside: local farm produce and traditional craft make "
        "products of local character",
        "立足农村，以本地农产品为原料、结合传统手艺，做出有地方特色的产品",
    ),
    (
        "现场制造模式",
        "on-site manufacturing",
        "designed and made quickly on site to the user's needs there, within the "
        "site's limits",
        "按用户在现场提出的需求，兼顾现场条件，快速完成设计和制造",
    ),
)


def _service_manufacturing_modes() -> pd.DataFrame:
    frame = pd.DataFrame(_COURSE_MODES, columns=["模式", "mode", "gist", "要点"])
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="no")
    return frame


#: The twelve modes of service-oriented manufacturing (服务型制造的12种模式) that
#: course document 000 lists, numbered 1–12 in the course's order: ``模式`` is the
#: course's name, verbatim; ``mode`` an English name; ``gist`` and ``要点`` say what
#: each mode does, in the kit's words (English, Chinese).
SERVICE_MANUFACTURING_MODES = _service_manufacturing_modes()
