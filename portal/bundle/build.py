"""From a Bundle row to a signed PDF: gather the inputs from the database and storage, build, sign."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.integrity import exhibit_integrity_problems_for
from evidence.models import Exhibit, matter_facts
from ownership.crosschecks import overruled_check
from ownership.models import IPRight, OwnershipDocument
from ownership.readiness import Item, readiness_for_matter
from ownership.shared.checksums import sha256_path
from ownership.shared.files.storage import stored_file_problem
from ownership.shared.signing import SigningError, sign_pdf_in_place, signing_identity
from portal.bundle.errors import BundleError
from portal.bundle.inputs import BundleInput, FileInput, ListingInput, PurchaseInput, RightInput
from portal.bundle.pdf import build_bundle
from portal.models import Bundle

# Which section an exhibit goes in, by kind: comparison sheets to D, everything else bought or captured to C.
SECTION_BY_KIND: dict[str, str] = {Exhibit.Kind.COMPARISON: "D"}
# Exhibits of a purchase shown on its test-buy report: photos of the item as it arrived.
PHOTO_KINDS = {Exhibit.Kind.PRODUCT_PHOTO, Exhibit.Kind.PARCEL_PHOTO}


@dataclass(frozen=True)
class SignedBundle:
    path: Path
    page_count: int
    size: int
    exhibit_count: int
    sha256: str
    unsigned_sha256: str
    manifest_sha256: str
    signer_fingerprint: str
    reference: str  # the bundle's reference as its pages print it
    exhibits: tuple[Exhibit, ...]  # what it includes, for the custody entries the service writes


def person_name(user) -> str:
    """A user as the bundle names them: full name, else e-mail address."""
    return (user.get_full_name() or user.email) if user else ""


def bundle_exhibits(bundle: Bundle) -> list[Exhibit]:
    """The matter's current exhibits for this bundle: its chosen test purchases' and those of the matter itself."""
    return list(
        Exhibit.objects.for_bundle(
            matter=bundle.matter, purchases=bundle.purchases.all(), listings=bundle.listings.all()
        )
        .select_related("uploaded_by", "purchase")
        .order_by("number")
    )


def _proof(items: tuple[Item, ...]) -> list[OwnershipDocument]:
    """The documents that satisfy the readiness rules, in the rules' order, each once.

    Expired documents and ones still waiting for a translation prove nothing and stay out of the bundle.
    """
    documents: dict[int, OwnershipDocument] = {}
    for item in items:
        if item.is_satisfied:
            documents.update((d.pk, d) for d in item.documents if d.pk not in documents)
    return list(documents.values())


def ownership_documents(bundle: Bundle) -> tuple[list[OwnershipDocument], dict[int, list[OwnershipDocument]]]:
    """Section A's documents (the rights holder's own) and section B's, per right."""
    rights = list(bundle.rights.order_by("jurisdiction", "kind", "pk"))
    report = readiness_for_matter(rights_holder=bundle.matter.rights_holder, rights=rights, platforms=[bundle.platform])
    return _proof(report.holder.items), {r.right.pk: _proof(r.items) for r in report.rights}


def ownership_integrity_problems(documents: list[OwnershipDocument]) -> list[str]:
    problems = []
    for document in documents:
        detail = stored_file_problem(document.file.name or "", document.sha256)
        if detail:
            problems.append(f"{document} ({document.original_name}): {detail}")
        if document.ocr_file and (detail := stored_file_problem(str(document.ocr_file.name), document.ocr_sha256)):
            problems.append(f"{document} ({document.original_name}), its searchable copy: {detail}")
    return problems


def overrule_statement(bundle: Bundle) -> str:
    """What the manifest says of a compile the gate refused and a person overruled; empty when it was ready."""
    if not bundle.overrule_reason:
        return ""
    return (
        f"Compiled although not ready for {bundle.get_platform_display()}. Missing: "
        + "; ".join(gap.rstrip(".") for gap in bundle.overruled_gaps)
        + f". Overruled by {person_name(bundle.requested_by)} on {bundle.created_at:%d %B %Y}: {bundle.overrule_reason}"
    )


def collect_inputs(
    bundle: Bundle,
    exhibits: list[Exhibit],
    authority: list[OwnershipDocument],
    proof: dict[int, list[OwnershipDocument]],
) -> BundleInput:
    matter = bundle.matter
    holder = matter.rights_holder
    purchases = bundle.purchases.prefetch_related(matter_facts(matter)).order_by("order_date", "pk")
    listings = bundle.listings.in_matter(bundle.matter_id).select_related("seller").order_by("pk")

    def listing_input(listing) -> ListingInput:
        return ListingInput(
            url=listing.url,
            title=listing.title,
            seller_name=listing.seller_label,
            seller_id=listing.seller.platform_seller_id if listing.seller else "",
            item_id=listing.platform_item_id,
            price=f"{listing.price} {listing.currency}".strip() if listing.price is not None else "",
            appears_in=listing.appearance_labels,
        )

    files = {e.pk: exhibit_input(e) for e in exhibits}
    references = {"A": 0, "B": 0}

    def document_input(document: OwnershipDocument, section: str) -> FileInput:
        references[section] += 1
        return FileInput(
            number=0,
            section=section,
            title=document.description or document.get_doc_type_display(),
            kind_label=document.get_doc_type_display(),
            original_name=document.original_name,
            uploaded_by=person_name(document.uploaded_by),
            uploaded_at=document.uploaded_at,
            size=document.size,
            sha256=document.sha256,
            content_type="application/pdf" if document.ocr_file else document.content_type,
            open=_opener(document.bundle_file_name or ""),
            rendition_sha256=document.ocr_sha256 if document.ocr_file else "",
            reference=f"{section}{references[section]}",
            check_overruled=overruled_check(document),
        )

    def right_input(right: IPRight) -> RightInput:
        return RightInput(
            kind=right.kind,
            kind_label=right.get_kind_display(),
            jurisdiction=right.jurisdiction,
            title=right.title,
            owner_name=right.owner_name or holder.name,
            identifiers=tuple(right.identifier_rows()),
            registration_number=right.identifier_display if right.registration_number else "",
            documents=tuple(document_input(d, "B") for d in proof.get(right.pk, [])),
        )

    return BundleInput(
        firm_name=settings.PORTAL_FIRM_NAME,
        rights_holder_name=holder.name,
        rights_holder_local_name=holder.name_local,
        rights_holder_address=holder.address,
        matter_reference=matter.reference,
        stamp_prefix=holder.code,
        platform=bundle.platform,
        platform_label=bundle.get_platform_display(),
        bundle_id=f"B-{bundle.pk:06d}",
        version=bundle.version,
        issued_on=bundle.created_at.date(),
        verify_url=settings.PORTAL_BASE_URL + reverse("verify_bundle"),
        rights_holder_facts=tuple(
            (label, value)
            for label, value in [("Country", holder.country), ("Company number", holder.company_number)]
            if value
        ),
        authority=tuple(document_input(d, "A") for d in authority),
        rights=tuple(right_input(right) for right in bundle.rights.order_by("jurisdiction", "kind", "pk")),
        listings=tuple(listing_input(listing) for listing in listings),
        purchases=tuple(
            PurchaseInput(
                order_number=p.order_number,
                order_date=p.order_date,
                amount=str(p.amount),
                currency=p.currency,
                purchaser_alias=p.purchaser_alias,
                listing=listing_input(p.listing),
                result_label=p.get_result_display(),
                method=p.examination_method,
                reasons=p.examination_reasons,
                examiner=p.examiner,
                examined_on=p.examined_on,
                exhibit_numbers=tuple(e.number for e in exhibits if e.purchase_id == p.pk),
                photos=tuple(
                    files[e.pk]
                    for e in exhibits
                    if e.purchase_id == p.pk and e.kind in PHOTO_KINDS and e.content_type.startswith("image/")
                ),  # fmt: skip
                signed_copy=next(
                    (
                        f"Exhibit {e.number}"
                        for e in exhibits
                        if e.purchase_id == p.pk and e.kind == Exhibit.Kind.SIGNED_TEST_BUY_REPORT
                    ),
                    "",
                ),
            )
            for p in purchases
        ),
        files=tuple(files.values()),
        signatory=person_name(matter.responsible or bundle.requested_by),
        overrule=overrule_statement(bundle),
    )


def exhibit_input(e: Exhibit) -> FileInput:
    return FileInput(
        number=e.number,
        section=SECTION_BY_KIND.get(e.kind, "C"),
        title=e.description or e.get_kind_display(),
        kind_label=e.get_kind_display(),
        original_name=e.original_name,
        uploaded_by=person_name(e.uploaded_by),
        uploaded_at=e.uploaded_at,
        size=e.size,
        sha256=e.sha256,
        content_type="application/pdf" if e.ocr_file else e.content_type,
        open=_opener(e.bundle_file_name or ""),
        rendition_sha256=e.ocr_sha256 if e.ocr_file else "",
        open_original=_opener(e.file.name or ""),
        purchase_order=e.purchase.order_number if e.purchase else "",
    )


def _opener(name: str):
    return lambda: default_storage.open(name, "rb")


def build_signed_bundle(bundle: Bundle, *, workdir: Path, progress: Callable[[int, str], None]) -> SignedBundle:
    """Re-verify every exhibit, build the PDF in ``workdir`` and sign it there."""
    exhibits = bundle_exhibits(bundle)
    progress(2, "Checking every exhibit against its recorded hash")
    authority, proof = ownership_documents(bundle)
    problems = [str(p) for p in exhibit_integrity_problems_for(exhibits)]
    problems += ownership_integrity_problems([*authority, *(d for documents in proof.values() for d in documents)])
    if problems:
        raise BundleError(
            "Compile stopped: stored evidence no longer matches the hash recorded at upload. " + "; ".join(problems)
        )
    inputs = collect_inputs(bundle, exhibits, authority, proof)
    if not inputs.listings:
        raise BundleError(
            f"{bundle.matter.reference} has no listing on {bundle.get_platform_display()} yet: record the "
            "infringing listings (and test purchases) on that platform, then compile again."
        )
    built = build_bundle(inputs, workdir, progress)
    progress(90, "Signing")
    try:
        fingerprint = sign_pdf_in_place(
            built.path,
            signing_identity(),
            signer_name=settings.PORTAL_FIRM_NAME,
            reason=f"Complaint bundle {inputs.bundle_id} for {bundle.matter.reference}",
        )
    except SigningError as exc:
        raise BundleError(str(exc)) from None

    return SignedBundle(
        path=built.path,
        page_count=built.page_count,
        size=built.path.stat().st_size,
        exhibit_count=built.exhibit_count,
        sha256=sha256_path(built.path),
        unsigned_sha256=built.unsigned_sha256,
        manifest_sha256=built.manifest_sha256,
        signer_fingerprint=fingerprint,
        reference=inputs.bundle_id,
        exhibits=tuple(exhibits),
    )
