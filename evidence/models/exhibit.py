"""Exhibits: evidence files, hashed at upload and never changed, only withdrawn."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evidence.models.capture import Capture
from evidence.models.matter import Matter
from evidence.models.purchase import TestPurchase
from ownership.shared import hashchain
from ownership.shared.ocr import OCR_FIELDS, OcrRendition


class ExhibitQuerySet(models.QuerySet["Exhibit"]):
    def visible_to(self, user) -> ExhibitQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def current(self) -> ExhibitQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def for_bundle(self, *, matter, purchases, listings) -> ExhibitQuerySet:
        """What a bundle takes: the matter's current exhibits of its chosen test purchases, the matter's own, and
        the evidence captures of its listings (a capture of another listing, or of a takedown check, which
        proves removal rather than infringement, stays out)."""
        return (
            self.current()
            .filter(matter=matter)
            .filter(Q(purchase__isnull=True) | Q(purchase__in=purchases))
            .filter(Q(capture__isnull=True) | Q(capture__listing__in=listings))
            .exclude(capture__purpose=Capture.Purpose.CHECK)
        )


class ExhibitChangeForbidden(hashchain.AppendOnlyViolation):
    """Exhibits are evidence: once uploaded they are never changed, only withdrawn."""


class Exhibit(OcrRendition):
    """An evidence file, hashed while it was stored. Never edited; withdrawal keeps the file."""

    class Kind(models.TextChoices):
        LISTING_CAPTURE = "listing_capture", "Listing capture"
        ORDER_CONFIRMATION = "order_confirmation", "Order confirmation"
        PAYMENT_RECEIPT = "payment_receipt", "Payment receipt"
        PARCEL_PHOTO = "parcel_photo", "Parcel or label photo"
        PRODUCT_PHOTO = "product_photo", "Product photo"
        COMPARISON = "comparison", "Genuine vs suspect comparison"
        SIGNED_TEST_BUY_REPORT = "signed_test_buy_report", "Test-buy report signed by the rights holder"
        WEB_ARCHIVE = "web_archive", "Web archive"
        CAPTURE_RECORD = "capture_record", "Capture record (signed)"
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

    job_task = "evidence.tasks.ocr_exhibit_task"  # its OCR reading, on the "ocr" queue

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawal_reason"})
    CHANGEABLE_FIELDS = WITHDRAWAL_FIELDS | OCR_FIELDS  # the file and its record never change

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="exhibits")
    purchase = models.ForeignKey(TestPurchase, on_delete=models.PROTECT, related_name="exhibits", null=True, blank=True)
    number = models.PositiveIntegerField(help_text="Exhibit number within the matter.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=500, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When the page or photo was captured.")
    capture = models.ForeignKey(
        Capture, on_delete=models.PROTECT, related_name="exhibits", null=True, blank=True,
        help_text="The portal's own capture that made this file.",
    )  # fmt: skip
    source_url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text="Empty only for the portal's own scheduled captures.",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = ExhibitQuerySet.as_manager()
    # What the uploader is told about the file as it was stored (``exhibit_upload``); not a column.
    upload_warning = ""

    class Meta:
        ordering = ["matter", "number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="exhibit_unique_number")]

    def __str__(self) -> str:
        return f"Exhibit {self.number}: {self.original_name}"

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk and (update_fields is None or not set(update_fields) <= self.CHANGEABLE_FIELDS):
            raise ExhibitChangeForbidden("An exhibit cannot be changed after upload; withdraw it instead.")
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ExhibitChangeForbidden("An exhibit cannot be deleted; withdraw it instead.")

    def get_absolute_url(self) -> str:
        return reverse("web:matter_detail", args=[self.matter.reference]) + "#purchases"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def label(self) -> str:
        return f"{self.matter.reference} exhibit {self.number}"

    @staticmethod
    def signed_test_buy_report_in(exhibits: Iterable[Exhibit]) -> Exhibit | None:
        """The test-buy report signed or sealed by the rights holder, among a purchase's current exhibits."""
        return next((e for e in exhibits if e.kind == Exhibit.Kind.SIGNED_TEST_BUY_REPORT), None)
