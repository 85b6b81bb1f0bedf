import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a self-signed signing certificate (PKCS#12) for development and tests."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.PORTAL_SIGNING_P12), help="Where to write the .p12 file.")
        parser.add_argument("--force", action="store_true", help="Replace an existing file.")
        parser.add_argument("--keep-existing", action="store_true", help="Do nothing when the file exists.")

    def handle(self, *args, out: str, force: bool, keep_existing: bool, **options):
        path = Path(out)
        if path.exists() and keep_existing:
            self.stdout.write(f"Signing certificate kept: {path}")
            return
        if path.exists() and not force:
            raise CommandError(f"{path} exists already; pass --force to replace it.")
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, f"{settings.PORTAL_FIRM_NAME} evidence portal (development)"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.PORTAL_FIRM_NAME),
            ]
        )
        now = datetime.datetime.now(datetime.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3 * 365))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_cert_sign=True,
                    crl_sign=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )  # fmt: skip
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .sign(key, hashes.SHA256())
        )
        passphrase = settings.PORTAL_SIGNING_PASSPHRASE.encode()
        encryption = serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pkcs12.serialize_key_and_certificates(b"portal", key, cert, None, encryption))
        path.chmod(0o600)
        self.stdout.write(self.style.SUCCESS(f"Signing certificate written to {path}"))
