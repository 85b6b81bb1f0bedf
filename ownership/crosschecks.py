"""Cross-checks of a proof document's text against what is recorded: does the certificate show the right's
registration number and its owner, is the document in the language recorded for it, could its scan be read.

Warnings never block: the readiness rule stays satisfied, the warning shows beside it, and staff may overrule
it (recorded with who, when and why on the document). The text is the document's own, or its OCR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ownership.choices import DocumentType
from ownership.models import IPRight, OwnershipDocument
from ownership.shared.ocr import OcrRendition

_NOT_LETTERS = re.compile(r"[\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
MIN_TEXT = 30  # characters: below this, the text says too little to judge the language

# Why a certificate has no text to check its number and owner against: never a silent pass (issue 27).
_UNREAD = {
    OcrRendition.OcrStatus.NONE: "OCR was off when it was uploaded, so its text was never read.",
    OcrRendition.OcrStatus.QUEUED: "it is waiting for the OCR worker to read it.",
    OcrRendition.OcrStatus.RUNNING: "the OCR worker is reading it now.",
    OcrRendition.OcrStatus.NOT_READABLE: "it is not a PDF or an image, so its text cannot be read.",
    OcrRendition.OcrStatus.NOT_NEEDED: "no text could be read from it.",
    OcrRendition.OcrStatus.DONE: "no text could be read from it.",
}


def squashed(text: str) -> str:
    """Letters and digits only, case-folded: OCR puts spaces between Chinese words and breaks numbers apart."""
    return _NOT_LETTERS.sub("", text or "").casefold()


def _numbers(right: IPRight) -> list[str]:
    """The recorded number in the forms a certificate may print it (canonical and as displayed)."""
    forms = {right.registration_number, right.certificate_number}
    if right.registration_number:
        forms.add(right.identifier_display)
    return [squashed(form) for form in forms if form and squashed(form)]


def _owners(right: IPRight) -> list[str]:
    holder = right.rights_holder
    names = {right.owner_name, holder.name, holder.name_local}
    return [squashed(name) for name in names if name and squashed(name)]


def language_of(text: str) -> str | None:
    """ "zh", "en" (Latin script) or None when the text is too short to say."""
    cjk, latin = len(_CJK.findall(text)), len(_LATIN.findall(text))
    if cjk + latin < MIN_TEXT:
        return None
    return "zh" if cjk >= latin / 4 else "en"


@dataclass(frozen=True)
class CheckWarning:
    document_id: int
    text: str

    def __str__(self) -> str:
        return self.text


def document_warnings(document: OwnershipDocument) -> list[CheckWarning]:
    """The document's warnings (``warnings_of``), each tied to the document staff may overrule it on."""
    return [CheckWarning(document.pk, text) for text in warnings_of(document)]


def warnings_of(document: OwnershipDocument) -> list[str]:
    """What the document's text contradicts, in words for the readiness report; empty when overruled."""
    return [] if document.check_overruled_at else checks_found(document)


def overruled_check(document: OwnershipDocument) -> str:
    """What a bundle's manifest says of a check staff overruled: what it found, who overruled it, when, why."""
    if not document.check_overruled_at:
        return ""
    who = document.check_overruled_by.get_full_name() if document.check_overruled_by else "staff"
    found = "; ".join(text.rstrip(".") for text in checks_found(document)) or "nothing it still finds"
    when = document.check_overruled_at
    return (f"Cross-check overruled by {who} on {when.day} {when:%B %Y}: "
            f"{document.check_overrule_reason.rstrip('.')}. It had found: {found}.")  # fmt: skip


def checks_found(document: OwnershipDocument) -> list[str]:
    """What the checks find in the document's text, overruled or not."""
    about = document.right.title if document.right_id else document.rights_holder.name
    if document.ocr_status == OcrRendition.OcrStatus.FAILED:
        return [f"The scan uploaded for {about} could not be read, so it was not checked: {document.ocr_error}"]
    right = document.right
    certificate = right is not None and document.doc_type == DocumentType.REGISTRATION_CERTIFICATE
    text = document.ocr_text
    if not text.strip():
        return (
            [f"The certificate uploaded for {about} was not checked: {_UNREAD[document.ocr_status]}"]
            if certificate
            else []
        )
    warnings = []
    if certificate:
        flat = squashed(text)
        numbers = _numbers(right)
        if numbers and not any(number in flat for number in numbers):
            warnings.append(f"The certificate uploaded for {about} does not show registration number "
                            f"{right.identifier_display or right.registration_number}.")  # fmt: skip
        owners = _owners(right)
        if owners and not any(owner in flat for owner in owners):
            owner = right.owner_name or right.rights_holder.name
            warnings.append(f"The certificate uploaded for {about} does not name the owner {owner}.")
    read_as = language_of(text)
    if read_as and document.language in ("en", "zh") and read_as != document.language:
        recorded, found = document.get_language_display(), {"zh": "Chinese", "en": "English"}[read_as]
        warnings.append(f"“{document.description or document.original_name}” is recorded as {recorded} but its "
                        f"text reads as {found}.")  # fmt: skip
    return warnings
