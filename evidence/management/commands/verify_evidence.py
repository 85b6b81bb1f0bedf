from django.core.management.base import BaseCommand, CommandError

from evidence.integrity import custody_chain_problems, exhibit_integrity_problems
from evidence.models import Matter


class Command(BaseCommand):
    help = "Re-hash every stored exhibit and verify every custody chain; exit 1 when anything changed."

    def add_arguments(self, parser):
        parser.add_argument("matter_ref", nargs="?", help="Only this matter, e.g. LUM-2026-001.")

    def handle(self, *args, matter_ref: str | None = None, **options):
        matter = None
        if matter_ref:
            matter = Matter.objects.filter(reference=matter_ref).first()
            if matter is None:
                raise CommandError(f"No matter with the reference {matter_ref}.")
        problems = exhibit_integrity_problems(matter) + custody_chain_problems(matter)
        for problem in problems:
            self.stdout.write(self.style.ERROR(f"BROKEN {problem}"))
        if problems:
            raise SystemExit(1)
        scope = matter_ref or "all matters"
        self.stdout.write(self.style.SUCCESS(f"All exhibits and custody chains of {scope} are intact."))
