"""Signing web archives as the WACZ signing and verification spec asks (Webrecorder, "WACZ Signing and
Verification", https://specs.webrecorder.net/wacz-auth/latest/): ``datapackage-digest.json`` carries
``signedData``.

The spec's signature is ECDSA with P-256 and SHA-256 over the digest string (``sha256:…``), checked against the
first certificate of ``domainCert``, whose chain runs up to a trusted root; ``timeSignature`` is an RFC 3161
reply (the whole reply, base64) over the signature, from the authority whose chain is ``timestampCert``. This
is what Webrecorder's reference verifier, ``authsign``, checks. The firm's PDF key is RSA (or in an HSM), so web
archives have their own P-256 key and certificate issued by the firm's CA (``PORTAL_ARCHIVE_SIGNING_P12``,
written by ``create_signing_certificate`` beside the document key).
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from pyhanko.sign import timestamps
from pyhanko.sign.timestamps.common_utils import handle_tsp_response

SOFTWARE = "Evidence Portal (WACZ signing per the Webrecorder WACZ signing and verification spec 0.1.0)"


class ArchiveSigningError(Exception):
    """The archive could not be signed: the message says which setting or service failed."""


@dataclass(frozen=True)
class ArchiveSigner:
    key: ec.EllipticCurvePrivateKey
    chain: tuple[x509.Certificate, ...]  # the signing certificate first, then its issuers up to the root

    @property
    def name(self) -> str:
        """The certificate's common name: the spec's ``domain``, which the verifier compares with it."""
        name = self.chain[0].subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
        return name.decode() if isinstance(name, bytes) else name


def archive_key_path(signing_p12: Path) -> Path:
    """Where ``create_signing_certificate`` writes the web-archive key, beside the document key."""
    return signing_p12.with_name(signing_p12.stem + "-web-archive.p12")


def archive_signer() -> ArchiveSigner | None:
    """The firm's web-archive key and chain, or None without a key or a timestamp authority (the spec signs with
    both): the archive then stays unsigned, and the signed capture record listing its SHA-256 is its proof."""
    path = Path(settings.PORTAL_ARCHIVE_SIGNING_P12 or archive_key_path(Path(settings.PORTAL_SIGNING_P12)))
    if not path.exists() or not settings.PORTAL_TSA_URL:
        return None
    passphrase = settings.PORTAL_SIGNING_PASSPHRASE.encode() or None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(path.read_bytes(), passphrase)
    except ValueError:
        raise ArchiveSigningError(f"{path} could not be opened: check PORTAL_SIGNING_PASSPHRASE.") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1) or cert is None:
        raise ArchiveSigningError(f"{path} must hold a P-256 key and its certificate, as the WACZ spec signs.")
    return ArchiveSigner(key=key, chain=(cert, *_ordered_issuers(cert, list(extra))))


def _ordered_issuers(leaf: x509.Certificate, pool: list[x509.Certificate]) -> list[x509.Certificate]:
    chain, current = [], leaf
    while current.issuer != current.subject:
        issuer = next((c for c in pool if c.subject == current.issuer and c not in chain), None)
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def _pem(certs) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


def _timestamp_reply(data: bytes) -> tuple[bytes, list[x509.Certificate]]:
    """The authority's whole RFC 3161 reply over SHA-256(data), checked (status, nonce, imprint), and the chain
    of the authority's certificate, leaf first, completed with ``PORTAL_TSA_TRUST_ROOT``."""
    stamper = timestamps.HTTPTimeStamper(settings.PORTAL_TSA_URL, timeout=30)
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    nonce, request = stamper.request_cms(digest.finalize(), "sha256")
    try:
        reply = asyncio.run(stamper.async_request_tsa_response(request))
        token = handle_tsp_response(reply, nonce)
    except Exception as exc:  # noqa: BLE001 - network, HTTP and ASN.1 errors alike: say what failed
        raise ArchiveSigningError(f"The timestamp authority {settings.PORTAL_TSA_URL} did not answer: {exc}") from None
    signed = token["content"]
    pool = [x509.load_der_x509_certificate(c.chosen.dump()) for c in signed["certificates"]
            if isinstance(c.chosen, asn1_x509.Certificate)]  # fmt: skip
    if settings.PORTAL_TSA_TRUST_ROOT:
        pool.append(x509.load_pem_x509_certificate(Path(settings.PORTAL_TSA_TRUST_ROOT).read_bytes()))
    sid = signed["signer_infos"][0]["sid"]
    if sid.name == "issuer_and_serial_number":
        leaf = next((c for c in pool if c.serial_number == sid.chosen["serial_number"].native), None)
    else:  # identified by its subject key identifier
        leaf = next((c for c in pool if _key_id(c) == sid.chosen.native), None)
    if leaf is None:
        raise ArchiveSigningError("The timestamp authority's reply does not include its certificate.")
    return reply.dump(), [leaf, *_ordered_issuers(leaf, pool)]


def _key_id(cert: x509.Certificate) -> bytes | None:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return None


def signed_data(digest: str, created: str, signer: ArchiveSigner) -> dict[str, str]:
    """``signedData`` for a datapackage whose digest string is ``digest`` (``sha256:…``), made at ``created``."""
    signature = base64.b64encode(signer.key.sign(digest.encode("ascii"), ec.ECDSA(hashes.SHA256()))).decode()
    reply, tsa_chain = _timestamp_reply(signature.encode("ascii"))
    return {
        "hash": digest,
        "created": created,
        "version": "0.1.0",
        "software": SOFTWARE,
        "signature": signature,
        "domain": signer.name,
        "domainCert": _pem(signer.chain),
        "timeSignature": base64.b64encode(reply).decode(),
        "timestampCert": _pem(tsa_chain),
    }
