"""The development certificate authority's revocation services: a CRL and an OCSP responder served by the portal.

``create_signing_certificate`` makes a CA whose signing certificate names ``PORTAL_BASE_URL/pki/ca.crl`` and
``PORTAL_BASE_URL/pki/ocsp``, and keeps the CA's key beside the PKCS#12 file (``…-ca-key.pem``, encrypted with
the signing passphrase) so the portal can sign its CRL and its OCSP responses. When signing, the portal hands
pyHanko its own CA's current answers instead of fetching them from itself.

A firm whose certificate comes from a qualified provider has no CA key here: the provider's certificate names
the provider's own CRL and OCSP URLs, pyHanko fetches them when it signs, and the paths here answer 404.
Responses are built and signed with ``cryptography``'s CRL and OCSP builders (RFC 5280, RFC 6960).
"""

from __future__ import annotations

import datetime
import enum
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from django.conf import settings

# How long a CRL or OCSP answer may be relied on before a fresh one is asked for.
ANSWER_VALIDITY = datetime.timedelta(days=7)
# Backdated a little so a verifier whose clock is slightly behind the portal's accepts a fresh answer.
CLOCK_SKEW = datetime.timedelta(minutes=5)


class Reason(enum.StrEnum):
    """RFC 5280 section 5.3.1: the CRLReason values that apply to a document signer."""

    UNSPECIFIED = "unspecified"
    KEY_COMPROMISE = "key_compromise"
    AFFILIATION_CHANGED = "affiliation_changed"
    SUPERSEDED = "superseded"
    CESSATION_OF_OPERATION = "cessation_of_operation"


@dataclass(frozen=True)
class Revocation:
    serial_number: int
    subject: str
    revoked_at: datetime.datetime
    reason: Reason

    @property
    def reason_flag(self) -> x509.ReasonFlags | None:
        """The reason as encoded; RFC 5280 leaves "unspecified" out."""
        return None if self.reason == Reason.UNSPECIFIED else x509.ReasonFlags[self.reason.value]


@dataclass(frozen=True)
class LocalCA:
    """The development CA: its certificate, its key, and the one signing certificate it issued."""

    certificate: x509.Certificate
    key: Any
    signing_certificate: x509.Certificate
    revocations_path: Path

    def revocations(self) -> list[Revocation]:
        """What the CA revoked, from its own list beside its key (as OpenSSL's CA keeps ``index.txt``): the CA's
        state travels with the CA and is never rolled back by restoring an older database."""
        if not self.revocations_path.exists():
            return []
        return [
            Revocation(int(row["serial_number"], 16), row["subject"],
                       datetime.datetime.fromisoformat(row["revoked_at"]), Reason(row["reason"]))
            for row in json.loads(self.revocations_path.read_text())
        ]  # fmt: skip

    def revocation_of(self, serial_number: int) -> Revocation | None:
        return next((entry for entry in self.revocations() if entry.serial_number == serial_number), None)


def ca_key_path(p12_path: Path) -> Path:
    return p12_path.with_name(p12_path.stem + "-ca-key.pem")


def revocations_path(p12_path: Path) -> Path:
    return p12_path.with_name(p12_path.stem + "-ca-revoked.json")


def local_ca(p12_path: Path | None = None, passphrase: bytes | None = None) -> LocalCA | None:
    """The development CA when its key is kept beside the signing file, else None (a provider's certificate,
    or a key in an HSM). Without arguments, the CA of the configured signing file."""
    if p12_path is None:
        if settings.PORTAL_SIGNING_PKCS11_MODULE:
            return None
        p12_path, passphrase = Path(settings.PORTAL_SIGNING_P12), settings.PORTAL_SIGNING_PASSPHRASE.encode()
    key_path = ca_key_path(p12_path)
    try:
        versions = (p12_path.stat().st_mtime_ns, key_path.stat().st_mtime_ns)
    except FileNotFoundError:
        return None
    return _loaded_ca(p12_path, passphrase or None, versions)


@functools.lru_cache(maxsize=8)
def _loaded_ca(p12_path: Path, passphrase: bytes | None, versions: tuple[int, int]) -> LocalCA | None:
    """Opening a PKCS#12 file costs a key derivation (about 0.3 s); every signature and OCSP answer asks, so the
    files are read once per version (``versions``: their modification times)."""
    key = serialization.load_pem_private_key(ca_key_path(p12_path).read_bytes(), passphrase)
    _, signing, chain = pkcs12.load_key_and_certificates(p12_path.read_bytes(), passphrase)
    issuers = [cert for cert in chain if signing is not None and cert.subject == signing.issuer]
    if signing is None or not issuers or issuers[0].public_key() != key.public_key():
        return None
    return LocalCA(certificate=issuers[0], key=key, signing_certificate=signing,
                   revocations_path=revocations_path(p12_path))  # fmt: skip


def certificate_revocation_list(ca: LocalCA) -> bytes:
    """The CA's current CRL (DER), listing every certificate it revoked."""
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.certificate.subject)
        .last_update(now - CLOCK_SKEW)
        .next_update(now + ANSWER_VALIDITY)
        .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
    )
    for entry in ca.revocations():
        revoked = x509.RevokedCertificateBuilder().serial_number(entry.serial_number).revocation_date(entry.revoked_at)
        if entry.reason_flag is not None:
            revoked = revoked.add_extension(x509.CRLReason(entry.reason_flag), critical=False)
        builder = builder.add_revoked_certificate(revoked.build())
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def ocsp_response(ca: LocalCA, request_der: bytes) -> bytes:
    """The CA's signed OCSP answer (DER) to an OCSP request: good, revoked or unknown.

    A malformed request, or one about another CA's certificate, gets the unsuccessful answer RFC 6960 names.
    """
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
            serialization.Encoding.DER
        )
    ours = ocsp.OCSPRequestBuilder().add_certificate(ca.signing_certificate, ca.certificate, request.hash_algorithm)
    expected = ours.build()
    if (request.issuer_name_hash, request.issuer_key_hash) != (expected.issuer_name_hash, expected.issuer_key_hash):
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
            serialization.Encoding.DER
        )
    revoked = ca.revocation_of(request.serial_number)
    if revoked is not None:
        status = ocsp.OCSPCertStatus.REVOKED
    elif request.serial_number == ca.signing_certificate.serial_number:
        status = ocsp.OCSPCertStatus.GOOD
    else:
        status = ocsp.OCSPCertStatus.UNKNOWN
    now = datetime.datetime.now(datetime.UTC)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash,
        issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number,
        algorithm=request.hash_algorithm,
        cert_status=status,
        this_update=now - CLOCK_SKEW,
        next_update=now + ANSWER_VALIDITY,
        revocation_time=revoked.revoked_at if revoked else None,
        revocation_reason=revoked.reason_flag if revoked else None,
    )
    builder = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, ca.certificate)
    try:
        nonce = request.extensions.get_extension_for_class(x509.OCSPNonce).value
        builder = builder.add_extension(nonce, critical=False)
    except x509.ExtensionNotFound:
        pass
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def signing_revocation_material(ca: LocalCA | None) -> tuple[list[bytes], list[bytes]]:
    """The CRL and the OCSP answer about the signing certificate, made here when the CA is the portal's own, for
    pyHanko to embed (PAdES B-LT) without fetching them from the portal over HTTP. Empty for a provider's CA."""
    if ca is None:
        return [], []
    request = ocsp.OCSPRequestBuilder().add_certificate(ca.signing_certificate, ca.certificate, hashes.SHA256())
    der = request.build().public_bytes(serialization.Encoding.DER)
    return [certificate_revocation_list(ca)], [ocsp_response(ca, der)]


def revocation_record(ca: LocalCA, *, reason: Reason) -> Revocation:
    """Add the CA's signing certificate to the CA's own list of revocations (``portal.services.
    signing_certificates`` revokes it, audited). From then on the CRL lists it and OCSP answers "revoked"."""
    certificate = ca.signing_certificate
    if ca.revocation_of(certificate.serial_number):
        raise ValueError(f"The certificate with serial {certificate.serial_number:x} is revoked already.")
    entry = Revocation(certificate.serial_number, certificate.subject.rfc4514_string(),
                       datetime.datetime.now(datetime.UTC), reason)  # fmt: skip
    rows = [*(json.loads(ca.revocations_path.read_text()) if ca.revocations_path.exists() else []), {
        "serial_number": format(entry.serial_number, "x"), "subject": entry.subject,
        "revoked_at": entry.revoked_at.isoformat(), "reason": entry.reason.value,
    }]  # fmt: skip
    partial = ca.revocations_path.with_suffix(".partial")
    partial.write_text(json.dumps(rows, indent=2))
    partial.replace(ca.revocations_path)  # all or nothing
    return entry
