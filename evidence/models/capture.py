"""Forensic captures of listing pages, and the watch that re-captures a reported listing until it is down."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from evidence.models.listing import Listing, MatterListing
from evidence.models.matter import Matter
from ownership.shared.jobs import Job


class CaptureQuerySet(models.QuerySet["Capture"]):
    def visible_to(self, user) -> CaptureQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))


class Capture(Job):
    """One visit of a listing's URL by the portal's own browser, and what it recorded.

    The record (URL, redirects, status, headers, server address, TLS chain, times, browser) is filled by the
    capture worker; the files it made are exhibits pointing back here. A failed capture keeps its reason and
    stores no exhibit.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued (waiting for a capture worker)"
        RUNNING = "running", "Capturing"
        DONE = "done", "Captured"
        FAILED = "failed", "Failed"

    job_task = "evidence.tasks.capture_task"  # routed to the ``capture`` queue by CELERY_TASK_ROUTES
    job_error_field = "failure_reason"

    class Purpose(models.TextChoices):
        EVIDENCE = "evidence", "Evidence capture"
        CHECK = "check", "Takedown check"

    class Outcome(models.TextChoices):
        ONLINE = "online", "Still online"
        REMOVED = "removed", "Removal confirmed"
        REAPPEARED = "reappeared", "Back online after removal"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="captures")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="captures", null=True, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.EVIDENCE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    failure_reason = models.TextField(blank=True)
    requested_url = models.URLField(max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        help_text="Empty for a scheduled takedown check.",
    )  # fmt: skip
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    final_url = models.URLField(max_length=2000, blank=True)
    redirects = models.JSONField(default=list, blank=True, help_text="Each hop: URL and HTTP status.")
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_headers = models.JSONField(default=list, blank=True)
    server_ip = models.GenericIPAddressField(null=True, blank=True)
    tls_certificates = models.JSONField(default=list, blank=True, help_text="The origin's chain, leaf first.")
    browser = models.CharField(max_length=100, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    viewport = models.CharField(max_length=20, blank=True)
    portal_version = models.CharField(max_length=40, blank=True)
    requests_made = models.PositiveIntegerField(default=0)
    bytes_received = models.PositiveBigIntegerField(default=0)
    refused_requests = models.JSONField(default=list, blank=True, help_text="Sub-resources refused, with reasons.")
    page_facts = models.JSONField(default=dict, blank=True, help_text="What the page says: title, price, seller.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(max_length=300, blank=True)
    record_sha256 = models.CharField("record SHA-256", max_length=64, blank=True)
    record_timestamp = models.BinaryField(blank=True, default=b"", help_text="RFC 3161 token over the record hash.")

    objects = CaptureQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} of {self.requested_url} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("web:capture_detail", args=[self.pk])


class TakedownWatchQuerySet(models.QuerySet["TakedownWatch"]):
    def visible_to(self, user) -> TakedownWatchQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def still_online(self) -> TakedownWatchQuerySet:
        """Listings a check found still online past the grace period after filing, not since confirmed removed."""
        return (
            self.filter(online_flagged_at__isnull=False, removal_confirmed_at__isnull=True)
            .exclude(listing__status=Listing.Status.REMOVED)
            .with_listing_title()
        )

    def with_listing_title(self) -> TakedownWatchQuerySet:
        """Each watch with the listing's title as its own matter recorded it (``listing_title``)."""
        link = MatterListing.objects.filter(
            listing_id=models.OuterRef("listing_id"), matter_id=models.OuterRef("matter_id")
        )
        return self.annotate(listing_title=models.Subquery(link.values("title")[:1]))


class TakedownWatch(models.Model):
    """A reported listing re-captured on a schedule after filing, until removal is confirmed or the schedule ends."""

    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="watches")
    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="watches")
    filed_at = models.DateTimeField()
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="Empty once it is over.")
    checks_until = models.DateTimeField()
    last_capture = models.ForeignKey(Capture, on_delete=models.SET_NULL, related_name="+", null=True, blank=True)
    removal_confirmed_at = models.DateTimeField(null=True, blank=True)
    online_flagged_at = models.DateTimeField(
        null=True, blank=True, help_text="When the listing was found still online past the grace period."
    )

    objects = TakedownWatchQuerySet.as_manager()

    class Meta:
        ordering = ["next_check_at"]
        constraints = [models.UniqueConstraint(fields=["listing", "matter"], name="watch_unique_listing_matter")]

    def __str__(self) -> str:
        listing = getattr(self, "listing_title", "") or self.listing.url  # the title when read ``with_listing_title``
        return f"{self.matter.reference}: {listing} still online since filing on {self.filed_at:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return self.last_capture.get_absolute_url() if self.last_capture else self.listing.get_absolute_url()
