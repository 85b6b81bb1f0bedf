from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.bundle.verify import verify_document_file


class Command(BaseCommand):
    help = (
        "Check a document the portal signed (bundle, notice, dossier, signed statement or test-buy report, capture "
        "record): signature valid and covering the whole file, issuer, and the registry's record of it."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        verdict = verify_document_file(path)
        if verdict.genuine:
            record = verdict.record
            matter = f", matter {record.matter_reference}" if record.matter_reference else ""
            issued = record.created_at
            self.stdout.write(self.style.SUCCESS(
                f"GENUINE: {record.get_kind_display()}{matter}, issued {issued.day} {issued:%B %Y}. It certifies: "
                f"{record.certifies}. Signature valid over the whole file."
            ))  # fmt: skip
            return
        self.stdout.write(self.style.ERROR(f"NOT GENUINE: {path.name}"))
        for reason in verdict.reasons:
            self.stdout.write(f"  - {reason}")
        raise SystemExit(1)
