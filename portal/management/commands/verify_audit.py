from django.core.management.base import BaseCommand

from portal.audit import audit_chain_check


class Command(BaseCommand):
    help = "Check the audit log's hash chain from the first entry to the last; exit 0 intact, 1 not."

    def handle(self, *args, **options):
        check = audit_chain_check()
        if not check.problem:
            self.stdout.write(self.style.SUCCESS(f"Audit log intact: {check.entries} entries."))
            return
        self.stdout.write(self.style.ERROR(f"Audit log BROKEN: {check.problem}"))
        raise SystemExit(1)
