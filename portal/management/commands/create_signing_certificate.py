"""A development certificate authority and the firm's signing certificate issued by it (PKCS#12).

The end-entity certificate is what validators expect of a document signer: CA:FALSE, key usage
digitalSignature and nonRepudiation, and the document-signing extended key usage (RFC 9336). It also lists
emailProtection: NSS, which poppler's ``pdfsig`` validates with, checks a PDF signer under its e-mail-signer
usage and refuses any certificate whose extended key usages lack emailProtection (measured with ``certutil -V
-u S``: document signing alone, with anyExtendedKeyUsage, or Adobe's document OID are all refused). The CA's
certificate is written beside the PKCS#12 file (``PORTAL_SIGNING_TRUST_ROOT``) so verifiers can trust it.

The signing certificate names a CRL distribution point and an OCSP responder at ``PORTAL_BASE_URL/pki/``, which
the portal serves (``ownership.shared.pki``); the CA's key is kept beside the PKCS#12 file, encrypted with the
same passphrase, to sign them. Web archives are signed with a P-256 key, as the WACZ signing spec asks: the CA
issues a second certificate for it (``…-web-archive.p12``). Production uses a certificate from a real CA, or
a key in an HSM (PKCS#11).
"""

import datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, ObjectIdentifier
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ownership.shared.archive_signing import archive_key_path
from ownership.shared.pki import ca_key_path, local_ca
from ownership.shared.signing import issue_certificate, trust_root_path

DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # id-kp-documentSigning, RFC 9336


class Command(BaseCommand):
    help = "Create a development CA and a signing certificate issued by it (PKCS#12), for development and tests."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.PORTAL_SIGNING_P12), help="Where to write the .p12 file.")
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")
        parser.add_argument("--keep-existing", action="store_true", help="Do nothing when the file exists.")

    def handle(self, *args, out: str, force: bool, keep_existing: bool, **options):
        path = Path(out)
        if path.exists() and keep_existing:
            self.stdout.write(f"Signing certificate kept: {path}")
            ca = local_ca(path, settings.PORTAL_SIGNING_PASSPHRASE.encode())
            if ca is not None and not archive_key_path(path).exists():  # made before web archives were signed
                self._issue_archive_certificate(path, ca.certificate, ca.key, _encryption())
                self.stdout.write(f"Web-archive certificate issued by the same CA: {archive_key_path(path)}")
            return
        if path.exists() and not force:
            raise CommandError(f"{path} exists already; pass --force to replace it.")
        firm = settings.PORTAL_FIRM_NAME
        now = datetime.datetime.now(datetime.UTC)
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        ca = issue_certificate(
            subject=f"{firm} development CA", organisation=firm, key=ca_key, issuer_key=ca_key, issuer=None,
            not_before=now - datetime.timedelta(days=1), days=10 * 365, ca=True,
        )  # fmt: skip
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        cert = issue_certificate(
            subject=f"{firm} evidence portal (development)", organisation=firm, key=key, issuer_key=ca_key,
            issuer=ca, not_before=now - datetime.timedelta(days=1), days=3 * 365, ca=False,
            extended_usages=[DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION],
            crl_url=f"{settings.PORTAL_BASE_URL}/pki/ca.crl", ocsp_url=f"{settings.PORTAL_BASE_URL}/pki/ocsp",
        )  # fmt: skip
        encryption = _encryption()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"portal", key, cert, [ca], encryption))
        path.chmod(0o600)
        self._issue_archive_certificate(path, ca, ca_key, encryption)
        ca_key_file = ca_key_path(path)
        ca_key_file.write_bytes(
            ca_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
        )
        ca_key_file.chmod(0o600)
        root = trust_root_path(path)
        root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        self.stdout.write(self.style.SUCCESS(f"Signing certificate written to {path}; its CA certificate to {root}"))

    def _issue_archive_certificate(self, path: Path, ca, ca_key, encryption) -> None:
        """The P-256 certificate web archives are signed with (the WACZ signing spec signs with P-256)."""
        firm = settings.PORTAL_FIRM_NAME
        now = datetime.datetime.now(datetime.UTC)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = issue_certificate(
            subject=f"{firm} web archives (development)", organisation=firm, key=key, issuer_key=ca_key, issuer=ca,
            not_before=now - datetime.timedelta(days=1), days=3 * 365, ca=False,
        )  # fmt: skip
        archive_file = archive_key_path(path)
        archive_file.write_bytes(pkcs12.serialize_key_and_certificates(b"web-archives", key, cert, [ca], encryption))
        archive_file.chmod(0o600)


def _encryption():
    passphrase = settings.PORTAL_SIGNING_PASSPHRASE.encode()
    return serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
