"""Test purchases: orders placed to prove what a listing sells."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from evidence.models.listing import Listing
from evidence.models.matter import Matter
from ownership.models import IPRight


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
        elif self.listing_id and self.matter_id and not self.listing.matters.filter(pk=self.matter_id).exists():
            errors["listing"] = "The listing is not one of the matter's listings: add it to the matter first."
        if self.received_on and self.order_date and self.received_on < self.order_date:
            errors["received_on"] = "The item cannot be received before it was ordered."
        if self.result and not (self.examination_method and self.examination_reasons and self.examiner):
            errors["result"] = "An examination result needs the method, the reasons and the examiner."
        if errors:
            raise ValidationError(errors)
