"""Choice lists every layer shares, in a leaf module that imports nothing of the project.

The marketplaces the portal files complaints with: matters target platforms, listings live on one,
readiness depends on where a complaint goes. How each platform wants its complaint built lives in
``portal.platform_rules``. Member roles: what a client user may do for a rights holder.
"""

from django.db import models


class MemberRole(models.TextChoices):
    """What a client user may do for the rights holder they belong to."""

    SIGNATORY = "signatory", "Signatory (director or officer: instructs the firm, signs statements for it)"
    MANAGER = "manager", "Manager (instructs the firm)"
    CONTRIBUTOR = "contributor", "Contributor (uploads evidence)"
    VIEWER = "viewer", "Viewer (reads matters and bundles)"


class Platform(models.TextChoices):
    ALIBABA = "alibaba", "Alibaba.com (IPP)"
    ALIEXPRESS = "aliexpress", "AliExpress (IPP)"
    TAOBAO = "taobao", "Taobao / Tmall (IPP)"
    ALI1688 = "1688", "1688.com (IPP)"
    AMAZON = "amazon", "Amazon"
    EBAY = "ebay", "eBay (VeRO)"


# Platforms run from mainland China, where Chinese-language proof and a China-valid right matter.
CHINESE_PLATFORMS = frozenset({Platform.ALIBABA, Platform.ALIEXPRESS, Platform.TAOBAO, Platform.ALI1688})


# The platforms' own Chinese names, for the Chinese column of bilingual documents: Alibaba Group's sites as they
# name themselves (阿里巴巴国际站 alibaba.com, 全球速卖通 aliexpress.com, 淘宝 / 天猫, 1688.com), Amazon's
# China site (亚马逊, amazon.cn); eBay trades in China under its Latin name. IPP is 阿里巴巴知识产权保护平台.
PLATFORM_NAMES_ZH: dict[str, str] = {
    Platform.ALIBABA: "阿里巴巴国际站（知识产权保护平台）",
    Platform.ALIEXPRESS: "全球速卖通（知识产权保护平台）",
    Platform.TAOBAO: "淘宝／天猫（知识产权保护平台）",
    Platform.ALI1688: "1688（知识产权保护平台）",
    Platform.AMAZON: "亚马逊",
    Platform.EBAY: "eBay（VeRO）",
}


def platform_label(code: str) -> str:
    return Platform(code).label
