from django.core.management.base import BaseCommand

from portal.restore import recorded_files, restore_problems


class Command(BaseCommand):
    help = (
        "Check a restored portal: every file a row names is there with its recorded SHA-256, the custody chains "
        "and the audit log are intact, every issued bundle verifies. Exit 1, naming each problem, otherwise."
    )

    def handle(self, *args, **options):
        problems = list(restore_problems())
        for problem in problems:
            self.stdout.write(self.style.ERROR(f"BROKEN {problem}"))
        if problems:
            raise SystemExit(1)
        count = sum(1 for _ in recorded_files())
        self.stdout.write(self.style.SUCCESS(
            f"Restore verified: {count} recorded files present with their hashes, custody chains and audit log "
            "intact, every issued bundle genuine."
        ))  # fmt: skip
