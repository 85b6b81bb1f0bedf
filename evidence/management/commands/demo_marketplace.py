"""Serve the fake marketplace on loopback and put its listings in a matter, to try captures and takedown checks.

    PORTAL_CAPTURE_ALLOWED_HOSTS=127.0.0.1:8765 scripts/serve                # the portal, allowed to reach loopback
    .venv/bin/python manage.py demo_marketplace --matter LUM-2026-001     # in a second terminal

Each listing it adds can be captured from the matter's listings page. Take one down with
``curl http://127.0.0.1:8765/_control/down/<item>`` and bring it back with ``/_control/up/<item>``; after a
complaint is filed, ``manage.py takedown_checks --now`` runs the checks at once.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from evidence.demo_marketplace import Marketplace
from evidence.models import Matter
from evidence.services import listing_record, seller_record

ITEMS = {"aliexpress": "1005001", "amazon": "B0DEMO0001", "ebay": "2950001", "alibaba": "1600001"}


class Command(BaseCommand):
    help = "Serve the fake marketplace on 127.0.0.1 and add its listings to a matter (for the capture demo)."

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, metavar="REF")
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, matter: str, port: int, **options) -> None:
        found = Matter.objects.filter(reference=matter).first()
        if found is None:
            raise CommandError(f"No matter {matter}.")
        market = Marketplace(port=port).start()
        self.stdout.write(f"Fake marketplace at {market.url('/')}")
        for platform, item in ITEMS.items():
            if platform not in found.platforms:
                continue
            name = f"Demo marketplace seller ({platform})"
            seller, _ = seller_record(platform=platform, store_name=name)
            listing, _ = listing_record(
                matter=found, url=market.item_url(platform, item), seller=seller, title="", seller_name=name
            )
            self.stdout.write(f"  {listing.url}  (take down: {market.url(f'/_control/down/{item}')})")
        self.stdout.write("Capture them from the matter's listings page. Ctrl+C stops the marketplace.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            market.stop()
