"""Listings: the offers found on a platform, with their status."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from evidence.models.matter import Matter
from evidence.models.seller import Seller
from evidence.sellers.urls import normalise_url
from ownership.shared import access
from ownership.shared.choices import Platform

FACT_FIELDS = ("seller_name", "title", "price", "currency", "first_seen", "notes", "infringement_appears_in")
"""What a listing says, as one matter's evidence recorded it: kept on that matter's link, never on the shared row."""


class ListingQuerySet(models.QuerySet["Listing"]):
    def visible_to(self, user) -> ListingQuerySet:
        if access.is_firm_staff(user):
            return self.all()
        return self.filter(matters__in=Matter.objects.visible_to(user)).distinct()

    def in_matter(self, matter: Matter | int) -> ListingQuerySet:
        """The matter's listings, each carrying what that matter recorded of it under the usual names
        (``listing.title``, ``listing.seller_name`` ...): another matter's facts for the same page never show."""
        matter_id = matter if isinstance(matter, int) else matter.pk
        return self.filter(matter_links__matter_id=matter_id).annotate(
            matter_id=models.F("matter_links__matter_id"),
            **{name: models.F(f"matter_links__{name}") for name in FACT_FIELDS},
        )


class ListingFacts:
    """Labels drawn from a listing's facts, for a link or for a listing read through ``in_matter``."""

    seller: Seller | None
    seller_name: str
    title: str
    price: Decimal | None
    currency: str
    first_seen: datetime.datetime
    notes: str
    infringement_appears_in: list[str]

    @property
    def seller_label(self) -> str:
        """Who sells it, as this matter's evidence says: the name shown on it, else the platform's store id.

        The shared seller row's own name is never used: it may be what another client's matter recorded.
        """
        if self.seller_name:
            return self.seller_name
        if self.seller is not None and self.seller.platform_seller_id:
            return f"store id {self.seller.platform_seller_id}"
        return ""

    @property
    def appearance_labels(self) -> tuple[str, ...]:
        return tuple(Listing.Appearance(value).label for value in self.infringement_appears_in or [])


class Listing(ListingFacts, models.Model):
    """One offer page on a platform; the same page (after URL normalisation) is always one row.

    The row holds only what the URL determines and what the platform did to the page (status); what the page
    says belongs to each matter that recorded it (``MatterListing``), so one client's words never reach another.
    """

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
    matters = models.ManyToManyField(Matter, related_name="listings", blank=True, through="MatterListing")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.url

    def save(self, *args, **kwargs):
        self.url_key = normalise_url(self.url)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        matter = max(self.matters.all(), key=lambda m: m.opened_on, default=None)  # uses a prefetch when there is one
        return reverse("web:matter_detail", args=[matter.reference]) if matter else self.url


class MatterListing(ListingFacts, models.Model):
    """A listing as one matter recorded it: the title, store name, price and notes its evidence shows.

    The table is the one the plain many-to-many link used (``evidence_listing_matters``), now with the facts
    that used to sit on the shared listing row and leaked between clients enforcing against the same page.
    """

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="matter_links")
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="listing_links")
    seller_name = models.CharField(
        "seller as shown", max_length=300, blank=True,
        help_text="The store's name as this matter's evidence shows it.",
    )  # fmt: skip
    title = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    notes = models.TextField(blank=True)
    infringement_appears_in = models.JSONField(
        "where the infringement appears", default=list, blank=True,
        help_text="Product, packaging, listing image or listing text (Amazon asks for it in every notice).",
    )  # fmt: skip

    class Meta:
        db_table = "evidence_listing_matters"
        unique_together = [("listing", "matter")]
        indexes = [models.Index(fields=["matter", "-first_seen", "-listing"], name="listing_link_page_idx")]

    def __str__(self) -> str:
        return f"{self.matter.reference}: {self.title or self.listing.url}"

    def get_absolute_url(self) -> str:
        return reverse("web:matter_detail", args=[self.matter.reference])

    @property
    def seller(self) -> Seller | None:  # type: ignore[override]
        return self.listing.seller

    def clean(self) -> None:
        unknown = set(self.infringement_appears_in or []) - set(Listing.Appearance.values)
        if unknown:
            raise ValidationError({"infringement_appears_in": f"Unknown place: {', '.join(sorted(unknown))}."})


def matter_facts(matter: Matter | int, lookup: str = "listing") -> models.Prefetch:
    """Load the listing behind ``lookup`` (a purchase's, a capture's, an outcome's) through ``matter``, so it
    carries that matter's facts: ``purchases.prefetch_related(matter_facts(matter))``."""
    return models.Prefetch(lookup, queryset=Listing.objects.in_matter(matter).select_related("seller"))
