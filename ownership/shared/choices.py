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


def platform_label(code: str) -> str:
    return Platform(code).label
