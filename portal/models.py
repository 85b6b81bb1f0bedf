"""What the portal delivers: complaint bundles."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from evidence.models import Listing, Matter, TestPurchase
from ownership.models import IPRight
from ownership.platforms import Platform


class BundleQuerySet(models.QuerySet["Bundle"]):
    def visible_to(self, user) -> BundleQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def active(self) -> BundleQuerySet:
        return self.filter(status__in=Bundle.ACTIVE_STATUSES)

    def needing_dispatch(self, *, now: datetime.datetime | None = None) -> BundleQuerySet:
        """Requests the broker never received, and compiles whose worker stopped reporting progress."""
        now = now or timezone.now()
        stalled_before = now - datetime.timedelta(seconds=settings.PORTAL_BUNDLE_STALL_SECONDS)
        lost_before = now - datetime.timedelta(seconds=settings.PORTAL_BUNDLE_REQUEUE_SECONDS)
        return self.filter(
            Q(status=Bundle.Status.QUEUED, dispatched_at__isnull=True)
            | Q(status=Bundle.Status.QUEUED, dispatched_at__lt=lost_before)
            | Q(status=Bundle.Status.COMPILING, heartbeat_at__lt=stalled_before)
        )


class Bundle(models.Model):
    """One signed PDF complaint bundle of a matter for a platform. Never overwritten: a recompile is a new version."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        COMPILING = "compiling", "Compiling"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    ACTIVE_STATUSES = (Status.QUEUED, Status.COMPILING)

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="bundles")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    version = models.PositiveIntegerField()
    rights = models.ManyToManyField(IPRight, blank=True, related_name="bundles")
    listings = models.ManyToManyField(Listing, blank=True, related_name="bundles")
    purchases = models.ManyToManyField(TestPurchase, blank=True, related_name="bundles")
    inputs_digest = models.CharField(
        max_length=64, help_text="SHA-256 of everything the bundle is built from; equal inputs, equal digest."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    error_message = models.TextField(blank=True, help_text="Why the compile failed, in words a person can act on.")
    attempts = models.PositiveSmallIntegerField(default=0)
    claim_token = models.CharField(max_length=32, blank=True, help_text="Which compile run holds the bundle.")

    file = models.FileField(upload_to="bundles/", max_length=300, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    exhibit_count = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField("SHA-256 of the signed file", max_length=64, blank=True, db_index=True)
    unsigned_sha256 = models.CharField("SHA-256 of the unsigned content", max_length=64, blank=True)
    manifest_sha256 = models.CharField("SHA-256 of the exhibit manifest", max_length=64, blank=True)
    signer_fingerprint = models.CharField("signer certificate SHA-256", max_length=64, blank=True)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="requested_bundles"
    )
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True, help_text="When the broker accepted the task.")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = BundleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "platform", "version"], name="bundle_unique_version"),
            # At most one compile of the same inputs is queued or running at any time.
            models.UniqueConstraint(
                fields=["matter", "platform", "inputs_digest"],
                condition=Q(status__in=["queued", "compiling"]),
                name="bundle_one_active_compile_per_inputs",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter.reference} {self.get_platform_display()} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("web:matter_detail", args=[self.matter.reference]) + "#bundles"

    @property
    def stamp_prefix(self) -> str:
        return self.matter.rights_holder.code

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES
