"""Notices to sellers: the firm's review of the wording, asking for a notice from a matter, compiling and
signing it (a worker, like bundles), sending it by e-mail or recording it went through the platform's
messaging, and recording the seller's reply."""

from __future__ import annotations

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, make_msgid
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from evidence.models import Listing, Matter, Seller
from ownership.choices import JURISDICTIONS, JURISDICTIONS_ZH
from ownership.models import IPRight
from ownership.shared import access
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.jobs import job_dispatch
from ownership.shared.registry import IssuedDocument
from ownership.shared.users import User
from portal.bundle.pdf.notice import NoticeInput, NoticeText, build_notice
from portal.letterhead import letterhead
from portal.models import Notice, WordingReview
from portal.notice_wording import CHINESE, LANGUAGE_NAMES, WORDING, deadline_text, languages_for, wording_digest
from portal.services.compiled import Compilation, compiled_run
from portal.statement_wording import SELLER_NOTICE, current_digest, reviewable_texts


@transaction.atomic
def wording_review_record(*, language: str, note: str, by: User, template: str = SELLER_NOTICE) -> WordingReview:
    """Record that ``by`` reviewed the current text of a notice or statement template in one language; only
    members given the permission may."""
    if not access.can_review_notice_wording(by):
        raise PermissionDenied("Reviewing wording needs the firm's review permission, given one by one.")
    if (template, language) not in reviewable_texts():
        raise ValidationError(f"There is no {template} wording in {language!r}.")
    if not note.strip():
        raise ValidationError("Say in what capacity you reviewed the text and what you checked.")
    review = WordingReview.objects.create(template=template, language=language, reviewed_by=by, note=note.strip(),
                                          digest=current_digest(template, language))  # fmt: skip
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=review, fields=["template", "language", "digest"])
    return review


def notice_addressees(*, matter: Matter, seller: Seller, scope: str) -> list[Listing]:
    """The matter's listings of the store, or of every store of its network, still online: a notice never names
    another client's listings, and never demands the removal of a listing already recorded as removed. The
    network is read afresh: a link made since ``seller`` was loaded counts."""
    stores = Seller.objects.filter(pk=seller.pk)
    network_id = stores.values_list("network_id", flat=True).first()
    if scope == Notice.Scope.NETWORK and network_id:
        stores = Seller.objects.filter(network_id=network_id)
    return list(
        Listing.objects.in_matter(matter).filter(seller__in=stores).exclude(status=Listing.Status.REMOVED)
        .select_related("seller").order_by("seller_id", "pk")
    )  # fmt: skip


def signer_problem(member: User) -> str:
    """Why ``member`` cannot sign a notice for the firm (``User.objects.firm_signers``), or ""."""
    if User.objects.firm_signers().filter(pk=member.pk).exists():
        return ""
    if member.is_active and member.is_staff:
        return (f"Record {member.get_full_name()}'s role (for example Solicitor) on their user first: a notice names "
                "who signs it and in what capacity.")  # fmt: skip
    return f"{member.get_full_name()} is not an active member of the firm: a notice is signed by one."


@transaction.atomic
def notice_request(
    *, matter: Matter, seller: Seller, scope: str, rights: list[IPRight], deadline: datetime.date, by: User,
    signed_by: User | None = None,
) -> Notice:  # fmt: skip
    """Ask for a signed notice from ``matter`` to the store (or its network's stores in the matter), signed by
    ``signed_by`` (the requester when not given), named with their role on the firm's letterhead.

    Refused, with the reason, when the matter has no listing of those stores, a right is not the matter's
    client's, the deadline is not in the future, the signer is not a firm member with a role, the letterhead is
    incomplete, or a language's wording has no review of its current text.
    """
    signer = signed_by or by
    if problem := signer_problem(signer):
        raise ValidationError(problem)
    if missing := letterhead().missing:
        raise ValidationError(f"The firm's letterhead is incomplete: set {', '.join(missing)} (see the README). A "
                              "notice names where and how to reach the firm and who regulates it.")  # fmt: skip
    listings = notice_addressees(matter=matter, seller=seller, scope=scope)
    if not listings:
        raise ValidationError(f"{matter.reference} has no listing of this store still online: a notice from it has "
                              "nothing to demand (listings recorded as removed are left out).")  # fmt: skip
    if not rights:
        raise ValidationError("Choose at least one right the listings infringe.")
    if any(right.rights_holder_id != matter.rights_holder_id for right in rights):
        raise ValidationError(f"A notice from {matter.reference} can name only {matter.rights_holder.name}'s rights.")
    if deadline <= timezone.localdate():
        raise ValidationError("The deadline must be after today.")
    languages = languages_for({listing.seller.platform for listing in listings if listing.seller})
    unreviewed = [language for language in languages if not WordingReview.objects.current(language).exists()]
    if unreviewed:
        names = " and ".join(LANGUAGE_NAMES[language] for language in unreviewed)
        raise ValidationError(
            f"The notice wording in {names} has no review of its current text. A lawyer given the review "
            "permission must review it on the notice wording page first."
        )
    notice = Notice.objects.create(
        matter=matter, seller=seller, scope=scope, deadline=deadline, languages=list(languages), requested_by=by,
        wording_digests={language: wording_digest(language) for language in languages}, signed_by=signer,
        signer_role=signer.job_title.strip(),
    )  # fmt: skip
    notice.sellers.set({listing.seller_id for listing in listings if listing.seller_id})
    notice.listings.set(listings)
    notice.rights.set(rights)
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=notice,
                 fields=["matter", "seller", "deadline", "signed_by", "signer_role"])  # fmt: skip
    job_dispatch(notice)
    return notice


def notice_compile(*, notice_id: int) -> Notice:
    """Build the notice from the wording it was asked with, sign it with the firm's key and store it."""

    def plan(notice: Notice) -> Compilation | str:
        changed = [lang for lang, digest in notice.wording_digests.items() if wording_digest(lang) != digest]
        if changed:
            return "The notice wording changed after it was asked for; ask again once the new text is reviewed."
        if notice.signed_by is None:
            return "This notice was asked for before notices named who signs them; ask for it again."
        contents = notice_input(notice)
        signer = f"{notice.signed_by.get_full_name()}, {notice.signer_role}"
        stores = "; ".join(contents.stores)
        listings = f"{len(contents.listings)} listing{'' if len(contents.listings) == 1 else 's'}"
        certifies = (f"Notice of infringement {notice_reference(notice)} from {settings.PORTAL_FIRM_NAME} for "
                     f"{_holder_name(notice)} to {stores}, {listings}, to comply by "
                     f"{deadline_text(notice.deadline, 'en')}; signed by {signer}")  # fmt: skip
        return Compilation(build=lambda path: build_notice(contents, path), folder="notices",
                           reason=f"Notice {notice_reference(notice)}, signed by {signer}",
                           kind=IssuedDocument.Kind.NOTICE, certifies=certifies,
                           matter_reference=notice.matter.reference, recipient=stores)  # fmt: skip

    return compiled_run(Notice, notice_id, plan)


def notice_reference(notice: Notice) -> str:
    return f"{notice.matter.reference}/N{notice.pk}"


def right_sentence(right: IPRight, language: str) -> str:
    """The right as one sentence of the notice's reviewed wording: registered with its number and date, or
    subsisting without registration with the work's creation date and authors, as far as they are recorded."""
    wording = WORDING[language]
    country = (JURISDICTIONS_ZH if language == CHINESE else JURISDICTIONS).get(right.jurisdiction, right.jurisdiction)
    values = {"kind": wording.kinds.get(right.kind, right.get_kind_display()), "title": right.title,
              "country": country, "number": right.identifier_display or right.certificate_number}  # fmt: skip
    if values["number"]:
        sentence = wording.right_registered.format(**values)
        if right.registration_date:
            sentence += wording.registered_on.format(date=deadline_text(right.registration_date, language))
    else:
        sentence = wording.right_unregistered.format(**values)
        if right.creation_date:
            sentence += wording.created_on.format(date=deadline_text(right.creation_date, language))
            if right.authors:
                sentence += wording.created_by.format(authors=right.authors)
    return sentence + wording.full_stop


def _texts(notice: Notice, stores: list[str], holder: str, rights: list[IPRight]) -> tuple[NoticeText, ...]:
    if notice.signed_by is None:  # refused by ``notice_compile`` before it gets here
        raise ValueError("A notice names who signs it.")
    texts = []
    for language in notice.languages:
        wording = WORDING[language]
        values = {"holder": holder, "firm": settings.PORTAL_FIRM_NAME, "stores": wording.stores_joiner.join(stores),
                  "deadline": deadline_text(notice.deadline, language), "signer": notice.signed_by.get_full_name(),
                  "role": notice.signer_role}  # fmt: skip
        texts.append(NoticeText(
            title=wording.title, opening=wording.opening.format(**values), rights_heading=wording.rights_heading,
            rights=tuple(right_sentence(right, language) for right in rights),
            listings_heading=wording.listings_heading, infringement=wording.infringement.format(**values),
            demands_heading=wording.demands_heading, demands=wording.demands,
            deadline=wording.deadline.format(**values), reservation=wording.reservation,
            sign_off=wording.sign_off.format(**values),
            date=deadline_text((notice.finished_at or timezone.now()).date(), language),
        ))  # fmt: skip
    return tuple(texts)


def _holder_name(notice: Notice) -> str:
    holder = notice.matter.rights_holder
    return f"{holder.name} ({holder.name_local})" if holder.name_local else holder.name


def notice_input(notice: Notice) -> NoticeInput:
    """The notice's plain data. Store names are the ones this matter's evidence recorded (``seller_label``)."""
    listings = list(notice.listings.in_matter(notice.matter_id).select_related("seller").order_by("seller_id", "pk"))
    names: dict[int, str] = {}
    lines: list[str] = []
    for listing in listings:
        seller = listing.seller
        if seller is not None and seller.pk not in names:
            names[seller.pk] = listing.seller_label
            store_id = f", store id {seller.platform_seller_id}" if seller.platform_seller_id else ""
            lines.append(f"{listing.seller_label} ({seller.get_platform_display()}{store_id})")
    rights = list(notice.rights.order_by("jurisdiction", "kind", "pk"))
    return NoticeInput(
        firm=settings.PORTAL_FIRM_NAME, letterhead=letterhead().lines, reference=notice_reference(notice),
        stores=tuple(lines),
        listings=tuple(" · ".join(filter(None, (item.title, item.url, item.seller_label))) for item in listings),
        texts=_texts(notice, list(dict.fromkeys(names.values())), _holder_name(notice), rights),  # each name once
    )  # fmt: skip


def notice_send(*, notice: Notice, recipients: list[str], by: User) -> Notice:
    """E-mail the signed notice through Django's mail backend and record the addresses and its Message-ID."""
    if notice.status != Notice.Status.READY:
        raise ValidationError("The notice is not ready to send.")
    if notice.sent_at:
        raise ValidationError(f"This notice was already sent on {notice.sent_at:%d %b %Y}.")
    addresses = [address.strip() for address in recipients if address.strip()]
    if not addresses:
        raise ValidationError("Give at least one e-mail address of the seller.")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError(f"{address!r} is not an e-mail address.") from None
    holder = _holder_name(notice)
    values = {"holder": holder, "firm": settings.PORTAL_FIRM_NAME}
    bodies = [
        WORDING[language].covering_note.format(**values, deadline=deadline_text(notice.deadline, language))
        for language in notice.languages
    ]
    message_id = make_msgid(domain=parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or None)
    message = EmailMessage(
        subject=" / ".join(WORDING[language].title for language in notice.languages) + f" ({notice_reference(notice)})",
        body="\n\n".join(bodies), to=addresses, reply_to=[by.email], headers={"Message-ID": message_id},
    )  # fmt: skip
    with notice.file.open("rb") as stream:
        message.attach(f"notice-{notice.pk}.pdf", stream.read(), "application/pdf")
    message.send()  # raises on failure: nothing is recorded as sent
    with transaction.atomic():
        notice.sent_to, notice.sent_at, notice.sent_by, notice.message_id = addresses, timezone.now(), by, message_id
        notice.save(update_fields=["sent_to", "sent_at", "sent_by", "message_id"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=notice, fields=["sent_to", "message_id"])
    return notice


@transaction.atomic
def notice_sent_by_platform(*, notice: Notice, by: User) -> Notice:
    """Record that staff sent the downloaded notice through the platform's own messaging."""
    if notice.status != Notice.Status.READY or notice.sent_at:
        raise ValidationError("Only a ready notice that was not sent yet can be recorded as sent.")
    notice.sent_at, notice.sent_by, notice.downloaded_for_platform = timezone.now(), by, True
    notice.save(update_fields=["sent_at", "sent_by", "downloaded_for_platform"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=notice, fields=["sent_at", "downloaded_for_platform"])
    return notice


@transaction.atomic
def notice_reply_record(*, notice: Notice, received_on: datetime.date, summary: str, by: User) -> Notice:
    if not notice.sent_at:
        raise ValidationError("Record a reply once the notice has been sent.")
    if received_on > timezone.localdate() or received_on < notice.sent_at.date():
        raise ValidationError("The reply date must fall between the day the notice was sent and today.")
    if not summary.strip():
        raise ValidationError("Say what the seller answered.")
    notice.reply_received_on, notice.reply_summary = received_on, summary.strip()
    notice.save(update_fields=["reply_received_on", "reply_summary"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=notice, fields=["reply_received_on"])
    return notice
