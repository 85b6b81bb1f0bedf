"""Queue the takedown checks that are due (celery beat does this every ten minutes), or, with --now, check
every watched listing at once (for the demo, or after an outage)."""

from django.core.management.base import BaseCommand

from evidence.capture.services import takedown_checks_due


class Command(BaseCommand):
    help = "Queue the re-captures of reported listings that are due."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="check every watched listing now")

    def handle(self, *args, now: bool, **options) -> None:
        self.stdout.write(f"{takedown_checks_due(every_watch=now)} checks queued.")
