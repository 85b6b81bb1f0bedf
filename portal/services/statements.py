"""Statements drafted from recorded facts and signed in the portal by a member with authority.

``statement_draft`` fills a reviewed template from the right, the rights holder and the matter (or lists the
facts still missing); ``statement_sign`` checks authority, the step-up password and the exact version shown,
writes the signature into the draft, ends it with a certificate of completion, seals it with the firm's PAdES
signature and stores it as the ownership document the readiness rule asks for, with the signing record;
``statement_decide`` records a decline or a request for changes; ``statement_wet_ink_upload`` takes the scan of
a draft signed in ink.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evidence.models import Exhibit, Listing, Matter, TestPurchase
from evidence.services import exhibit_upload
from ownership.choices import JURISDICTIONS, JURISDICTIONS_ZH
from ownership.models import IPRight, Membership, OwnershipDocument, RightsHolder, StatementDraft
from ownership.services import ownership_document_upload
from ownership.shared import access
from ownership.shared.audit import AuditEvent, audit_change, audit_record
from ownership.shared.checksums import sha256_path
from ownership.shared.choices import CHINESE_PLATFORMS, PLATFORM_NAMES_ZH, Platform
from ownership.shared.events import event_record
from ownership.shared.jobs import after_commit
from ownership.shared.registry import IssuedDocument, document_issue
from ownership.shared.signing import SigningError, sign_pdf_in_place, signing_identity
from ownership.shared.users import User
from portal.bundle.pdf.statement import (
    Completion,
    SignatureBox,
    StatementInput,
    StatementText,
    append_completion,
    build_statement,
    write_signature,
)
from portal.models import WordingReview
from portal.notice_wording import CHINESE, LANGUAGE_NAMES, deadline_text
from portal.statement_wording import (
    AUTHORISATION_YEARS,
    COPYRIGHT_CLAIM_STATEMENT,
    DOCUMENT_TYPES,
    FACT_NAMES,
    KIND_LABELS,
    OWNERSHIP_SENTENCES,
    RESULT_WORDS,
    TEMPLATES,
    TEST_BUY_REPORT,
    languages_for,
    template_digest,
    template_key,
)

Facts = dict[str, str | None]
logger = logging.getLogger(__name__)


def _signatory(holder: RightsHolder, by: User) -> Membership | None:
    """Who the statement is drafted for: the member asking, if they may sign, else the holder's first signatory."""
    members = Membership.objects.filter(rights_holder=holder, role__in=access.SIGNING_ROLES).select_related("user")
    return members.filter(user=by).first() or members.order_by("pk").first()


def _exhibits(documents: list[OwnershipDocument], initials: str, marks: dict[int, str]) -> str | None:
    """CPR-style exhibit marks (the witness's initials and a number), each naming its file and SHA-256, which
    the bundle index lists beside the document wherever the bundle numbers it."""
    if not documents:
        return None
    for document in documents:
        marks.setdefault(document.pk, f"{initials}{len(marks) + 1}")
    return "; ".join(f"{marks[d.pk]} ({d.description or d.original_name}, SHA-256 {d.sha256[:16]}…)" for d in documents)


def _purchase_facts(purchase: TestPurchase, day, language: str) -> Facts:
    exhibits = list(Exhibit.objects.current().filter(purchase=purchase).order_by("number"))
    pending = purchase.result in ("", TestPurchase.Result.PENDING)
    listing = Listing.objects.in_matter(purchase.matter_id).select_related("seller").get(pk=purchase.listing_id)
    return {
        "order_number": purchase.order_number, "order_date": day(purchase.order_date),
        "amount": f"{purchase.amount} {purchase.currency}", "purchaser_alias": purchase.purchaser_alias,
        "store": listing.seller_label, "listing_url": listing.url,
        "received_on": day(purchase.received_on), "examiner": purchase.examiner or None,
        "examined_on": day(purchase.examined_on), "method": purchase.examination_method or None,
        "result": None if pending else RESULT_WORDS[language].get(purchase.result, purchase.get_result_display()),
        "reasons": purchase.examination_reasons or None, "matter": purchase.matter.reference,
        "exhibits": ", ".join(str(e.number) for e in exhibits if e.kind != Exhibit.Kind.SIGNED_TEST_BUY_REPORT)
        or None,
    }  # fmt: skip


def statement_facts(
    *, kind: str, holder: RightsHolder, right: IPRight | None, matter: Matter | None, signatory: Membership | None,
    today: datetime.date, language: str, purchase: TestPurchase | None = None,
) -> Facts:  # fmt: skip
    """Every fact a template may ask for, ``None`` where it is not recorded."""
    name = signatory.user.get_full_name() if signatory else None
    day = lambda value: deadline_text(value, language) if value else None  # noqa: E731
    facts: Facts = {
        "holder": holder.name_local if language == CHINESE and holder.name_local else holder.name,
        "holder_address": holder.address or None, "firm": settings.PORTAL_FIRM_NAME,
        "signatory": name, "signatory_title": (signatory.title or None) if signatory else None,
        "today": day(today), "expiry": day(today.replace(year=today.year + AUTHORISATION_YEARS)),
    }  # fmt: skip
    platforms = set(matter.platforms) if matter else set(Platform.values)
    names = PLATFORM_NAMES_ZH if language == CHINESE else {code: Platform(code).label for code in Platform.values}
    facts["platforms"] = ("、" if language == CHINESE else ", ").join(names[code] for code in sorted(platforms))
    if matter is not None:
        listings = matter.listings.order_by("pk")
        if kind == COPYRIGHT_CLAIM_STATEMENT:  # IPP's own form: only the links on the platforms IPP acts for
            listings = listings.filter(platform__in=CHINESE_PLATFORMS)
        urls = list(listings.values_list("url", flat=True)[:200])
        facts["links"] = "; ".join(urls) or None
    else:
        facts["links"] = None
    if purchase is not None:
        facts.update(_purchase_facts(purchase, day, language))
    if right is not None:
        documents = list(right.documents.order_by("uploaded_at", "pk"))
        initials = "".join(part[0] for part in (name or "X").split()[:3]).upper()
        marks: dict[int, str] = {}
        title_docs = [d for d in documents if d.doc_type in ("employment_evidence", "signed_assignment")]
        facts.update(
            work=right.title, creation_date=day(right.creation_date), authors=right.authors or None,
            publication_date=day(right.first_publication_date),
            publication_place=right.first_publication_place or None,
            country_name=(JURISDICTIONS_ZH if language == CHINESE else JURISDICTIONS).get(right.jurisdiction,
                                                                                          right.jurisdiction),
            title_exhibits=_exhibits(title_docs, initials, marks),
            creation_exhibits=_exhibits([d for d in documents if d.doc_type == "creation_evidence"], initials, marks),
        )  # fmt: skip
        sentence = OWNERSHIP_SENTENCES.get(right.authorship or "")
        needs_title = right.authorship in ("employee", "commissioned", "assigned")
        facts["ownership"] = sentence.format(**{k: v or "" for k, v in facts.items()}) if sentence else None
        if needs_title and not facts["title_exhibits"]:
            facts["ownership"] = None
            facts["ownership_lacks"] = "title_exhibits"  # the authorship is known; its documents are not
    return facts


def _filled(kind: str, language: str, facts: Facts) -> tuple[StatementText, list[str]]:
    template = TEMPLATES[(kind, language)]
    missing = [need for p in template.paragraphs for need in p.needs if not facts.get(need)]
    values = {key: value or "" for key, value in facts.items()}
    text = StatementText(
        title=template.title.format(**values),
        paragraphs=tuple(p.text.format(**values) for p in template.paragraphs),
        signature_label=template.signature_label,
    )
    lacks = facts.get("ownership_lacks")
    if lacks:
        missing = [lacks if need == "ownership" else need for need in missing]
    return text, missing


def statement_draft(
    *, kind: str, rights_holder: RightsHolder, by: User, right: IPRight | None = None, matter: Matter | None = None,
    purchase: TestPurchase | None = None,
) -> StatementDraft:  # fmt: skip
    """Draft ``kind`` from what is recorded; an earlier open draft of the same statement is superseded.

    Raises ValidationError when a language's wording has no review of its current text.
    """
    languages = languages_for(kind, set(matter.platforms if matter else []))
    unreviewed = [lang for lang in languages if not WordingReview.objects.current(lang, template_key(kind)).exists()]
    if unreviewed:
        names = " and ".join(LANGUAGE_NAMES[lang] for lang in unreviewed)
        raise ValidationError(f"The firm has not yet approved the wording of the {KIND_LABELS[kind]} in {names}; "
                              "ask the firm to review it on the wording page.")  # fmt: skip
    signatory = _signatory(rights_holder, by)
    today = timezone.localdate()
    texts, missing = [], []
    for language in languages:
        facts = statement_facts(kind=kind, holder=rights_holder, right=right, matter=matter, signatory=signatory,
                                today=today, language=language, purchase=purchase)  # fmt: skip
        text, lacking = _filled(kind, language, facts)
        texts.append(text)
        missing += [FACT_NAMES.get(fact, fact) for fact in lacking if FACT_NAMES.get(fact, fact) not in missing]
    with transaction.atomic():
        subject_type = ContentType.objects.get_for_model(TestPurchase) if purchase else None
        StatementDraft.objects.filter(rights_holder=rights_holder, right=right, kind=kind, subject_type=subject_type,
                                      subject_id=purchase.pk if purchase else None,
                                      status__in=StatementDraft.OPEN_STATUSES).update(
            status=StatementDraft.Status.SUPERSEDED)  # fmt: skip
        draft = StatementDraft.objects.create(
            rights_holder=rights_holder, right=right, kind=kind, languages=list(languages), created_by=by,
            matter_reference=matter.reference if matter else "", missing=missing,
            subject_type=subject_type, subject_id=purchase.pk if purchase else None,
            content=[asdict(text) for text in texts],
            wording_digests={lang: template_digest(kind, lang) for lang in languages},
            signatory=signatory.user if signatory else None,
            signatory_name=signatory.user.get_full_name() if signatory else "",
            signatory_title=signatory.title if signatory else "",
            status=StatementDraft.Status.INCOMPLETE if missing else StatementDraft.Status.READY,
        )  # fmt: skip
        if not missing:
            _store_draft_pdf(draft, tuple(texts))
        audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=draft, fields=["kind", "status"])
        if draft.status == StatementDraft.Status.READY and draft.signatory_id not in (None, by.pk):
            after_commit(lambda: statement_ready_notify(draft=draft))
    return draft


def statement_ready_notify(*, draft: StatementDraft) -> bool:
    """E-mail the member a draft is in the name of that it awaits their signature. A mail failure is logged and
    never undoes the draft: the draft also waits on the matter's page."""
    user = draft.signatory
    if user is None or not user.is_active:
        return False
    context = {"draft": draft, "user": user, "label": KIND_LABELS[draft.kind].lower(),
               "firm_name": settings.PORTAL_FIRM_NAME,
               "draft_url": settings.PORTAL_BASE_URL + reverse("web:statement_detail", args=[draft.pk])}  # fmt: skip
    subject = " ".join(render_to_string("portal/email/statement_ready_subject.txt", context).split())
    try:
        return bool(send_mail(subject, render_to_string("portal/email/statement_ready.txt", context), None,
                              [user.email]))  # fmt: skip
    except Exception:
        logger.warning("Could not e-mail %s that draft %s awaits signature.", user.email, draft.pk, exc_info=True)
        return False


def _store_draft_pdf(draft: StatementDraft, texts: tuple[StatementText, ...]) -> None:
    data = StatementInput(
        heading=f"{settings.PORTAL_FIRM_NAME} · {KIND_LABELS[draft.kind]} · {draft.rights_holder.code}/S{draft.pk}",
        reference=f"{draft.rights_holder.code}/S{draft.pk}", texts=texts,
        signatory=f"{draft.signatory_name}, {draft.signatory_title}",
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="statement-") as folder:
        path = Path(folder) / "draft.pdf"
        box = build_statement(data, path)
        draft.sha256 = sha256_path(path)
        draft.file.name = default_storage.save(f"statements/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf",
                                               ContentFile(path.read_bytes()))  # fmt: skip
    draft.signature_box = asdict(box)
    draft.save(update_fields=["sha256", "file", "signature_box"])


def statement_sign(
    *, draft: StatementDraft, by: User, full_name: str, title: str, confirmed: bool, password: str,
    shown_sha256: str, address: str | None,
) -> StatementDraft:  # fmt: skip
    """Sign the draft for the rights holder. Only the member it is drafted for, with signing authority, after
    re-entering their password; the signed statement becomes the ownership document its rule asks for."""
    if not draft.can_be_signed_by(by):
        raise PermissionDenied(f"Only {draft.signatory_name or 'a member with signing authority'} may sign this "
                               "statement for the rights holder.")  # fmt: skip
    if draft.status != StatementDraft.Status.READY:
        raise ValidationError(f"This draft cannot be signed: it is {draft.get_status_display().lower()}.")
    if shown_sha256 != draft.sha256:
        raise ValidationError("The draft changed since you opened it. Read the current version, then sign.")
    if " ".join(full_name.split()).casefold() != draft.signatory_name.casefold() or (
        " ".join(title.split()).casefold() != draft.signatory_title.casefold()
    ):
        raise ValidationError(f"The statement is in the name of {draft.signatory_name}, {draft.signatory_title}: "
                              "type your name and title as they appear, or ask the firm for changes.")  # fmt: skip
    if not confirmed:
        raise ValidationError("Confirm the statement before signing.")
    if not by.check_password(password):
        raise ValidationError("That is not your password. Signing needs your password again.")
    signed_at = timezone.now()
    label = KIND_LABELS[draft.kind]
    with tempfile.TemporaryDirectory(prefix="signing-") as folder:
        shown, with_signature, final = (Path(folder) / name for name in ("shown.pdf", "signed.pdf", "final.pdf"))
        with draft.file.open("rb") as stream:
            shown.write_bytes(stream.read())
        if sha256_path(shown) != draft.sha256:
            raise ValidationError("The stored draft no longer matches its record; ask the firm for a new draft.")
        write_signature(shown, SignatureBox(**draft.signature_box), [
            draft.signatory_name, draft.signatory_title, "Signed electronically in the portal",
            f"{signed_at.day} {signed_at:%B %Y, %H:%M:%S} UTC",
        ], with_signature)  # fmt: skip
        append_completion(with_signature, Completion(
            title=label, reference=f"{draft.rights_holder.code}/S{draft.pk}", rights_holder=draft.rights_holder.name,
            signer=f"{draft.signatory_name}, {draft.signatory_title} ({by.email})",
            signed_at=f"{signed_at.day} {signed_at:%B %Y, %H:%M:%S} UTC", signed_from=address or "not known",
            shown_sha256=draft.sha256,
            method=(
                "The signer signed in to the portal with their e-mail address and password.",
                "They were shown this exact document (its SHA-256 above), typed their full name and title, "
                "confirmed the statement, and re-entered their password to sign.",
                f"{settings.PORTAL_FIRM_NAME} then sealed the signed document with its PAdES signature; any later "
                "change to it breaks that seal.",
            ),
        ), final)  # fmt: skip
        try:
            fingerprint = sign_pdf_in_place(final, signing_identity(), signer_name=settings.PORTAL_FIRM_NAME,
                                            reason=f"{label} signed by {draft.signatory_name}")  # fmt: skip
        except SigningError as exc:
            raise ValidationError(f"The signed statement could not be sealed: {exc}") from None
        signed_sha256 = sha256_path(final)
        with transaction.atomic():
            with open(final, "rb") as stream:
                document = _store_signed(
                    draft, File(stream, name=f"{draft.kind}-{draft.pk}-signed.pdf"), by=by,
                    description=f"{label}, signed in the portal by {draft.signatory_name}",
                    signatory_name=draft.signatory_name, signatory_title=draft.signatory_title,
                    issued_on=signed_at.date(),
                )  # fmt: skip
            draft.status, draft.signed_at, draft.signed_from = StatementDraft.Status.SIGNED, signed_at, address
            draft.signed_sha256, draft.document = signed_sha256, document
            draft.save(update_fields=["status", "signed_at", "signed_from", "signed_sha256", "document"])
            test_buy = draft.kind == TEST_BUY_REPORT
            document_issue(
                kind=IssuedDocument.Kind.SIGNED_TEST_BUY_REPORT if test_buy else IssuedDocument.Kind.SIGNED_STATEMENT,
                obj=draft, sha256=signed_sha256, by=by, matter_reference=draft.matter_reference,
                recipient=draft.rights_holder.name, signer_fingerprint=fingerprint,
                certifies=f"{label} {draft.rights_holder.code}/S{draft.pk} of {draft.rights_holder.name}, signed "
                f"in the portal by {draft.signatory_name}, {draft.signatory_title}, on {signed_at:%d %B %Y}",
            )  # fmt: skip
            event_record(event_type="statement.signed", rights_holder_id=draft.rights_holder_id, data={
                "statement": {"id": draft.pk, "kind": label, "reference": f"{draft.rights_holder.code}/S{draft.pk}",
                              "signed_by": draft.signatory_name, "signed_at": signed_at.isoformat(),
                              "sha256": signed_sha256, "matter": draft.matter_reference or None},
            })  # fmt: skip
            audit_record(
                action=AuditEvent.Action.CHANGED, actor=by, object_ref=f"ownership.statementdraft:{draft.pk}",
                object_label=str(draft), changes=["status"],
                details=f"Signed by {draft.signatory_name} ({by.email}) from {address or 'an unknown address'} at "
                f"{signed_at.isoformat()}; shown SHA-256 {draft.sha256}; signed SHA-256 {signed_sha256}",
            )  # fmt: skip
    return draft


def _store_signed(
    draft: StatementDraft, upload: File, *, by: User, description: str, signatory_name: str, signatory_title: str,
    issued_on: datetime.date,
) -> OwnershipDocument | None:  # fmt: skip
    """Where the signed statement goes: a test-buy report is evidence of its purchase (a signed-report exhibit,
    logged in the matter's custody chain); every other statement is proof of ownership."""
    if draft.kind == TEST_BUY_REPORT:
        purchase = TestPurchase.objects.select_related("matter").get(pk=draft.subject_id or 0)
        exhibit_upload(matter=purchase.matter, purchase=purchase, kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT,
                       upload=upload, uploaded_by=by, description=f"{description}, {signatory_title}")  # fmt: skip
        return None
    return ownership_document_upload(
        rights_holder=draft.rights_holder, right=draft.right, doc_type=DOCUMENT_TYPES[draft.kind], upload=upload,
        uploaded_by=by, description=description, is_signed=True, signatory_name=signatory_name,
        signatory_title=signatory_title, issued_on=issued_on, language="en",
    )  # fmt: skip


@transaction.atomic
def statement_decide(*, draft: StatementDraft, by: User, decision: str, reason: str) -> StatementDraft:
    """A member of the rights holder declines the draft, or asks the firm for changes, with the reason."""
    if not access.is_member_of(by, draft.rights_holder_id):
        raise PermissionDenied("Only the rights holder's members decline a draft or ask for changes.")
    if decision not in (StatementDraft.Status.DECLINED, StatementDraft.Status.CHANGES_REQUESTED):
        raise ValidationError("Choose to decline the draft or to ask for changes.")
    if not draft.is_open:
        raise ValidationError(f"This draft is already {draft.get_status_display().lower()}.")
    if not reason.strip():
        raise ValidationError("Say why, so the firm knows what to change.")
    draft.status, draft.decided_by, draft.decided_at = decision, by, timezone.now()
    draft.decision_reason = reason.strip()
    draft.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=draft, fields=["status", "decision_reason"])
    return draft


def statement_wet_ink_upload(
    *, draft: StatementDraft, by: User, upload: File, signatory_name: str, signatory_title: str
) -> StatementDraft:
    """The draft printed, signed in ink and scanned: stored as the ownership document, linked to the draft."""
    if not access.can_upload_evidence(by, draft.rights_holder_id):
        raise PermissionDenied("Only the firm and the rights holder's managers and contributors upload documents.")
    if draft.status != StatementDraft.Status.READY:
        raise ValidationError(f"This draft is {draft.get_status_display().lower()}; upload a scan of a ready draft.")
    if not signatory_name.strip() or not signatory_title.strip():
        raise ValidationError("Give the name and title of the person who signed it in ink.")
    with transaction.atomic():
        document = _store_signed(draft, upload, by=by, description=f"{KIND_LABELS[draft.kind]}, signed in ink "
                                 f"(draft {draft.pk})", signatory_name=signatory_name.strip(),
                                 signatory_title=signatory_title.strip(), issued_on=timezone.localdate())  # fmt: skip
        draft.status, draft.document, draft.decided_by = StatementDraft.Status.WET_INK, document, by
        draft.decided_at = timezone.now()
        draft.save(update_fields=["status", "document", "decided_by", "decided_at"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=draft, fields=["status", "document"])
    return draft
