"""Bundle requests: the inputs digest that recognises a repeat, and the request row sent to a worker."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max

from evidence.models import Exhibit, Listing, Matter, TestPurchase
from ownership.models import IPRight, OwnershipDocument
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.checksums import sha256_json
from ownership.shared.choices import Platform
from ownership.shared.jobs import job_dispatch
from portal.bundle.errors import BundleError, BundleNotReady
from portal.compile_gate import bundle_gaps
from portal.models import Bundle


def bundle_inputs_digest(
    *,
    matter: Matter,
    platform: str,
    rights: Iterable[IPRight],
    listings: Iterable[Listing],
    purchases: Iterable[TestPurchase],
) -> str:
    """SHA-256 over everything a bundle is built from, so equal requests are recognised as one.

    The evidence and the ownership documents are part of it: a file uploaded or withdrawn since the last
    bundle makes the next request a new version rather than a repeat.
    """
    purchase_ids = sorted(p.pk for p in purchases)
    listing_ids = sorted(listing.pk for listing in listings)
    exhibits = (
        Exhibit.objects.for_bundle(matter=matter, purchases=purchase_ids, listings=listing_ids)
        .order_by("pk")
        .values_list("pk", "sha256")
    )
    documents = (
        OwnershipDocument.objects.filter(rights_holder_id=matter.rights_holder_id)
        .order_by("pk")
        .values_list("pk", "sha256")
    )
    description = {
        "matter": matter.pk,
        "platform": platform,
        "rights": sorted(right.pk for right in rights),
        "listings": listing_ids,
        "purchases": purchase_ids,
        "exhibits": [list(row) for row in exhibits],
        "documents": [list(row) for row in documents],
    }
    return sha256_json(description)


def _selection(matter: Matter, platform: str, listings, purchases) -> tuple[list[Listing], list[TestPurchase]]:
    """The listings and test purchases a bundle covers: the chosen ones, or all of the matter's on the platform."""
    label = Platform(platform).label
    if listings is None:
        listings = matter.listings.filter(platform=platform).order_by("pk")
    if purchases is None:
        purchases = TestPurchase.objects.filter(matter=matter, listing__platform=platform).order_by("pk")
    listings, purchases = list(listings), list(purchases)
    matter_listings = set(matter.listings.values_list("pk", flat=True))
    for listing in listings:
        if listing.pk not in matter_listings:
            raise BundleError(f"Listing {listing} is not part of matter {matter.reference}.")
        if listing.platform != platform:
            raise BundleError(f"Listing {listing} is on {listing.get_platform_display()}, not {label}.")
    for purchase in purchases:
        if purchase.matter_id != matter.pk:
            raise BundleError(f"Test purchase {purchase.order_number} is not part of matter {matter.reference}.")
        if purchase.listing.platform != platform:
            raise BundleError(f"Test purchase {purchase.order_number} was made on another platform than {label}.")
    return listings, purchases


def bundle_request(
    *,
    matter: Matter,
    platform: str,
    requested_by,
    rights: Iterable[IPRight] | None = None,
    listings: Iterable[Listing] | None = None,
    purchases: Iterable[TestPurchase] | None = None,
    overrule: str = "",
) -> tuple[Bundle, bool]:
    """Record a compile request and send it to a worker once the transaction commits.

    A matter not ready for the platform (``compile_gate``) is refused with what is missing, unless the
    requester overrules with a reason: the reason and the gaps are kept on the bundle, audited, and printed in
    its manifest.

    ``rights``, ``listings`` and ``purchases`` default to all of the matter's (on the platform). The same
    inputs already queued, compiling or ready give back that bundle (``created`` is False) instead of
    starting a second compile.
    """
    if platform not in Platform.values:
        raise BundleError(f"Unknown platform: {platform}.")
    if platform not in matter.platforms:
        raise BundleError(f"Matter {matter.reference} does not target {Platform(platform).label}.")
    rights = list(rights if rights is not None else IPRight.objects.filter(rights_holder=matter.rights_holder))
    foreign = [r for r in rights if r.rights_holder_id != matter.rights_holder_id]
    if foreign:
        raise BundleError(f"{foreign[0]} belongs to another rights holder.")
    listings, purchases = _selection(matter, platform, listings, purchases)
    gaps = bundle_gaps(matter=matter, platform=platform, rights=rights)
    if gaps and not overrule.strip():
        raise BundleNotReady(matter.reference, Platform(platform).label, gaps)
    digest = bundle_inputs_digest(
        matter=matter, platform=platform, rights=rights, listings=listings, purchases=purchases
    )
    try:
        with transaction.atomic():
            # Serialise requests of one matter, so versions and duplicates are decided one at a time.
            Matter.objects.select_for_update().filter(pk=matter.pk).first()
            existing = (
                Bundle.objects.filter(matter=matter, platform=platform, inputs_digest=digest)
                .exclude(status=Bundle.Status.FAILED)
                .order_by("-version")
                .first()
            )
            if existing:
                return existing, False
            last = Bundle.objects.filter(matter=matter, platform=platform).aggregate(v=Max("version"))["v"]
            bundle = Bundle.objects.create(
                matter=matter,
                platform=platform,
                version=(last or 0) + 1,
                inputs_digest=digest,
                requested_by=requested_by,
                progress_message="Waiting for a worker",
                overruled_gaps=gaps,
                overrule_reason=overrule.strip() if gaps else "",
            )
            bundle.rights.set(rights)
            bundle.listings.set(listings)
            bundle.purchases.set(purchases)
            audit_change(
                action=AuditEvent.Action.ADDED, actor=requested_by, obj=bundle,
                fields=["platform", "version", "rights", "listings", "purchases",
                        *(["overruled_gaps", "overrule_reason"] if gaps else [])],
            )  # fmt: skip
            job_dispatch(bundle)
            return bundle, True
    except IntegrityError:
        # A concurrent request with the same inputs won the race (SQLite has no row lock to wait on).
        existing = Bundle.objects.active().filter(matter=matter, platform=platform, inputs_digest=digest).first()
        if existing is None:
            raise
        return existing, False
