"""What a matter's test purchases still lack before a platform takes them, beside the proof of ownership.

IPP asks for the test-buy report signed or sealed by the rights holder (ipp.alibabagroup.com test-buy FAQ):
until a signed copy is uploaded to the purchase, a matter that targets an IPP platform is not ready.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from evidence.models import Exhibit, Matter, TestPurchase
from ownership.shared.choices import CHINESE_PLATFORMS


@dataclass(frozen=True)
class PurchaseGap:
    """A purchase whose test-buy report awaits the rights holder's signature, and what to do, in words."""

    purchase_id: int
    text: str

    def __str__(self) -> str:
        return self.text


def purchase_readiness(matter: Matter) -> list[PurchaseGap]:
    """One gap per purchase whose test-buy report awaits the rights holder's signature, for IPP matters."""
    if not set(matter.platforms) & {str(p) for p in CHINESE_PLATFORMS}:
        return []
    signed = set(
        Exhibit.objects.current()
        .filter(matter=matter, kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT)
        .values_list("purchase_id", flat=True)
    )
    return [
        PurchaseGap(
            purchase.pk,
            f"Test-buy report for order {purchase.order_number}: IPP asks for it signed or "
            "sealed by the rights holder. Sign it in the portal (Draft it), or upload the signed report to "
            "the purchase (kind: test-buy report signed by the rights holder).",
        )  # fmt: skip
        for purchase in TestPurchase.objects.filter(matter=matter).order_by("order_date", "pk")
        if purchase.pk not in signed
    ]


def unsigned_reports_per_matter(matters: list[Matter]) -> dict[int, int]:
    """How many test-buy reports await the rights holder's signature in each IPP matter, in one query (the
    dashboard's count of what ``purchase_readiness`` lists on a matter's page)."""
    ipp = [matter.pk for matter in matters if set(matter.platforms) & {str(p) for p in CHINESE_PLATFORMS}]
    signed = Exhibit.objects.current().filter(purchase=OuterRef("pk"), kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT)
    rows = (
        TestPurchase.objects.filter(matter__in=ipp).exclude(Exists(signed))
        .order_by().values_list("matter_id").annotate(n=Count("pk"))
    )  # fmt: skip
    return dict(rows)
