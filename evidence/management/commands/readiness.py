"""``manage.py readiness MATTER_REF``: what proof of ownership the matter's complaint still lacks.

Exit code 0 when everything is in place, 1 when something is missing, expired or untranslated, or when a
test-buy report for an IPP platform awaits the rights holder's signature.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from evidence.models import Matter
from evidence.readiness import purchase_readiness
from ownership.models import IPRight
from ownership.readiness import format_report, readiness_for_matter


class Command(BaseCommand):
    help = "Print the proof-of-ownership readiness report of a matter, for its target platforms."

    def add_arguments(self, parser):
        parser.add_argument("reference", help="The matter reference, e.g. LUM-2026-001.")

    def handle(self, *args, reference: str, **options):
        matter = Matter.objects.select_related("rights_holder").filter(reference=reference.strip().upper()).first()
        if matter is None:
            raise CommandError(f"No matter with the reference {reference!r}.", returncode=2)
        report = readiness_for_matter(
            rights_holder=matter.rights_holder,
            rights=IPRight.objects.filter(rights_holder=matter.rights_holder),
            platforms=matter.platforms,
        )
        self.stdout.write(format_report(report, title=f"{matter.reference}: {matter.title}"))
        awaiting = purchase_readiness(matter)
        for sentence in awaiting:
            self.stdout.write(f"[MISSING] {sentence}")
        if not report.ready:
            raise CommandError(f"{matter.reference} is not ready: {report.summary}.", returncode=1)
        if awaiting:
            count = len(awaiting)
            raise CommandError(
                f"{matter.reference} is not ready: {count} test-buy report{'s' if count > 1 else ''} "
                "awaiting the rights holder's signature.",
                returncode=1,
            )
