"""What ties stores to the people behind them: identifiers backed by evidence, and the staff's decisions on
links that an identifier only suggests."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from evidence.models.capture import Capture
from evidence.models.exhibit import Exhibit
from evidence.models.listing_import import ListingImport
from evidence.models.seller import Seller
from evidence.sellers.identifiers import STRONG_KINDS, IdentifierKind, InvalidIdentifier, identifier_key


class SellerIdentifierQuerySet(models.QuerySet["SellerIdentifier"]):
    def current(self) -> SellerIdentifierQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def strong(self) -> SellerIdentifierQuerySet:
        return self.filter(kind__in=STRONG_KINDS)


class SellerIdentifier(models.Model):
    """A phone, e-mail, company, code, address… seen for a seller, with the evidence that showed it."""

    Kind = IdentifierKind

    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(max_length=500, help_text="As the evidence shows it.")
    key = models.CharField(max_length=500, editable=False, db_index=True, help_text="Its normal form.")
    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    listing_import = models.ForeignKey(
        ListingImport, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text="The listing file (kept with its SHA-256) whose row gave it.",
    )  # fmt: skip
    seen_at = models.DateTimeField(default=timezone.now, help_text="When the evidence showed it.")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    objects = SellerIdentifierQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "value"]
        indexes = [models.Index(fields=["kind", "key"], name="identifier_kind_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "kind", "key"],
                condition=Q(withdrawn_at__isnull=True),
                name="identifier_unique_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def is_strong(self) -> bool:
        return self.kind in STRONG_KINDS

    def clean(self) -> None:
        if self.exhibit is None and self.capture is None and self.listing_import is None:
            raise ValidationError("Name the exhibit, capture or listing file that shows this identifier.")
        try:
            self.key = identifier_key(self.kind, self.value)
        except InvalidIdentifier as exc:
            raise ValidationError({"value": str(exc)}) from None


class SellerLink(models.Model):
    """Staff's decision on two sellers that share only a weak identifier (a company name, an address)."""

    class Decision(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    seller_a = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    seller_b = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    key = models.CharField(max_length=500)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.SUGGESTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seller_a", "seller_b", "kind", "key"], name="seller_link_unique"),
            models.CheckConstraint(condition=Q(seller_a__lt=models.F("seller_b")), name="seller_link_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.seller_a} – {self.seller_b} ({self.get_kind_display()}, {self.get_decision_display()})"
