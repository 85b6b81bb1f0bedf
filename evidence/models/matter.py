"""Matters: the enforcement cases every piece of evidence belongs to."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from ownership.models import RightsHolder
from ownership.shared import hashchain
from ownership.shared.choices import Platform


class MatterQuerySet(models.QuerySet["Matter"]):
    def visible_to(self, user) -> MatterQuerySet:
        return self.filter(rights_holder__in=RightsHolder.objects.visible_to(user))


class Matter(models.Model):
    """An enforcement case of one rights holder against counterfeit listings."""

    class Status(models.TextChoices):
        INVESTIGATING = "investigating", "Investigating"
        PREPARING = "preparing", "Preparing complaint"
        SUBMITTED = "submitted", "Submitted to platform"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    reference = models.CharField(
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}-\d{4}-\d{3,}$", "Use the form LUM-2026-001.")],
        help_text="Rights holder code, year and sequence, e.g. LUM-2026-001.",
    )
    rights_holder = models.ForeignKey(RightsHolder, on_delete=models.PROTECT, related_name="matters")
    title = models.CharField(max_length=200)
    platforms = models.JSONField(
        "target platforms", default=list, blank=True, help_text="Marketplaces the complaints go to."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVESTIGATING)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_matters",
        limit_choices_to={"is_staff": True},
        help_text="The fee earner in charge at the firm.",
    )
    opened_on = models.DateField()
    # The custody chain's head, kept beside it: removing the newest entries leaves a chain that still links,
    # and only the recorded length and last hash show that something is missing.
    custody_length = models.PositiveIntegerField(default=0, editable=False)
    custody_head = models.CharField(max_length=64, default=hashchain.GENESIS, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "reference"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("web:matter_detail", args=[self.reference])

    def clean(self) -> None:
        unknown = [code for code in self.platforms or [] if code not in Platform.values]
        if unknown:
            raise ValidationError({"platforms": f"Unknown platform: {', '.join(map(str, unknown))}."})
        if self.responsible_id and not self.responsible.is_staff:
            raise ValidationError({"responsible": "The responsible person must be firm staff."})
        if self.reference and self.rights_holder_id and not self.reference.startswith(f"{self.rights_holder.code}-"):
            raise ValidationError(
                {"reference": f"The reference must start with the rights holder's code {self.rights_holder.code}-."}
            )

    @property
    def platform_labels(self) -> list[str]:
        return [Platform(code).label for code in self.platforms]
