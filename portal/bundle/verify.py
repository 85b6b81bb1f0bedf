"""Is this a genuine, unaltered document issued by this portal? Signature, whole-file coverage, issuer, record.

Every kind the portal signs is answered here (bundles, notices, dossiers, signed statements and test-buy
reports, capture records), from the registry of issued documents (``ownership.shared.registry``). A bundle's
manifest SHA-256 in the file is checked against the one recorded. The PDF checks themselves live in
``signing`` and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ownership.shared import pki
from ownership.shared.checksums import sha256_path
from ownership.shared.registry import IssuedDocument
from ownership.shared.signing import SigningError, check_signature, load_certificate, signing_identity, trust_roots


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    record: IssuedDocument | None
    reasons: tuple[str, ...]


def verify_document_file(path: Path) -> Verdict:
    identity = signing_identity()
    try:
        firm_certificate = load_certificate(identity)
        roots = trust_roots(identity) or [firm_certificate]
    except SigningError as exc:
        return Verdict(False, None, (str(exc),))
    ca = pki.local_ca()
    check = check_signature(path, roots, firm_certificate, tuple(ca.revocations()) if ca else ())
    reasons = list(check.problems)
    record = IssuedDocument.objects.filter(sha256=sha256_path(path)).order_by("sequence").first()
    if record is None:
        if not reasons:
            reasons.append("No document with exactly these bytes was issued by this portal.")
    else:
        signer = check.signer_fingerprint
        if record.signer_fingerprint and signer and signer != record.signer_fingerprint:
            reasons.append("The signer is not the certificate this document was issued with.")
        if record.kind == IssuedDocument.Kind.BUNDLE and _manifest_in(path) != record.manifest_sha256:
            reasons.append("Manifest mismatch: the exhibit manifest in the file is not the one recorded for it.")
    return Verdict(genuine=not reasons, record=record, reasons=tuple(reasons))


def _manifest_in(path: Path) -> str:
    try:
        with pikepdf.open(path) as pdf:
            return str(pdf.docinfo.get("/PortalManifestSHA256", ""))
    except pikepdf.PdfError:
        return ""
