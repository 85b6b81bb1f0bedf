import shutil

from django.core.management.base import BaseCommand, CommandError

from evidence.models import Matter
from ownership.shared.users import User
from portal.bundle.errors import BundleError
from portal.models import Bundle
from portal.services import bundle_compile, bundle_request


class Command(BaseCommand):
    help = "Compile and sign a matter's complaint bundle for a platform through the same service the workers use."

    def add_arguments(self, parser):
        parser.add_argument("matter_ref")
        parser.add_argument("--platform", required=True)
        parser.add_argument("--out", help="Also copy the signed PDF here.")
        parser.add_argument("--as", dest="email", help="Requesting staff user (default: the first superuser).")
        parser.add_argument(
            "--overrule", default="", metavar="REASON",
            help="Compile although the matter is not ready, for this reason (printed in the manifest).",
        )  # fmt: skip

    def handle(
        self, *args, matter_ref: str, platform: str, out: str | None, email: str | None, overrule: str, **options
    ):
        matter = Matter.objects.filter(reference=matter_ref).first()
        if matter is None:
            raise CommandError(f"No matter with the reference {matter_ref}.")
        staff = User.objects.filter(is_staff=True, is_active=True)
        user = staff.filter(email__iexact=email).first() if email else staff.order_by("-is_superuser", "pk").first()
        if user is None:
            raise CommandError("No active staff user to record as the requester (pass --as EMAIL).")
        try:
            bundle, _ = bundle_request(matter=matter, platform=platform, requested_by=user, overrule=overrule)
        except BundleError as exc:
            raise CommandError(str(exc)) from None
        bundle_compile(bundle_id=bundle.pk)
        bundle.refresh_from_db()
        if bundle.status != Bundle.Status.READY:
            raise CommandError(f"{bundle} {bundle.get_status_display().lower()}: {bundle.error_message}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{bundle} ready: {bundle.page_count} pages, SHA-256 {bundle.sha256}, {bundle.file.name}"
            )
        )
        if out:
            with bundle.file.open("rb") as source, open(out, "wb") as target:
                shutil.copyfileobj(source, target)
            self.stdout.write(f"Copied to {out}")
