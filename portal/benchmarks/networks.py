"""Seller-network benchmark: one identifier added, and every network rebuilt, at volume on PostgreSQL.

    python -m portal.benchmarks.networks --sellers 100000 --identifiers 300000

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL, else SQLite), loads
``--sellers`` sellers and ``--identifiers`` identifiers with COPY (phones, e-mails and payment beneficiaries,
about a tenth of them shared so that networks of a few stores form), rebuilds every network once, then adds
identifiers one at a time through the service (each updating the networks in its transaction) and prints the
median and worst time of an add, and the time of a full rebuild. Targets on the 2-core machine: an add under
50 ms, a rebuild under 60 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from portal.benchmarks.load import PROJECT_DIR, _database, _drop

CHILD = """
import random, statistics, sys, time, django
django.setup()
from django.db import connection
from django.core.files.base import ContentFile
from evidence.models import Seller, SellerIdentifier
from evidence.networks import networks_rebuild, seller_identifier_add
from evidence.demo_files import photo
from evidence.services import exhibit_upload, matter_create
from ownership.models import RightsHolder
from ownership.shared.users import User

sellers, identifiers, adds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
staff = User.objects.create_user(email="bench@firm.example", password="x", is_staff=True)
holder = RightsHolder.objects.create(code="BEN", name="Bench Holder Ltd", country="GB")
matter = matter_create(rights_holder=holder, title="Network bench", platforms=["alibaba"])
exhibit = exhibit_upload(matter=matter, upload=ContentFile(photo("Parcel label", (90, 90, 90)), name="label.jpg"),
                         kind="other", uploaded_by=staff)
randomly = random.Random(11)
started = time.perf_counter()
with connection.cursor() as cursor:
    with cursor.cursor.copy("COPY evidence_seller (platform, store_name, store_url, platform_seller_id, company_name, "
                            "address, name_key, url_key, first_seen) FROM STDIN") as copy:
        for n in range(sellers):
            copy.write_row(("alibaba", f"Store {n}", "", str(n), "", "", f"store{n}", "", "2026-12-01T00:00:00Z"))
    cursor.execute("SELECT min(id) FROM evidence_seller")
    first = cursor.fetchone()[0]
    kinds = ("phone", "email", "payment")
    seen = set()
    with cursor.cursor.copy("COPY evidence_selleridentifier (seller_id, kind, value, key, exhibit_id, seen_at, "
                            "withdrawal_reason) FROM STDIN") as copy:
        for n in range(identifiers):
            kind = kinds[n % 3]
            shared = randomly.random() < 0.1
            token = randomly.randrange(identifiers // 40) if shared else n
            key = {"phone": f"+86138{token:08d}", "email": f"s{token}@bench.example", "payment": f"payee {token}"}[kind]
            seller = first + randomly.randrange(sellers)
            if (seller, kind, key) in seen:
                continue
            seen.add((seller, kind, key))
            copy.write_row((seller, kind, key, key, exhibit.pk, "2026-12-01T00:00:00Z", ""))
load = time.perf_counter() - started
started = time.perf_counter()
changed = networks_rebuild()
rebuild = time.perf_counter() - started
networks = Seller.objects.exclude(network_id=None).values("network_id").distinct().count()
times = []
for n in range(adds):
    seller = Seller.objects.get(pk=first + randomly.randrange(sellers))
    shared = randomly.randrange(identifiers // 40)
    started = time.perf_counter()
    seller_identifier_add(seller=seller, kind="phone", value=f"+86138{shared:08d}", exhibit=exhibit, by=staff)
    times.append(time.perf_counter() - started)
print(f"loaded {sellers:,} sellers and {identifiers:,} identifiers in {load:.1f} s (COPY)")
print(f"full rebuild: {rebuild:.1f} s, {changed:,} sellers placed in {networks:,} networks (target: under 60 s)")
print(f"one identifier added, networks updated: median {statistics.median(times) * 1000:.1f} ms, "
      f"worst {max(times) * 1000:.1f} ms over {adds} adds (target: under 50 ms)")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sellers", type=int, default=100_000)
    parser.add_argument("--identifiers", type=int, default=300_000)
    parser.add_argument("--adds", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-networks-") as folder:
        database_url, created = _database(Path(folder))
        if not created:
            sys.exit("Set DATABASE_URL to a PostgreSQL server: the benchmark loads its rows with COPY.")
        env = {
            **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "PORTAL_DATA_DIR": folder,
        }  # fmt: skip
        env.pop("REDIS_URL", None)
        try:
            run = {"env": env, "cwd": PROJECT_DIR, "check": True}
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], **run)
            subprocess.run(
                [sys.executable, "-c", CHILD, str(args.sellers), str(args.identifiers), str(args.adds)], **run
            )
        finally:
            _drop(created)


if __name__ == "__main__":
    main()
