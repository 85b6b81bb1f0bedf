from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.restore import RestoreError, storage_import


class Command(BaseCommand):
    help = "Store every file of a folder made by storage_export into this portal's (empty) storage."

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder: str, **options):
        source = Path(folder)
        if not source.is_dir():
            raise CommandError(f"No such folder: {source}")
        try:
            count = storage_import(source)
        except RestoreError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{count} files stored from {source}."))
