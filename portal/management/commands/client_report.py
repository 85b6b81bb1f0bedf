"""Ask for a client's monthly report: ``manage.py client_report LUM 2026-12``. The worker compiles, signs and
e-mails it (at once, in this process, when no broker is configured); the command says how it ended."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ownership.models import RightsHolder
from portal.models import ClientReport
from portal.services.client_reports import client_report_request


class Command(BaseCommand):
    help = "Queue the monthly enforcement report of a client (by its code) for a month (YYYY-MM)."

    def add_arguments(self, parser):
        parser.add_argument("client", help="The client's code, as on its matters' references (e.g. LUM).")
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--next-steps", default="", help="The firm's next steps, printed as the last section.")

    def handle(self, *args, client: str, month: str, next_steps: str, **options):
        holder = RightsHolder.objects.filter(code__iexact=client).first()
        if holder is None:
            known = ", ".join(RightsHolder.objects.order_by("code").values_list("code", flat=True)) or "none"
            raise CommandError(f"No client has the code {client!r} (known: {known}).")
        try:
            first = datetime.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise CommandError(f"Give the month as YYYY-MM, not {month!r}.") from None
        try:
            report = client_report_request(rights_holder=holder, month=first, by=None, next_steps=next_steps)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        report.refresh_from_db()
        if report.status == ClientReport.Status.READY:
            self.stdout.write(self.style.SUCCESS(
                f"Report {report.pk} of {holder.name} for {first:%B %Y} is ready: SHA-256 {report.sha256}; "
                f"e-mailed to {report.emailed_to} member{'' if report.emailed_to == 1 else 's'}."
            ))  # fmt: skip
        elif report.status == ClientReport.Status.FAILED:
            raise CommandError(f"Report {report.pk} failed: {report.failure_reason}")
        else:
            self.stdout.write(f"Report {report.pk} of {holder.name} for {first:%B %Y} is queued for a worker.")
