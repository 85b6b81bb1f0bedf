from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.restore import storage_export


class Command(BaseCommand):
    help = "Copy every stored file (local or S3) into a folder, under its own name: the files half of a backup."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="An empty or new folder.")

    def handle(self, *args, folder: str, **options):
        destination = Path(folder)
        if destination.exists() and any(destination.iterdir()):
            raise CommandError(f"{destination} is not empty.")
        count = storage_export(destination)
        self.stdout.write(self.style.SUCCESS(f"{count} stored files copied to {destination}."))
