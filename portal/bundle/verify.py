"""Is this a genuine, unaltered bundle issued by this portal? Signature, whole-file coverage, issuer, record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf

from portal.bundle.errors import BundleError
from portal.bundle.pdf import sha256_file
from portal.bundle.signing import check_signature, load_certificate
from portal.models import Bundle


@dataclass(frozen=True)
class Verdict:
    genuine: bool
    bundle: Bundle | None
    reasons: tuple[str, ...]


def verify_bundle_file(path: Path) -> Verdict:
    from portal.bundle.build import signing_identity

    reasons: list[str] = []
    bundle = Bundle.objects.filter(sha256=sha256_file(path), status=Bundle.Status.READY).first()
    try:
        trusted = load_certificate(signing_identity())
    except BundleError as exc:
        return Verdict(False, bundle, (str(exc),))
    check = check_signature(path, trusted)
    reasons.extend(check.problems)
    if bundle is None:
        reasons.append("No bundle with exactly these bytes was issued by this portal.")
    else:
        if check.signer_fingerprint and check.signer_fingerprint != bundle.signer_fingerprint:
            reasons.append("The signer is not the certificate this bundle was issued with.")
        try:
            with pikepdf.open(path) as pdf:
                manifest = str(pdf.docinfo.get("/PortalManifestSHA256", ""))
        except pikepdf.PdfError:
            manifest = ""
        if manifest != bundle.manifest_sha256:
            reasons.append("The exhibit manifest in the file does not match the bundle's record.")
    return Verdict(genuine=not reasons, bundle=bundle, reasons=tuple(reasons))


def verify_bundle_digest(sha256: str) -> Bundle | None:
    """The ready bundle whose signed file has this SHA-256, if this portal issued one."""
    return Bundle.objects.filter(sha256=sha256.strip().lower(), status=Bundle.Status.READY).first()
