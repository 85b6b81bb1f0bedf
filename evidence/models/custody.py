"""The chain of custody: each matter's append-only, hash-chained log."""

from __future__ import annotations

from django.db import models

from evidence.models.exhibit import Exhibit, ExhibitChangeForbidden
from evidence.models.matter import Matter
from ownership.shared import hashchain


class CustodyEventQuerySet(models.QuerySet["CustodyEvent"]):
    def visible_to(self, user) -> CustodyEventQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))


class CustodyEvent(hashchain.ChainedEntry):
    """One entry of a matter's append-only, hash-chained chain of custody."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CAPTURED = "captured", "Captured by the portal"
        PARCEL_RECEIVED = "parcel_received", "Parcel received"
        SEALED = "sealed", "Sealed in evidence bag"
        MOVED = "moved", "Moved to location"
        EXAMINED = "examined", "Examined"
        INCLUDED_IN_BUNDLE = "included_in_bundle", "Included in bundle"
        DOWNLOADED = "downloaded", "Downloaded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RENDITION_MADE = "rendition_made", "Searchable copy made (OCR); the original is unchanged"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="custody_events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=30, choices=Action.choices)
    exhibit = models.ForeignKey(Exhibit, on_delete=models.PROTECT, related_name="custody_events", null=True, blank=True)
    item_label = models.CharField(max_length=200, blank=True, help_text="A physical item, e.g. 'evidence bag 17'.")
    details = models.TextField(blank=True)

    change_forbidden = ExhibitChangeForbidden
    objects = CustodyEventQuerySet.as_manager()

    class Meta:
        ordering = ["matter", "sequence"]
        constraints = [models.UniqueConstraint(fields=["matter", "sequence"], name="custody_unique_sequence")]

    def __str__(self) -> str:
        return f"{self.matter.reference} #{self.sequence} {self.get_action_display()}"

    def chain_label(self) -> str:
        return f"{self.matter.reference} custody entry #{self.sequence} (id {self.pk}, {self.get_action_display()})"

    def chained_fields(self) -> dict:
        """What the entry's hash covers."""
        return {
            "matter": self.matter_id,
            "sequence": self.sequence,
            "action": self.action,
            "exhibit": self.exhibit_id,
            # The exhibit's recorded hash is chained too: editing it in the database breaks the chain.
            "exhibit_sha256": self.exhibit.sha256 if self.exhibit_id else "",
            "item_label": self.item_label,
            "details": self.details,
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "created_at": self.created_at.isoformat(),
        }
