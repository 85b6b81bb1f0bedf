"""Import listings into a matter from a CSV or XLSX file.

Exit status: 0 when every row was imported, 1 when some rows were refused (the others imported; with
--dry-run nothing is written), 2 when the file (or the matter) could not be read at all.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.intake.importing import listings_import, listings_preview
from evidence.intake.reading import UnreadableFile, read_table
from evidence.models import Matter
from ownership.shared.checksums import sha256_path


class Command(BaseCommand):
    help = "Import listings into a matter from a CSV or XLSX file (url column required)."

    def add_arguments(self, parser):
        parser.add_argument("matter", metavar="MATTER_REF")
        parser.add_argument("file", metavar="FILE", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")

    def handle(self, *args, matter: str, file: Path, dry_run: bool, **options) -> None:
        found = Matter.objects.filter(reference=matter).first()
        if found is None:
            raise CommandError(f"No matter {matter}.", returncode=2)
        try:
            with open(file, "rb") as stream:
                table = read_table(stream, file.name)
                if dry_run:
                    summary = listings_preview(matter=found, table=table)
                else:
                    summary = listings_import(
                        matter=found, table=table, by=None, source=f"file {file.name}", sha256=sha256_path(file)
                    )
        except FileNotFoundError:
            raise CommandError(f"No file {file}.", returncode=2) from None
        except UnreadableFile as exc:
            raise CommandError(str(exc), returncode=2) from None
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        if summary.refused_count:
            raise SystemExit(1)
