"""Listing imports: a file or pasted URLs, previewed, then imported into a matter, with the outcome kept."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from evidence.models.matter import Matter
from ownership.shared import access
from ownership.shared.jobs import Job


class ListingImportQuerySet(models.QuerySet["ListingImport"]):
    def visible_to(self, user) -> ListingImportQuerySet:
        """Imports are the firm's work: staff see them."""
        return self.all() if access.is_firm_staff(user) else self.none()


class ListingImport(Job):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, not imported"
        QUEUED = "queued", "Queued (waiting for a worker)"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed: nothing was imported"

    job_task = "evidence.tasks.listing_import_task"
    job_running = Status.IMPORTING
    job_error_field = "message"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="listing_imports")
    source_name = models.CharField(max_length=300, help_text="The file's name, or 'pasted URLs'.")
    file = models.CharField(max_length=500, help_text="The stored copy that was previewed and is imported.")
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    rows = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    preview = models.JSONField(default=list, help_text="The preview, as lines.")
    result = models.JSONField(default=list, blank=True, help_text="What the import did, as lines.")
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ListingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} into {self.matter.reference}"

    @property
    def can_run(self) -> bool:
        """Previewed, or failed (nothing of it was written): it may be imported (again)."""
        return self.status in (self.Status.PREVIEWED, self.Status.FAILED)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.IMPORTING)
