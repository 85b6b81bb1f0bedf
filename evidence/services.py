"""Every write to evidence data goes through a function here, audited in its transaction (``audit_change``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from evidence.models import (
    FACT_FIELDS,
    Capture,
    CustodyEvent,
    Exhibit,
    Listing,
    Matter,
    MatterListing,
    Seller,
    SellerAlias,
    TestPurchase,
)
from evidence.sellers.names import normalise_name
from evidence.sellers.urls import normalise_url
from ownership.models import RightsHolder
from ownership.shared import hashchain
from ownership.shared.audit import AuditEvent, audit_batch, audit_change, save_audited
from ownership.shared.events import event_record
from ownership.shared.files.storage import recorded_or_removed, store_upload
from ownership.shared.jobs import job_dispatch
from ownership.shared.ocr import rendition_read
from ownership.shared.users import User


def matter_next_reference(*, rights_holder: RightsHolder, year: int) -> str:
    """The next free reference for the rights holder and year, e.g. LUM-2026-004."""
    prefix = f"{rights_holder.code}-{year}-"
    taken = Matter.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def matter_create(
    *,
    rights_holder: RightsHolder,
    title: str,
    platforms: list[str],
    responsible=None,
    opened_on: datetime.date | None = None,
    reference: str = "",
    by: User | None = None,
    **fields,
) -> Matter:
    """Open a matter; without a reference the next one in the rights holder's sequence is given."""
    opened_on = opened_on or timezone.localdate()
    # Lock the rights holder row so two matters opened at once do not get the same reference.
    RightsHolder.objects.select_for_update().filter(pk=rights_holder.pk).first()
    matter = Matter(
        rights_holder=rights_holder,
        title=title,
        platforms=list(platforms),
        responsible=responsible,
        opened_on=opened_on,
        reference=reference or matter_next_reference(rights_holder=rights_holder, year=opened_on.year),
        **fields,
    )
    return save_audited(matter, by=by)


# --- Sellers and listings -------------------------------------------------------------------------


def seller_match(
    *, platform: str, store_name: str = "", store_url: str = "", platform_seller_id: str = ""
) -> Seller | None:
    """The known seller on ``platform`` with the same id, store URL, or distinctive name (or alias)."""
    sellers = Seller.objects.filter(platform=platform)
    if platform_seller_id:
        found = sellers.filter(platform_seller_id=platform_seller_id).first()
        if found:
            return found
    if store_url:
        found = sellers.filter(url_key=normalise_url(store_url)).first()
        if found:
            return found
    key = normalise_name(store_name)
    if key:
        return sellers.filter(name_key=key).first() or sellers.filter(aliases__name_key=key).first()
    return None


@transaction.atomic
def seller_record(
    *,
    platform: str,
    store_name: str,
    store_url: str = "",
    platform_seller_id: str = "",
    company_name: str = "",
    address: str = "",
    by: User | None = None,
) -> tuple[Seller, bool]:
    """The seller as now seen: an existing one (recording a new name as an alias) or a new one."""
    seller = seller_match(
        platform=platform, store_name=store_name, store_url=store_url, platform_seller_id=platform_seller_id
    )
    if seller is None:
        seller = Seller(
            platform=platform,
            store_name=store_name,
            store_url=store_url,
            platform_seller_id=platform_seller_id,
            company_name=company_name,
            address=address,
        )
        seller.full_clean(exclude=["name_key", "url_key"])
        seller.save()
        audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=seller, fields=["store_name"])
        return seller, True
    if store_name and store_name != seller.store_name and not seller.aliases.filter(name=store_name).exists():
        SellerAlias.objects.create(seller=seller, name=store_name)
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=seller, fields=["aliases"])
    changed = [
        field
        for field, value in (("platform_seller_id", platform_seller_id), ("store_url", store_url),
                             ("company_name", company_name), ("address", address))
        if value and not getattr(seller, field)
    ]  # fmt: skip
    given = {"platform_seller_id": platform_seller_id, "store_url": store_url}
    given |= {"company_name": company_name, "address": address}
    for field in changed:
        setattr(seller, field, given[field])
    if changed:
        seller.save()
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=seller, fields=changed)
    return seller, False


@transaction.atomic
def listing_record(
    *,
    matter: Matter,
    url: str,
    seller: Seller,
    title: str = "",
    price: Decimal | None = None,
    currency: str = "",
    platform_item_id: str = "",
    infringement_appears_in: list[str] | None = None,
    seller_name: str = "",
    notes: str = "",
    first_seen: datetime.datetime | None = None,
    by: User | None = None,
) -> tuple[Listing, bool]:
    """The listing at ``url`` within ``matter``, read through the matter (``Listing.objects.in_matter``) so it
    carries this matter's facts; a listing seen again after its removal is flagged reappeared.

    The shared row takes only what the URL determines; the title, price, store name as shown and the rest go on
    this matter's link, so a page another client also enforces against never shows that client's words."""
    if seller.platform not in matter.platforms:
        raise ValidationError({"url": f"{matter.reference} does not target {seller.get_platform_display()}."})
    found = Listing.objects.select_for_update().filter(url_key=normalise_url(url)).first()
    created = found is None
    if found is None:
        listing = Listing(url=url, platform=seller.platform, seller=seller, platform_item_id=platform_item_id)
        listing.full_clean(exclude=["url_key", "matters"])
        listing.save()
        audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=listing, fields=["url", "seller"])
    else:
        listing = found
    if not created and listing.status == Listing.Status.REMOVED:
        listing.status, listing.status_changed_at = Listing.Status.REAPPEARED, timezone.now()
        listing.save(update_fields=["status", "status_changed_at"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=listing, fields=["status"])
        listing_reappeared_announce(listing=listing, matter=matter, how="recorded again in the matter")
    link = MatterListing.objects.filter(listing=listing, matter=matter).first()
    if link is None:
        link = MatterListing(
            listing=listing, matter=matter, seller_name=seller_name, title=title, price=price,
            currency=currency.upper(), infringement_appears_in=infringement_appears_in or [], notes=notes,
            first_seen=first_seen or timezone.now(),
        )  # fmt: skip
        link.full_clean()
        link.save()
        audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=link, fields=list(FACT_FIELDS))
    elif seller_name and not link.seller_name:
        link.seller_name = seller_name
        link.save(update_fields=["seller_name"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=link, fields=["seller_name"])
    return Listing.objects.in_matter(matter).select_related("seller").get(pk=listing.pk), created


@transaction.atomic
def listings_set_status(*, listing_ids: list[int], status: str, by: User | None = None, why: str) -> int:
    """Set the status of many listings in one update, audited as one entry naming each of them."""
    if not listing_ids:
        return 0
    now = timezone.now()
    changes = {"status": status, "status_changed_at": now}
    if status == Listing.Status.REMOVED:
        changes["removed_at"] = now
    changed = Listing.objects.filter(pk__in=listing_ids).update(**changes)
    audit_batch(action=AuditEvent.Action.CHANGED, actor=by, model=Listing, pks=listing_ids, fields=["status"],
                label=f"{len(listing_ids)} listings {Listing.Status(status).label.lower()}: {why}")  # fmt: skip
    return changed


@transaction.atomic
def listing_set_status(*, listing: Listing, status: str, by: User | None = None) -> Listing:
    listing.status, listing.status_changed_at = status, timezone.now()
    if status == Listing.Status.REMOVED:
        listing.removed_at = listing.status_changed_at
    listing.save(update_fields=["status", "status_changed_at", "removed_at"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=listing, fields=["status"])
    return listing


# --- Test purchases -------------------------------------------------------------------------------


@transaction.atomic
def test_purchase_record(*, matter: Matter, listing: Listing, recorded_by, rights=(), **fields) -> TestPurchase:
    purchase = TestPurchase(matter=matter, listing=listing, recorded_by=recorded_by, **fields)
    purchase.full_clean()
    purchase.save()
    foreign = [r for r in rights if r.rights_holder_id != matter.rights_holder_id]
    if foreign:
        raise ValidationError({"rights": f"{foreign[0]} belongs to another rights holder."})
    purchase.rights.set(rights)
    audit_change(action=AuditEvent.Action.ADDED, actor=recorded_by, obj=purchase, fields=[*fields, "listing", "rights"])
    if purchase.received_on:
        custody_record(
            matter=matter, action=CustodyEvent.Action.PARCEL_RECEIVED, actor=recorded_by,
            item_label=f"Parcel of order {purchase.order_number}", details=f"Received {purchase.received_on}",
        )  # fmt: skip
    return purchase


@transaction.atomic
def test_purchase_examine(
    *, purchase: TestPurchase, result: str, method: str, reasons: str, examiner: str, examined_on, actor
) -> TestPurchase:
    purchase.result, purchase.examination_method, purchase.examination_reasons = result, method, reasons
    purchase.examiner, purchase.examined_on = examiner, examined_on
    purchase.full_clean()
    purchase.save()
    audit_change(
        action=AuditEvent.Action.CHANGED, actor=actor, obj=purchase,
        fields=["result", "examination_method", "examination_reasons", "examiner", "examined_on"],
    )  # fmt: skip
    custody_record(
        matter=purchase.matter, action=CustodyEvent.Action.EXAMINED, actor=actor,
        item_label=f"Item of order {purchase.order_number}",
        details=f"{purchase.get_result_display()} by {examiner}: {method}",
    )  # fmt: skip
    return purchase


# --- Exhibits -------------------------------------------------------------------------------------


class DuplicateExhibit(ValidationError):
    """The same bytes are already an exhibit of the matter; ``first`` is the earliest, to point the uploader to."""

    def __init__(self, first: Exhibit):
        self.first = first
        when = timezone.localtime(first.uploaded_at)
        super().__init__(f"This file is identical to {first.label} ({first.original_name}, uploaded {when:%d %b %Y}). "
                         "It was not stored again; store it anyway only if it is meant as a separate exhibit.",
                         code="duplicate")  # fmt: skip


def exhibit_upload(
    *,
    matter: Matter,
    upload: File,
    kind: str,
    uploaded_by,
    purchase: TestPurchase | None = None,
    description: str = "",
    captured_at: datetime.datetime | None = None,
    source_url: str = "",
    capture: Capture | None = None,
    allow_duplicate: bool = True,
) -> Exhibit:
    """Store an evidence file by the file policy, hashing it as it is written, and log it in the custody chain.

    A refused file (FileRejected) or a row that cannot be saved leaves neither a file nor a row behind. A file
    the portal's own ``capture`` made is logged as captured, by whoever asked for the capture. Without
    ``allow_duplicate`` (a person's upload, until they confirm), bytes the matter already holds as a current
    exhibit are removed again and DuplicateExhibit names the first exhibit.
    """
    if purchase is not None and purchase.matter_id != matter.pk:
        raise ValidationError({"purchase": "The test purchase belongs to another matter."})
    if kind not in Exhibit.Kind.values:
        raise ValidationError({"kind": f"Unknown kind of evidence: {kind}."})
    stored = store_upload(upload, folder=f"exhibits/{matter.reference}")
    if not allow_duplicate:
        first = Exhibit.objects.current().filter(matter=matter, sha256=stored.sha256).order_by("number").first()
        if first is not None:
            default_storage.delete(stored.name)  # no row refers to it: nothing committed is lost
            raise DuplicateExhibit(first)
    read = settings.PORTAL_OCR and capture is None  # a capture keeps the page's own text beside its screenshot
    with recorded_or_removed(stored.name):
        Matter.objects.select_for_update().filter(pk=matter.pk).first()
        number = (Exhibit.objects.filter(matter=matter).aggregate(n=Max("number"))["n"] or 0) + 1
        exhibit = Exhibit(
            matter=matter,
            purchase=purchase,
            number=number,
            kind=kind,
            description=description,
            captured_at=captured_at,
            source_url=source_url,
            capture=capture,
            file=stored.name,
            original_name=stored.original_name,
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
            uploaded_by=uploaded_by,
            ocr_status=Exhibit.OcrStatus.QUEUED if read else Exhibit.OcrStatus.NONE,
        )
        exhibit.full_clean()
        exhibit.save()
        audit_change(action=AuditEvent.Action.ADDED, actor=uploaded_by, obj=exhibit, fields=["file", "kind"])
        details = f"{stored.original_name}, {stored.size} bytes, SHA-256 {stored.sha256}"
        if capture is not None:
            who = (uploaded_by.get_full_name() or uploaded_by.email) if uploaded_by else "the takedown schedule"
            details = f"Captured by {who} at {captured_at:%Y-%m-%d %H:%M:%S} UTC from {source_url}: {details}"
        custody_record(
            matter=matter, exhibit=exhibit, actor=uploaded_by,
            action=CustodyEvent.Action.CAPTURED if capture else CustodyEvent.Action.UPLOADED,
            details=details + (f"; {stored.warning}" if stored.warning else ""),
        )  # fmt: skip
        if read:
            job_dispatch(exhibit)
    exhibit.upload_warning = stored.warning  # for the uploader's answer; not stored on the row
    return exhibit


def exhibit_read(*, exhibit_id: int) -> Exhibit | None:
    """Keep the exhibit's text, making a searchable rendition of a scan, logged in the custody chain (the OCR
    worker runs this). The original file and its hash are untouched."""
    matter = Matter.objects.get(exhibits=exhibit_id)

    def logged(exhibit: Exhibit) -> None:
        custody_record(matter=matter, exhibit=exhibit, actor=None, nobody="the OCR worker",
                       action=CustodyEvent.Action.RENDITION_MADE,
                       details=f"Searchable copy of {exhibit.original_name} made by OCR "
                       f"({settings.PORTAL_OCR_LANGUAGES}), SHA-256 {exhibit.ocr_sha256}; the original is "
                       f"unchanged, SHA-256 {exhibit.sha256}")  # fmt: skip

    return rendition_read(Exhibit, exhibit_id, folder=f"exhibits-ocr/{matter.reference}", on_rendition=logged)


@transaction.atomic
def exhibit_withdraw(*, exhibit: Exhibit, by, reason: str) -> Exhibit:
    if not reason.strip():
        raise ValidationError({"withdrawal_reason": "Say why the exhibit is withdrawn."})
    if exhibit.is_withdrawn:
        raise ValidationError({"withdrawal_reason": "The exhibit is already withdrawn."})
    exhibit.withdrawn_at, exhibit.withdrawn_by, exhibit.withdrawal_reason = timezone.now(), by, reason.strip()
    exhibit.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=exhibit, fields=["withdrawn_at", "withdrawal_reason"])
    custody_record(
        matter=exhibit.matter, action=CustodyEvent.Action.WITHDRAWN, actor=by, exhibit=exhibit, details=reason
    )
    return exhibit


# --- Custody --------------------------------------------------------------------------------------


@transaction.atomic
def custody_record(
    *,
    matter: Matter,
    action: str,
    actor,
    exhibit: Exhibit | None = None,
    item_label: str = "",
    details: str = "",
    nobody: str = "the portal",
) -> CustodyEvent:
    """Append an entry to the matter's custody chain (the matter row is locked so entries never interleave).
    ``nobody`` names who acted when no user did (a worker)."""
    Matter.objects.select_for_update().filter(pk=matter.pk).first()
    last = CustodyEvent.objects.filter(matter=matter).order_by("-sequence").first()
    event = CustodyEvent(matter=matter, action=action, exhibit=exhibit, item_label=item_label, details=details)
    hashchain.append(event, after=last, actor=actor, nobody=nobody)
    Matter.objects.filter(pk=matter.pk).update(custody_length=event.sequence, custody_head=event.entry_hash)
    return event


def listing_reappeared_announce(*, listing: Listing, matter: Matter, how: str) -> None:
    """The webhook event of a removed listing found online again, for the client of the matter that found it."""
    event_record(event_type="listing.reappeared", rights_holder_id=matter.rights_holder_id, data={
        "matter": matter.reference, "listing": {"id": listing.pk, "url": listing.url, "platform": listing.platform},
        "how": how, "at": timezone.now().isoformat(),
    })  # fmt: skip
