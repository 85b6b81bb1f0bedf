"""Is this a genuine, unaltered bundle issued by this portal? Signature, whole-file coverage, issuer, record.

This module reads the ``Bundle`` table (the record of what was issued); the PDF checks themselves live in
``signing`` and never touch the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ownership.shared.checksums import sha256_path
from ownership.shared.signing import SigningError, check_signature, load_certificate, signing_identity, trust_roots
from portal.models import Bundle


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    bundle: Bundle | None
    reasons: tuple[str, ...]


def verify_bundle_file(path: Path) -> Verdict:
    identity = signing_identity()
    try:
        firm_certificate = load_certificate(identity)
        roots = trust_roots(identity) or [firm_certificate]
    except SigningError as exc:
        return Verdict(False, None, (str(exc),))
    check = check_signature(path, roots, firm_certificate)
    reasons = list(check.problems)
    bundle = Bundle.objects.filter(sha256=sha256_path(path), status=Bundle.Status.READY).first()
    if bundle is None:
        if not reasons:
            reasons.append("No bundle with exactly these bytes was issued by this portal.")
    else:
        if check.signer_fingerprint and check.signer_fingerprint != bundle.signer_fingerprint:
            reasons.append("The signer is not the certificate this bundle was issued with.")
        if _manifest_in(path) != bundle.manifest_sha256:
            reasons.append("Manifest mismatch: the exhibit manifest in the file is not the one recorded for it.")
    return Verdict(genuine=not reasons, bundle=bundle, reasons=tuple(reasons))


def _manifest_in(path: Path) -> str:
    try:
        with pikepdf.open(path) as pdf:
            return str(pdf.docinfo.get("/PortalManifestSHA256", ""))
    except pikepdf.PdfError:
        return ""


def verify_bundle_digest(sha256: str) -> list[Bundle]:
    """The ready bundles this portal issued whose signed file, or whose manifest, has this SHA-256."""
    value = sha256.strip().lower()
    by_file = list(Bundle.objects.filter(sha256=value, status=Bundle.Status.READY).select_related("matter"))
    if by_file:
        return by_file
    return list(
        Bundle.objects.filter(manifest_sha256=value, status=Bundle.Status.READY).select_related("matter").order_by("pk")
    )
