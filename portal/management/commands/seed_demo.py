from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo firm, clients, matters and evidence (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even though DEBUG is off (the demo users have published passwords).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo users with published passwords while DEBUG is off; "
                "pass --allow-production if this really is a demo installation."
            )
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Sign in with:"))
        for login in logins:
            self.stdout.write(f"  {login.role:<45} {login.email:<40} {login.password}")
            if login.totp_uri:
                self.stdout.write(f"    two-factor device (add to an authenticator app): {login.totp_uri}")
