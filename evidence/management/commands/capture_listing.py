"""Capture a listing page now, in this process, as evidence of a matter.

    python manage.py capture_listing URL --matter REF [--by EMAIL]

A URL that is one of the matter's listings is captured as that listing (its empty fields are filled from the
page); any other http(s) URL is captured for the matter alone. Exit status 0 when captured, 1 when the
capture failed (the reason is printed), 2 for a bad matter, user or URL.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from evidence.capture.services import capture_request, capture_run
from evidence.models import Capture, Listing, Matter
from evidence.sellers.urls import normalise_url
from ownership.shared.users import User


class Command(BaseCommand):
    help = "Capture a listing page forensically (screenshot, PDF, WACZ and a signed capture record)."

    def add_arguments(self, parser):
        parser.add_argument("url", metavar="URL")
        parser.add_argument("--matter", required=True, metavar="REF")
        parser.add_argument("--by", metavar="EMAIL", help="the staff member asking (recorded in the capture)")

    def handle(self, *args, url: str, matter: str, by: str | None, **options) -> None:
        found = Matter.objects.filter(reference=matter).first()
        if found is None:
            raise CommandError(f"No matter {matter}.", returncode=2)
        user = User.objects.filter(email__iexact=by).first() if by else None
        if by and user is None:
            raise CommandError(f"No user {by}.", returncode=2)
        listing = Listing.objects.filter(matters=found, url_key=normalise_url(url)).first()
        try:
            capture = capture_request(matter=found, by=user, listing=listing, url=url, enqueue=False)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        capture = capture_run(capture_id=capture.pk)
        if capture.status != Capture.Status.DONE:
            self.stderr.write(f"Capture {capture.pk} failed: {capture.failure_reason}")
            raise SystemExit(1)
        self.stdout.write(f"Capture {capture.pk} of {capture.final_url}: HTTP {capture.http_status}, "
                          f"server {capture.server_ip}, record SHA-256 {capture.record_sha256}")  # fmt: skip
        for exhibit in capture.exhibits.order_by("number"):
            self.stdout.write(f"  {exhibit.label}: {exhibit.get_kind_display()}, SHA-256 {exhibit.sha256}")
        for refused in capture.refused_requests:
            self.stdout.write(f"  refused {refused['url']}: {refused['reason']}")
