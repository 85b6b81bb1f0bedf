"""PAdES signing of finished bundles with the firm's certificate (pyHanko), and checking a signed bundle."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from portal.bundle.errors import BundleError

SIGNATURE_FIELD = "FirmSignature"
# Where the visible signature box sits on the cover page (points from the bottom left of an A4 page).
SIGNATURE_BOX = (330, 60, 540, 130)


@dataclass(frozen=True)
class SigningIdentity:
    p12_path: Path
    passphrase: bytes
    tsa_url: str = ""


def load_certificate(identity: SigningIdentity) -> x509.Certificate:
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(identity.p12_path.read_bytes(), identity.passphrase)
    except FileNotFoundError:
        raise BundleError(
            f"The signing certificate {identity.p12_path} does not exist. "
            "Create one with `manage.py create_signing_certificate` or set PORTAL_SIGNING_P12."
        ) from None
    except ValueError:
        raise BundleError("The signing certificate could not be opened: check PORTAL_SIGNING_PASSPHRASE.") from None
    return cert


def certificate_fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def sign_pdf_in_place(path: Path, identity: SigningIdentity, *, signer_name: str, reason: str) -> str:
    """Certify the PDF at ``path`` (no later change allowed), visible box on page 1; return the signer fingerprint.

    The file is opened read-write and signed in place, so pyHanko does not hold the whole file in memory.
    """
    cert = load_certificate(identity)
    signer = signers.SimpleSigner.load_pkcs12(str(identity.p12_path), passphrase=identity.passphrase)
    if signer is None:
        raise BundleError("The signing certificate could not be loaded: check PORTAL_SIGNING_PASSPHRASE.")
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        certify=True,
        docmdp_permissions=MDPPerm.NO_CHANGES,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        name=signer_name,
        reason=reason,
    )
    timestamper = timestamps.HTTPTimeStamper(identity.tsa_url) if identity.tsa_url else None
    with open(path, "r+b") as stream:
        writer = IncrementalPdfFileWriter(stream)
        signers.sign_pdf(
            writer,
            meta,
            signer=signer,
            timestamper=timestamper,
            new_field_spec=SigFieldSpec(SIGNATURE_FIELD, on_page=0, box=SIGNATURE_BOX),
            in_place=True,
        )
    return certificate_fingerprint(cert)


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    covers_whole_file: bool
    signer_fingerprint: str
    signer_subject: str
    problems: tuple[str, ...]


def check_signature(path: Path, trusted: x509.Certificate) -> SignatureCheck:
    """Validate the bundle's signature against the firm's certificate, as a recipient would."""
    problems: list[str] = []
    root = asn1_x509.Certificate.load(trusted.public_bytes(serialization.Encoding.DER))
    with open(path, "rb") as stream:
        try:
            reader = PdfFileReader(stream)
            signatures = reader.embedded_signatures
        except Exception as exc:  # noqa: BLE001 - a damaged file is simply not a genuine bundle
            return SignatureCheck(False, False, "", "", (f"The file is not a readable PDF ({type(exc).__name__}).",))
        if not signatures:
            return SignatureCheck(False, False, "", "", ("The file carries no digital signature.",))
        if len(signatures) > 1:
            problems.append("The file carries more than one signature.")
        embedded = signatures[0]
        try:
            status = validate_pdf_signature(embedded, ValidationContext(trust_roots=[root]))
        except SignatureValidationError as exc:
            return SignatureCheck(False, False, "", "", (f"The signature cannot be validated: {exc}",))
        signer_cert = embedded.signer_cert
        fingerprint = hashlib.sha256(signer_cert.dump()).hexdigest()
        whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        if not status.intact or not status.valid:
            problems.append("The signature does not match the document: it was changed after signing.")
        if not status.trusted:
            problems.append("The signer's certificate is not the portal's signing certificate.")
        if not whole:
            problems.append("The signature does not cover the whole file: something was added after signing.")
        return SignatureCheck(
            valid=not problems,
            covers_whole_file=whole,
            signer_fingerprint=fingerprint,
            signer_subject=signer_cert.subject.human_friendly,
            problems=tuple(problems),
        )
