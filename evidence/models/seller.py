"""Sellers: the stores behind listings, recognised again under new names."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from evidence.models.matter import Matter
from evidence.sellers.names import normalise_name
from evidence.sellers.urls import normalise_url
from ownership.shared import access
from ownership.shared.choices import Platform


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
    network_id = models.PositiveBigIntegerField(
        null=True, blank=True, db_index=True, editable=False,
        help_text="The network of sellers tied to this one by shared identifiers (the lowest seller id in it); "
        "empty when it stands alone. Kept by evidence.networks.",
    )  # fmt: skip

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
