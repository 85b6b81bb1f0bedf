"""Revoke the firm's development signing certificate: its CA's CRL lists it, its OCSP answers "revoked", and the
portal refuses to sign with it until ``create_signing_certificate --force`` issues a new one."""

from django.core.management.base import BaseCommand, CommandError

from ownership.shared import pki
from portal.services.signing_certificates import certificate_revoke


class Command(BaseCommand):
    help = "Revoke the signing certificate issued by the portal's development CA."

    def add_arguments(self, parser):
        parser.add_argument("--reason", choices=[reason.value for reason in pki.Reason], required=True)

    def handle(self, *args, reason: str, **options):
        ca = pki.local_ca()
        if ca is None:
            raise CommandError(
                "The signing certificate is not issued by the portal's own CA: ask its provider to revoke it."
            )
        try:
            entry = certificate_revoke(ca, reason=pki.Reason(reason))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        when = f"{entry.revoked_at:%Y-%m-%d %H:%M} UTC"
        self.stdout.write(self.style.SUCCESS(f"Revoked {entry.subject} (serial {entry.serial_number:x}) at {when}."))
