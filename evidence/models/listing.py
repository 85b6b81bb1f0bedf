"""Listings: the offers found on a platform, with their status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from evidence.models.matter import Matter
from evidence.models.seller import Seller
from evidence.sellers.urls import normalise_url
from ownership.shared import access
from ownership.shared.choices import Platform


class ListingQuerySet(models.QuerySet["Listing"]):
    def visible_to(self, user) -> ListingQuerySet:
        if access.is_firm_staff(user):
            return self.all()
        return self.filter(matters__in=Matter.objects.visible_to(user)).distinct()


class Listing(models.Model):
    """One offer page on a platform; the same page (after URL normalisation) is always one row."""

    class Appearance(models.TextChoices):
        """Where the infringement appears, as Amazon's Report Infringement form asks."""

        PRODUCT = "product", "Product"
        PACKAGING = "packaging", "Packaging"
        IMAGE = "image", "Listing image"
        TEXT = "text", "Listing text"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REPORTED = "reported", "Reported"
        REMOVED = "removed", "Removed"
        REAPPEARED = "reappeared", "Reappeared after removal"

    url = models.URLField(max_length=1000)
    url_key = models.CharField(max_length=1000, unique=True, editable=False)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    platform_item_id = models.CharField("item id / ASIN", max_length=100, blank=True)
    seller = models.ForeignKey(
        Seller, on_delete=models.PROTECT, related_name="listings", null=True, blank=True,
        help_text="Empty until the seller is known (a pasted URL says nothing of its seller).",
    )  # fmt: skip
    seller_name = models.CharField(
        "seller as shown", max_length=300, blank=True,
        help_text="The store's name as this listing's own evidence shows it. Pages and bundles show this, never a "
        "name another matter recorded for the same seller.",
    )  # fmt: skip
    matters = models.ManyToManyField(Matter, related_name="listings", blank=True)
    title = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    infringement_appears_in = models.JSONField(
        "where the infringement appears", default=list, blank=True,
        help_text="Product, packaging, listing image or listing text (Amazon asks for it in every notice).",
    )  # fmt: skip

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-first_seen"]

    def __str__(self) -> str:
        return self.title or self.url

    def save(self, *args, **kwargs):
        self.url_key = normalise_url(self.url)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        matter = max(self.matters.all(), key=lambda m: m.opened_on, default=None)  # uses a prefetch when there is one
        return reverse("web:matter_detail", args=[matter.reference]) if matter else self.url

    def clean(self) -> None:
        unknown = set(self.infringement_appears_in or []) - set(self.Appearance.values)
        if unknown:
            raise ValidationError({"infringement_appears_in": f"Unknown place: {', '.join(sorted(unknown))}."})

    @property
    def seller_label(self) -> str:
        """Who sells it, as this listing's evidence says: the name shown on it, else the platform's store id.

        The shared seller row's own name is never used: it may be what another client's matter recorded.
        """
        if self.seller_name:
            return self.seller_name
        if self.seller is not None and self.seller.platform_seller_id:
            return f"store id {self.seller.platform_seller_id}"
        return ""

    @property
    def appearance_labels(self) -> tuple[str, ...]:
        return tuple(self.Appearance(value).label for value in self.infringement_appears_in or [])
