from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.bundle.verify import verify_bundle_file


class Command(BaseCommand):
    help = "Check a bundle file: signature valid and covering the whole file, issuer, and manifest vs record."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        verdict = verify_bundle_file(path)
        if verdict.genuine:
            b = verdict.bundle
            self.stdout.write(
                self.style.SUCCESS(
                    f"GENUINE: {b.matter.reference} {b.get_platform_display()} version {b.version}, issued "
                    f"{b.finished_at:%d %B %Y}, {b.exhibit_count} exhibits; signature valid over the whole file."
                )
            )
            return
        self.stdout.write(self.style.ERROR(f"NOT GENUINE: {path.name}"))
        for reason in verdict.reasons:
            self.stdout.write(f"  - {reason}")
        raise SystemExit(1)
