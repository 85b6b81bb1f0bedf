"""Reads that pages need, scoped by the caller to what the user may see, with a flat number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from evidence.models import Listing, Matter, MatterListing, Seller, SellerIdentifier, SellerLink


@dataclass(frozen=True)
class ListingFilter:
    platform: str = ""
    status: str = ""
    seller: str = ""  # part of the seller's name as the listing shows it, or its store id
    q: str = ""  # part of the title or the URL
    seen_from: datetime.date | None = None
    seen_to: datetime.date | None = None
    reappeared: bool = False  # back after a removal: the listing itself, or its seller on a new listing


def matter_listings(matter: Matter, filters: ListingFilter) -> QuerySet[Listing]:
    """The matter's listings that match, newest first (then by id, so keyset pages are stable)."""
    listings = Listing.objects.in_matter(matter).select_related("seller").order_by("-first_seen", "-pk")
    if filters.platform:
        listings = listings.filter(platform=filters.platform)
    if filters.status:
        listings = listings.filter(status=filters.status)
    if filters.seller:
        listings = listings.filter(
            Q(seller_name__icontains=filters.seller) | Q(seller__platform_seller_id=filters.seller)
        )
    if filters.q:
        listings = listings.filter(Q(title__icontains=filters.q) | Q(url__icontains=filters.q))
    if filters.seen_from:
        listings = listings.filter(first_seen__date__gte=filters.seen_from)
    if filters.seen_to:
        listings = listings.filter(first_seen__date__lte=filters.seen_to)
    if filters.reappeared:
        listings = listings.annotate(seller_back=Exists(_removed_before(matter))).filter(
            Q(status=Listing.Status.REAPPEARED) | Q(seller_back=True)
        )
    return listings


def _removed_before(matter: Matter) -> QuerySet[Listing]:
    """A listing of the same seller, in one of this client's matters, removed before the outer one was first
    seen: the seller came back. Other clients' matters are not looked at, so a client's page says nothing of
    them."""
    return Listing.objects.filter(
        seller=OuterRef("seller"),
        matters__rights_holder_id=matter.rights_holder_id,
        removed_at__lt=OuterRef("first_seen"),
    )


def after(listings: QuerySet[Listing], cursor: tuple[datetime.datetime, int] | None) -> QuerySet[Listing]:
    """The listings that come after ``cursor`` (the last one shown: its first-seen time and id) in that order."""
    if cursor is None:
        return listings
    seen, pk = cursor
    # The first condition repeats what the second implies, in the form the page index can seek to.
    return listings.filter(Q(first_seen__lte=seen), Q(first_seen__lt=seen) | Q(first_seen=seen, pk__lt=pk))


@dataclass(frozen=True)
class Tie:
    """Why sellers are linked: one identifier they share, and each record of it with its evidence."""

    kind: str
    label: str
    strong: bool
    records: tuple[SellerIdentifier, ...]

    @property
    def seller_ids(self) -> tuple[int, ...]:
        return tuple(sorted({record.seller_id for record in self.records}))


@dataclass(frozen=True)
class Network:
    sellers: list[Seller]
    ties: list[Tie]
    suggested: list[SellerLink]
    listings: list[MatterListing]  # one row per listing and matter, with what that matter recorded


def seller_network(seller: Seller) -> Network:
    """The seller's network (staff only): its sellers, the identifiers tying them with their evidence, links
    awaiting a decision, and every listing of theirs as each matter recorded it, with its outcomes. A fixed
    number of queries."""
    members = (
        Seller.objects.filter(network_id=seller.network_id)
        if seller.network_id
        else Seller.objects.filter(pk=seller.pk)
    ).prefetch_related("aliases")
    sellers = list(members.order_by("pk"))
    ids = [member.pk for member in sellers]
    records = (
        SellerIdentifier.objects.current().filter(seller_id__in=ids)
        .select_related("exhibit__matter", "capture", "listing_import").order_by("kind", "key", "seller_id")
    )  # fmt: skip
    groups: dict[tuple[str, str], list[SellerIdentifier]] = {}
    for record in records:
        groups.setdefault((record.kind, record.key), []).append(record)
    ties = [
        Tie(kind=kind, label=records_[0].get_kind_display(), strong=records_[0].is_strong, records=tuple(records_))
        for (kind, _), records_ in groups.items()
        if len({record.seller_id for record in records_}) > 1
    ]
    suggested = list(
        SellerLink.objects.filter(decision=SellerLink.Decision.SUGGESTED)
        .filter(Q(seller_a_id__in=ids) | Q(seller_b_id__in=ids)).select_related("seller_a", "seller_b")
    )  # fmt: skip
    listings = list(
        MatterListing.objects.filter(listing__seller_id__in=ids)
        .select_related("listing__seller", "matter__rights_holder").prefetch_related("listing__outcomes__submission")
        .order_by("listing__seller_id", "-listing_id", "matter_id")
    )  # fmt: skip
    return Network(sellers=sellers, ties=ties, suggested=suggested, listings=listings)
