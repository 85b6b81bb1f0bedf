"""PAdES signing of the portal's PDFs (bundles, capture records, signed statements) with the firm's
certificate (pyHanko), and checking a signed PDF.

The key lives in a PKCS#12 file (``PORTAL_SIGNING_P12``) or, better, in an HSM reached through PKCS#11
(``PORTAL_SIGNING_PKCS11_*``). With ``PORTAL_TSA_URL`` the signature carries an RFC 3161 timestamp (PAdES
B-T); the certificate chains and the revocation data of the signer's and the authority's certificates are
embedded (B-LT), and a document timestamp seals them (B-LTA), so a document can be validated years later,
after its certificates expire, without the portal. The revocation data come from the portal's own development
CA (``pki``) or are fetched from the URLs a provider's certificates name; a revoked certificate cannot sign.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from ownership.shared import pki

SIGNATURE_FIELD = "FirmSignature"


class SigningError(Exception):
    """A signing failure a person can act on (a missing key file, a wrong passphrase or PIN); shown as it is."""


TIMESTAMP_RESOLUTION = datetime.timedelta(seconds=1)
# Where the visible signature box sits on the cover page (points from the bottom left of an A4 page).
SIGNATURE_BOX = (300, 60, 560, 150)


@dataclass(frozen=True)
class Pkcs11Key:
    module: str  # the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
    token: str
    pin: str
    key_label: str
    cert_label: str


@dataclass(frozen=True)
class SigningIdentity:
    p12_path: Path
    passphrase: bytes
    tsa_url: str = ""
    trust_roots: tuple[Path, ...] = ()  # PEM files: the signing CA's root (and the TSA's)
    pkcs11: Pkcs11Key | None = None
    font_path: str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # embedded in the visible signature box


def signing_identity() -> SigningIdentity:
    """The firm's signing identity as the settings give it (a PKCS#12 file, or an HSM token when configured)."""
    module = settings.PORTAL_SIGNING_PKCS11_MODULE
    signing_root = Path(settings.PORTAL_SIGNING_TRUST_ROOT)
    roots = [signing_root] if signing_root.exists() else []
    if settings.PORTAL_TSA_TRUST_ROOT:
        roots.append(Path(settings.PORTAL_TSA_TRUST_ROOT))
    return SigningIdentity(
        p12_path=Path(settings.PORTAL_SIGNING_P12),
        passphrase=settings.PORTAL_SIGNING_PASSPHRASE.encode(),
        tsa_url=settings.PORTAL_TSA_URL,
        trust_roots=tuple(roots),
        font_path=settings.PORTAL_LATIN_FONT,
        pkcs11=Pkcs11Key(
            module=module,
            token=settings.PORTAL_SIGNING_PKCS11_TOKEN,
            pin=settings.PORTAL_SIGNING_PKCS11_PIN,
            key_label=settings.PORTAL_SIGNING_PKCS11_KEY_LABEL,
            cert_label=settings.PORTAL_SIGNING_PKCS11_CERT_LABEL,
        )
        if module
        else None,
    )


def trust_root_path(p12_path: Path) -> Path:
    """Where ``create_signing_certificate`` writes the development CA's certificate, beside the key file."""
    return p12_path.with_name(p12_path.stem + "-ca.pem")


def issue_certificate(*, subject: str, organisation: str, key, issuer_key, issuer: x509.Certificate | None,
                      not_before: datetime.datetime, days: int, ca: bool, extended_usages: list | None = None,
                      crl_url: str = "", ocsp_url: str = "") -> x509.Certificate:  # fmt: skip
    """A certificate for a CA (``ca=True``) or an end entity issued by one, naming where its issuer publishes
    revocation data (a CRL distribution point, an OCSP responder) when given."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)])  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_cert_sign=ca,
                crl_sign=ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    if extended_usages:
        critical = extended_usages == [ExtendedKeyUsageOID.TIME_STAMPING]  # RFC 3161: critical for a TSA
        builder = builder.add_extension(x509.ExtendedKeyUsage(extended_usages), critical=critical)
    if crl_url:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    if ocsp_url:
        responder = x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url))
        builder = builder.add_extension(x509.AuthorityInformationAccess([responder]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _load_pem(path: Path) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except FileNotFoundError:
        raise SigningError(f"The trusted certificate {path} does not exist: check PORTAL_SIGNING_TRUST_ROOT.") from None


def trust_roots(identity: SigningIdentity) -> list[x509.Certificate]:
    return [_load_pem(path) for path in identity.trust_roots if path]


def load_certificate(identity: SigningIdentity) -> x509.Certificate:
    """The firm's signing certificate (from the PKCS#12 file, or the HSM token)."""
    if identity.pkcs11:
        with _pkcs11_signer(identity, identity.pkcs11) as signer:
            return x509.load_der_x509_certificate(signer.signing_cert.dump())
    return _open_p12(identity)[1]


def _open_p12(identity: SigningIdentity) -> tuple[Any, x509.Certificate, list[x509.Certificate]]:
    """The key, certificate and chain of the PKCS#12 file, or a message that says what to fix. Opened once per
    signature: each opening derives the file's key and checks the RSA key, about 0.3 s."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(identity.p12_path.read_bytes(), identity.passphrase)
    except FileNotFoundError:
        raise SigningError(
            f"The signing certificate {identity.p12_path} does not exist. "
            "Create one with `manage.py create_signing_certificate` or set PORTAL_SIGNING_P12."
        ) from None
    except ValueError:
        raise SigningError("The signing certificate could not be opened: check PORTAL_SIGNING_PASSPHRASE.") from None
    if cert is None:
        raise SigningError(f"{identity.p12_path} holds a key but no certificate: create the file again.")
    if key is None:
        raise SigningError(f"{identity.p12_path} holds a certificate but no key: create the file again.")
    return key, cert, chain


def certificate_fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def as_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as pyHanko takes it (asn1crypto)."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


@contextmanager
def _pkcs11_signer(identity: SigningIdentity, key: Pkcs11Key) -> Iterator[Any]:
    from pyhanko.sign import pkcs11

    try:
        session = pkcs11.open_pkcs11_session(
            key.module, token_criteria=pkcs11.TokenCriteria(label=key.token), user_pin=key.pin
        )
    except Exception as exc:  # noqa: BLE001 - the library's errors are many; the message says which setting
        raise SigningError(f"The HSM token {key.token!r} could not be opened through {key.module}: {exc}") from None
    try:
        chain = [as_asn1(c) for c in trust_roots(identity)]
        yield pkcs11.PKCS11Signer(session, key_label=key.key_label, cert_label=key.cert_label, ca_chain=chain)
    finally:
        session.close()


@contextmanager
def _signer(identity: SigningIdentity):
    if identity.pkcs11:
        with _pkcs11_signer(identity, identity.pkcs11) as signer:
            yield signer
        return
    key, cert, chain = _open_p12(identity)
    private = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    yield signers.SimpleSigner(
        signing_cert=as_asn1(cert),
        signing_key=asn1_keys.PrivateKeyInfo.load(private),
        cert_registry=SimpleCertificateStore.from_certs([as_asn1(c) for c in chain]),
    )


def _appearance(path: Path, *, firm: str, signer: str, reason: str, timestamped: bool, font_path: str) -> None:
    """The visible signature box, drawn with an embedded font: firm, signer, date, reason, certification.

    It says "Timestamp" only when a timestamp authority countersigns; otherwise the date is the signer's clock.
    """
    x1, y1, x2, y2 = SIGNATURE_BOX
    font = "PortalSignatureFont"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, font_path))
    now = datetime.datetime.now(datetime.UTC)
    when = f"{now.day} {now:%B %Y %H:%M} UTC"
    lines = [
        (f"Digitally signed for {firm}", 8),
        (f"Signer: {signer}", 7),
        (f"{'Signed (timestamp by an RFC 3161 authority)' if timestamped else 'Signed'}: {when}", 7),
        (f"Reason: {reason}", 7),
        ("Certified: any change invalidates this document", 7),
    ]
    width, height = x2 - x1, y2 - y1
    scale = 1.0
    while True:  # every line in full, wrapped; smaller type when the wrapped lines would not fit the box
        wrapped = [(part, size * scale) for line, size in lines
                   for part in simpleSplit(line, font, size * scale, width - 12)]  # fmt: skip
        if sum(size * 1.35 for _, size in wrapped) <= height - 8 or scale <= 0.6:
            break
        scale -= 0.05
    c = canvas.Canvas(str(path), pagesize=(width, height), initialFontName=font)
    y = float(height - 6)
    for part, size in wrapped:
        y -= size * 1.35
        c.setFont(font, size)
        c.drawString(6, y + size * 0.35, part)
    c.showPage()
    c.save()


def sign_pdf_in_place(path: Path, identity: SigningIdentity, *, signer_name: str, reason: str) -> str:
    """Certify the PDF at ``path`` (no later change allowed), visible box on page 1; return the signer fingerprint.

    The file is opened read-write and signed in place, so pyHanko does not hold the whole file in memory.
    """
    roots = [as_asn1(c) for c in trust_roots(identity)]
    with _signer(identity) as signer:
        ca = None if identity.pkcs11 else pki.local_ca(identity.p12_path, identity.passphrase)
        if ca is not None and ca.revocation_of(signer.signing_cert.serial_number):
            raise SigningError("The signing certificate has been revoked: issue a new one before signing.")
        fingerprint = hashlib.sha256(signer.signing_cert.dump()).hexdigest()
        long_term = bool(roots and identity.tsa_url)
        meta = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            certify=True,
            docmdp_permissions=MDPPerm.NO_CHANGES,
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            name=signer_name,
            reason=reason,
            # B-LT needs B-T: with a timestamp, the chains and revocation data go into a DSS, sealed by a
            # document timestamp (B-LTA).
            embed_validation_info=long_term,
            use_pades_lta=long_term,
            validation_context=_signing_context(ca, roots) if long_term else None,
        )
        timestamper = timestamps.HTTPTimeStamper(identity.tsa_url) if identity.tsa_url else None
        appearance = path.with_name(path.stem + "-signature-box.pdf")
        _appearance(appearance, firm=signer_name, signer=signer.signing_cert.subject.native.get("common_name", ""),
                    reason=reason, timestamped=timestamper is not None, font_path=identity.font_path)  # fmt: skip
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            timestamper=timestamper,
            stamp_style=stamp.StaticStampStyle.from_pdf_file(str(appearance), border_width=1),
            new_field_spec=SigFieldSpec(SIGNATURE_FIELD, on_page=0, box=SIGNATURE_BOX),
        )
        with open(path, "r+b") as stream:
            try:
                pdf_signer.sign_pdf(IncrementalPdfFileWriter(stream), in_place=True)
            except Exception as exc:  # noqa: BLE001 - TSA, HSM and validation errors alike: say what failed
                raise SigningError(f"Signing failed: {type(exc).__name__}: {exc}") from None
            finally:
                appearance.unlink(missing_ok=True)
    return fingerprint


def _signing_context(ca: pki.LocalCA | None, roots: list[asn1_x509.Certificate]) -> ValidationContext:
    """What the signer's and the authority's certificates are checked against as they sign: the trusted roots,
    the portal's own CA's revocation answers, and otherwise the CRL and OCSP URLs the certificates name. A
    certificate that names them and has no answer, or a revoked one, stops the signing (hard fail)."""
    crls, ocsps = pki.signing_revocation_material(ca)
    return ValidationContext(
        trust_roots=roots, crls=crls, ocsps=ocsps, allow_fetching=True, revocation_mode="hard-fail"
    )


@dataclass(frozen=True)
class SignatureCheck:
    valid: bool
    covers_whole_file: bool
    signer_fingerprint: str
    signer_subject: str
    problems: tuple[str, ...]
    timestamped: bool = False


def _ends_cleanly(path: Path) -> bool:
    """No bytes after the last revision's end-of-file marker."""
    with open(path, "rb") as stream:
        stream.seek(max(0, path.stat().st_size - 64))
        return stream.read().rstrip().endswith(b"%%EOF")


@contextmanager
def _quiet_pyhanko():
    """pyHanko logs warnings and tracebacks for altered files; a verdict says it in words instead."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def check_signature(
    path: Path,
    trusted: list[x509.Certificate],
    expected_signer: x509.Certificate,
    revocations: tuple[pki.Revocation, ...] = (),
) -> SignatureCheck:
    """Validate the document's signature as a recipient would: intact, whole file, chain, which certificate, and
    not made after the certificate was revoked (``revocations``: what the firm's CA revoked). Document
    timestamps (PAdES B-LTA) after the signature must be intact too."""
    with open(path, "rb") as stream:
        head = stream.read(1024)
        if b"%PDF-" not in head:
            return SignatureCheck(False, False, "", "", ("The file is not a PDF.",))
        stream.seek(0)
        with _quiet_pyhanko():
            try:
                reader = PdfFileReader(stream, strict=False)
                signatures = reader.embedded_regular_signatures
                document_timestamps = reader.embedded_timestamp_signatures
            except Exception:  # noqa: BLE001 - a damaged file is simply not a genuine bundle
                return SignatureCheck(False, False, "", "", ("The file is a damaged PDF that cannot be read.",))
            if not signatures:
                return SignatureCheck(False, False, "", "", ("The file carries no digital signature.",))
            problems: list[str] = []
            if len(signatures) > 1:
                problems.append("The file carries more than one signature: something was signed into it later.")
            embedded = signatures[0]
            context = ValidationContext(trust_roots=[as_asn1(c) for c in trusted], allow_fetching=False)
            try:
                status = validate_pdf_signature(embedded, context)
                sealed = all(_timestamp_intact(stamp_, context) for stamp_ in document_timestamps)
            except Exception as exc:  # noqa: BLE001
                return SignatureCheck(
                    False, False, "", "", (f"The signature cannot be validated ({type(exc).__name__}).",)
                )
    signer_cert = embedded.signer_cert
    fingerprint = hashlib.sha256(signer_cert.dump()).hexdigest()
    whole = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
    if not whole and status.coverage is not None and status.coverage.name == "ENTIRE_REVISION":
        # PAdES B-LT/B-LTA add validation data (DSS) and document timestamps in updates after the signature;
        # nothing else may follow.
        level = status.modification_level
        whole = level is not None and level.name == "LTA_UPDATES" and bool(status.docmdp_ok) and _ends_cleanly(path)
    if not status.intact or not status.valid or not sealed:
        problems.append("Altered after signing: the signed bytes no longer match the signature.")
    elif not whole:
        problems.append("Altered after signing: content was added to the file after the signature.")
    if fingerprint != hashlib.sha256(as_asn1(expected_signer).dump()).hexdigest():
        problems.append(f"Signed with another certificate ({signer_cert.subject.human_friendly}), not the firm's.")
    elif not status.trusted and status.intact and status.valid:  # an altered file is refused for that alone
        problems.append("The firm's certificate does not chain to a trusted root here.")
    signed_at = status.timestamp_validity.timestamp if status.timestamp_validity is not None else None
    revoked = next((r for r in revocations if r.serial_number == signer_cert.serial_number), None)
    # A timestamp's time is given to the second (RFC 3161 genTime without fractions, as most authorities give
    # it): one in the second of the revocation does not prove the signature came first, so it counts as after.
    if revoked is not None and (signed_at is None or signed_at + TIMESTAMP_RESOLUTION > revoked.revoked_at):
        when = f"{revoked.revoked_at:%d %B %Y %H:%M} UTC"
        problems.append(
            f"Signed after the firm's certificate was revoked on {when}."
            if signed_at is not None
            else f"The firm's certificate was revoked on {when}, and no timestamp proves the signature came first."
        )
    return SignatureCheck(
        valid=not problems,
        covers_whole_file=whole,
        signer_fingerprint=fingerprint,
        signer_subject=signer_cert.subject.human_friendly,
        problems=tuple(problems),
        timestamped=signed_at is not None,
    )


def _timestamp_intact(embedded: Any, context: ValidationContext) -> bool:
    """A document timestamp's own signature still matches the bytes it covers."""
    status = validate_pdf_timestamp(embedded, validation_context=context)
    return bool(status.intact and status.valid)
