"""The marketplaces the portal files complaints with.

Every app needs the list (matters target platforms, listings live on one, readiness depends on where a
complaint goes), so it lives in the lowest app. How each platform wants its complaint built lives in
``portal.platform_rules``.
"""

from django.db import models


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
