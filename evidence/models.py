"""What was found and bought: matters (enforcement cases) and, below them, the evidence."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from evidence.sellers import normalise_name, normalise_url
from ownership.models import IPRight, RightsHolder
from ownership.shared import access, hashchain
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


class SellerQuerySet(models.QuerySet["Seller"]):
    def visible_to(self, user) -> SellerQuerySet:
        """Staff see every seller; a client sees the sellers met in their own matters."""
        if access.is_firm_staff(user):
            return self.all()
        return self.filter(listings__matters__in=Matter.objects.visible_to(user)).distinct()


class Seller(models.Model):
    """A store on one platform. Sellers come back under new names: aliases and matching keep them one."""

    platform = models.CharField(max_length=20, choices=Platform.choices)
    store_name = models.CharField(max_length=300, help_text="As shown on the platform, in any script.")
    store_url = models.URLField(max_length=1000, blank=True)
    platform_seller_id = models.CharField("platform seller/store id", max_length=200, blank=True)
    company_name = models.CharField(max_length=300, blank=True)
    address = models.TextField(blank=True)
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    url_key = models.CharField(max_length=1000, editable=False, blank=True, db_index=True)
    first_seen = models.DateTimeField(default=timezone.now)

    objects = SellerQuerySet.as_manager()

    class Meta:
        ordering = ["platform", "store_name"]

    def __str__(self) -> str:
        return f"{self.store_name} ({self.get_platform_display()})"

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.store_name)
        self.url_key = normalise_url(self.store_url) if self.store_url else ""
        super().save(*args, **kwargs)

    def history(self) -> QuerySet[Matter]:
        """Every matter this seller has appeared in, under any name."""
        return Matter.objects.filter(listings__seller=self).distinct()


class SellerAlias(models.Model):
    seller = models.ForeignKey(Seller, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    first_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_seen"]
        verbose_name_plural = "seller aliases"
        constraints = [models.UniqueConstraint(fields=["seller", "name"], name="seller_alias_unique")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalise_name(self.name)
        super().save(*args, **kwargs)


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
    seller = models.ForeignKey(Seller, on_delete=models.PROTECT, related_name="listings")
    matters = models.ManyToManyField(Matter, related_name="listings", blank=True)
    title = models.CharField(max_length=500, blank=True)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    status_changed_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
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
    def appearance_labels(self) -> tuple[str, ...]:
        return tuple(self.Appearance(value).label for value in self.infringement_appears_in or [])


class TestPurchaseQuerySet(models.QuerySet["TestPurchase"]):
    def visible_to(self, user) -> TestPurchaseQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))


class TestPurchase(models.Model):
    """A covert buy of suspect goods, and the examination of what arrived: the test-buy report."""

    __test__ = False  # not a pytest test class

    class Result(models.TextChoices):
        PENDING = "", "Not examined yet"
        COUNTERFEIT = "counterfeit", "Counterfeit"
        GENUINE = "genuine", "Genuine"
        INCONCLUSIVE = "inconclusive", "Inconclusive"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="purchases")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="purchases")
    rights = models.ManyToManyField(IPRight, blank=True, related_name="purchases", verbose_name="rights infringed")
    order_number = models.CharField(max_length=100)
    order_date = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    purchaser_alias = models.CharField(max_length=200, help_text="The name the investigator bought under.")
    delivered_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.PENDING, blank=True)
    examination_method = models.TextField(blank=True, help_text="How the item was compared with the genuine one.")
    examination_reasons = models.TextField(blank=True, help_text="Why it is (or is not) counterfeit.")
    examiner = models.CharField(max_length=200, blank=True)
    examined_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TestPurchaseQuerySet.as_manager()

    class Meta:
        ordering = ["order_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "order_number"], name="purchase_unique_order_per_matter")
        ]

    def __str__(self) -> str:
        return f"Order {self.order_number} ({self.matter.reference})"

    def clean(self) -> None:
        errors = {}
        if self.listing_id and self.matter_id and self.listing.platform not in self.matter.platforms:
            errors["listing"] = "The listing's platform is not one of the matter's target platforms."
        if self.received_on and self.order_date and self.received_on < self.order_date:
            errors["received_on"] = "The item cannot be received before it was ordered."
        if self.result and not (self.examination_method and self.examination_reasons and self.examiner):
            errors["result"] = "An examination result needs the method, the reasons and the examiner."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def signed_report_in(exhibits) -> Exhibit | None:
        """The test-buy report signed or sealed by the rights holder, among a purchase's current exhibits."""
        return next((e for e in exhibits if e.kind == Exhibit.Kind.SIGNED_TEST_BUY_REPORT), None)


class ExhibitQuerySet(models.QuerySet["Exhibit"]):
    def visible_to(self, user) -> ExhibitQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))

    def current(self) -> ExhibitQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def for_bundle(self, *, matter, purchases) -> ExhibitQuerySet:
        """What a bundle takes: the matter's current exhibits of its chosen test purchases, and the matter's own."""
        return self.current().filter(matter=matter).filter(Q(purchase__isnull=True) | Q(purchase__in=purchases))


class ExhibitChangeForbidden(hashchain.AppendOnlyViolation):
    """Exhibits are evidence: once uploaded they are never changed, only withdrawn."""


class Exhibit(models.Model):
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
        VIDEO = "video", "Video"
        OTHER = "other", "Other"

    WITHDRAWAL_FIELDS = frozenset({"withdrawn_at", "withdrawn_by", "withdrawal_reason"})

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="exhibits")
    purchase = models.ForeignKey(TestPurchase, on_delete=models.PROTECT, related_name="exhibits", null=True, blank=True)
    number = models.PositiveIntegerField(help_text="Exhibit number within the matter.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.CharField(max_length=500, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True, help_text="When the page or photo was captured.")
    source_url = models.URLField(max_length=1000, blank=True)
    file = models.FileField(max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = ExhibitQuerySet.as_manager()

    class Meta:
        ordering = ["matter", "number"]
        constraints = [models.UniqueConstraint(fields=["matter", "number"], name="exhibit_unique_number")]

    def __str__(self) -> str:
        return f"Exhibit {self.number}: {self.original_name}"

    def save(self, *args, update_fields=None, **kwargs):
        if self.pk and (update_fields is None or not set(update_fields) <= self.WITHDRAWAL_FIELDS):
            raise ExhibitChangeForbidden("An exhibit cannot be changed after upload; withdraw it instead.")
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ExhibitChangeForbidden("An exhibit cannot be deleted; withdraw it instead.")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def label(self) -> str:
        return f"{self.matter.reference} exhibit {self.number}"


class CustodyEventQuerySet(models.QuerySet["CustodyEvent"]):
    def visible_to(self, user) -> CustodyEventQuerySet:
        return self.filter(matter__in=Matter.objects.visible_to(user))


class CustodyEvent(hashchain.ChainedEntry):
    """One entry of a matter's append-only, hash-chained chain of custody."""

    class Action(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        PARCEL_RECEIVED = "parcel_received", "Parcel received"
        SEALED = "sealed", "Sealed in evidence bag"
        MOVED = "moved", "Moved to location"
        EXAMINED = "examined", "Examined"
        INCLUDED_IN_BUNDLE = "included_in_bundle", "Included in bundle"
        DOWNLOADED = "downloaded", "Downloaded"
        WITHDRAWN = "withdrawn", "Withdrawn"

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
