"""Repeat-infringer dossiers: asked for on the network page, compiled and signed by a worker like bundles."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evidence.models import Seller, SellerIdentifier
from evidence.selectors import Network, seller_network
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.jobs import job_dispatch
from ownership.shared.registry import IssuedDocument
from ownership.shared.users import User
from portal.bundle.pdf.dossier import DossierInput, DossierListing, DossierSeller, DossierTie, build_dossier
from portal.models import Dossier
from portal.services.compiled import Compilation, compiled_run


@transaction.atomic
def dossier_request(*, seller: Seller, by: User) -> Dossier:
    dossier = Dossier.objects.create(seller=seller, requested_by=by)
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=dossier, fields=["seller"])
    job_dispatch(dossier)
    return dossier


def dossier_compile(*, dossier_id: int) -> Dossier:
    """Build the dossier of the seller's network as it stands now, sign it with the firm's key and store it."""

    def plan(dossier: Dossier) -> Compilation:
        network = seller_network(dossier.seller)
        contents = dossier_input(dossier.seller, network)
        certifies = (f"Repeat-infringer dossier {dossier.pk} of the network of {dossier.seller.store_name}: "
                     f"{len(network.sellers)} store{'' if len(network.sellers) == 1 else 's'} and the evidence "
                     "linking them")  # fmt: skip
        return Compilation(build=lambda path: build_dossier(contents, path), folder="dossiers",
                           reason=f"Repeat-infringer dossier {dossier.pk}", kind=IssuedDocument.Kind.DOSSIER,
                           certifies=certifies, fields={"sellers": len(network.sellers)})  # fmt: skip

    return compiled_run(Dossier, dossier_id, plan)


def _evidence_of(record: SellerIdentifier) -> str:
    if record.exhibit:
        return f"{record.exhibit.label} (SHA-256 {record.exhibit.sha256})"
    if record.capture_id:
        return f"capture {record.capture_id}"
    listing_file = record.listing_import
    return f"listing file {listing_file.source_name} (SHA-256 {listing_file.sha256})" if listing_file else "—"


def dossier_input(seller: Seller, network: Network) -> DossierInput:
    names = {member.pk: f"{member.store_name} ({member.get_platform_display()})" for member in network.sellers}
    ties = tuple(
        DossierTie(kind=tie.label, strong=tie.strong, records=tuple(
            f"{record.value} · {names[record.seller_id]} · shown by "
            + _evidence_of(record)
            + f" · seen {record.seen_at:%Y-%m-%d}"
            for record in tie.records
        ))
        for tie in network.ties
    )  # fmt: skip
    listings = tuple(
        DossierListing(
            store=names.get(link.listing.seller_id or 0, ""), url=link.listing.url, title=link.title,
            status=link.listing.get_status_display(),
            first_seen=f"{link.first_seen:%Y-%m-%d}",
            removed=f"{link.listing.removed_at:%Y-%m-%d}" if link.listing.removed_at else "",
            matters=(link.matter.reference,),
            complaints=tuple(
                f"{outcome.submission.platform_reference} filed {outcome.submission.submitted_on:%Y-%m-%d}: "
                f"{outcome.get_outcome_display()}" + (f" ({outcome.reason})" if outcome.reason else "")
                for outcome in link.listing.outcomes.all()
            ),
        )
        for link in network.listings
    )  # fmt: skip
    seen: dict[int, datetime.datetime] = {}  # each store's first sighting in the evidence: its earliest listing
    for link in network.listings:
        store = link.listing.seller_id or 0
        seen[store] = min(seen.get(store, link.first_seen), link.first_seen)
    sellers = tuple(
        DossierSeller(
            store=member.store_name,
            platform=member.get_platform_display(),
            store_id=member.platform_seller_id,
            aliases=tuple(alias.name for alias in member.aliases.all()),
            first_seen=f"{seen.get(member.pk, member.first_seen):%Y-%m-%d}",
        )  # fmt: skip
        for member in network.sellers
    )
    return DossierInput(
        firm=settings.PORTAL_FIRM_NAME, subject=f"{seller.store_name} and the stores tied to it",
        generated_at=f"{timezone.now():%Y-%m-%d %H:%M} UTC", sellers=sellers, ties=ties, listings=listings,
    )  # fmt: skip
