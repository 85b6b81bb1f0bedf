"""Page benchmark: each busy page's server time, queries and size as a matter grows, against a trivial page.

    python -m portal.benchmarks.pages --listings 1000,10000,50000

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite) and, in one child process with production settings (DEBUG off), grows one client matter to each size in
turn: listings through the real import, one filed complaint holding every listing with a quarter of them
answered, the takedown watches that filing starts, 20 test purchases and 100 exhibits. At each size every page
is requested with Django's test client (the median of ``--repeat`` runs) as staff and as the client, beside
``/accounts/password/change/`` in the same process, and printed as a ratio to it.

The filing's rows are written with ``bulk_create`` (the seed is not what is measured; the writes benchmark
measures the services that write them).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from portal.benchmarks.load import PROJECT_DIR, _database, _drop, production_environment

CHILD = r"""
import datetime, hashlib, io, json, os, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.core.files.base import ContentFile
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from evidence.intake.importing import listings_import
from evidence.intake.reading import read_table
from evidence.models import Listing, Matter, TakedownWatch
from evidence.services import exhibit_upload, matter_create, seller_record, test_purchase_record
from ownership.models import IPRight, Membership, RightsHolder
from ownership.shared.users import User
from portal.models import Bundle, ListingOutcome, Submission

sizes, repeat = [int(n) for n in sys.argv[1].split(",")], int(sys.argv[2])
holder = RightsHolder.objects.create(name="Bench Holder Ltd", code="BEN", country="GB")
member = User.objects.create_user("bench.client@example.com", "x", full_name="Bench Client")
Membership.objects.create(user=member, rights_holder=holder, role="contributor")
staff = User.objects.create_user("bench.staff@example.com", "x", full_name="Bench Staff", is_staff=True)
IPRight.objects.create(rights_holder=holder, kind="trademark", jurisdiction="CN", title="BENCH")
matter = matter_create(rights_holder=holder, title="Page bench", platforms=["alibaba"], reference="BEN-2026-001")
bundle = Bundle.objects.create(matter=matter, platform="alibaba", version=1, inputs_digest="bench", status="ready",
                               requested_by=staff)
submission = Submission.objects.create(bundle=bundle, platform_reference="IPP-BENCH-1",
                                       submitted_on=datetime.date(2026, 3, 5), submitted_by=staff)
opened = datetime.date(2026, 3, 1)
seller, _ = seller_record(platform="alibaba", store_name="Bench purchase store")
for n in range(20):
    listing = Listing.objects.create(url=f"https://www.alibaba.com/product-detail/bought_{n}.html",
                                     platform="alibaba", seller=seller)
    listing.matters.add(matter)
    purchase = test_purchase_record(matter=matter, listing=listing, recorded_by=staff, order_number=f"ORD-{n:05d}",
                                    order_date=opened, amount="9.99", currency="USD", purchaser_alias="J. Bench")
    for e in range(5):
        exhibit_upload(matter=matter, purchase=purchase, kind="order_confirmation", uploaded_by=staff,
                       upload=ContentFile(f"Order {n} record {e}\n".encode() * 20, name=f"order-{e}.txt"))

staff_client, client_client, baseline_client = Client(), Client(), Client()
device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
staff_client.force_login(staff)
session = staff_client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
client_client.force_login(member)
baseline_client.force_login(member)

def grow(total):
    have = matter.listings.count() - 20
    lines = ["url;seller;price;currency;title"] + [
        f"https://www.alibaba.com/product-detail/bench-lamp_{1700000000 + n}.html;Bench store {n % 500};"
        f"{10 + n % 40}.50;USD;Bench lamp {n}" for n in range(have, total)
    ]
    data = "\n".join(lines).encode()
    listings_import(matter=matter, table=read_table(io.BytesIO(data), "bench.csv"), by=staff, source="bench",
                    sha256=hashlib.sha256(data).hexdigest())
    added = Listing.objects.filter(matters=matter).exclude(outcomes__submission=submission).values_list("pk", flat=True)
    added = list(added)
    ListingOutcome.objects.bulk_create([
        ListingOutcome(submission=submission, listing_id=pk,
                       outcome=ListingOutcome.Outcome.REMOVED if n % 4 == 0 else ListingOutcome.Outcome.PENDING)
        for n, pk in enumerate(added)
    ], batch_size=5000)
    filed = datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)
    TakedownWatch.objects.bulk_create([
        TakedownWatch(listing_id=pk, matter=matter, filed_at=filed, next_check_at=filed, checks_until=filed)
        for pk in added
    ], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

PAGES = [
    ("password change (baseline)", baseline_client, "/accounts/password/change/"),
    ("matter page, staff", staff_client, f"/matters/{matter.reference}/"),
    ("matter page, client", client_client, f"/matters/{matter.reference}/"),
    ("listings page, client", client_client, f"/matters/{matter.reference}/listings/"),
    ("complaint page, staff", staff_client, f"/complaints/{submission.pk}/"),
    ("work queue, staff", staff_client, "/staff/"),
    ("dashboard, client", client_client, "/"),
    ("results, staff", staff_client, "/results/?start=2026-01&end=2026-12"),
    ("results, client", client_client, "/results/?start=2026-01&end=2026-12"),
]

def measure(client, path):
    times, size, queries = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            content = response.content
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        size, queries = len(content), len(captured.captured_queries)
    return statistics.median(times), queries, size

for total in sizes:
    grow(total)
    rows = {name: measure(client, path) for name, client, path in PAGES}
    print(json.dumps({"listings": total, "pages": rows}), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", default="1000,10000,50000", help="the matter's sizes, in order")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and size (the median is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as folder:
        database_url, created = _database(Path(folder))
        try:
            env = production_environment(folder, database_url)
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, args.listings, str(args.repeat)], env=env, cwd=PROJECT_DIR,
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert child.stdout is not None
            report(line for line in child.stdout if line.startswith("{"))
            if child.wait():
                raise SystemExit(f"The benchmark's child process failed (exit {child.returncode}).")
        finally:
            if created:
                _drop(created)


def report(lines) -> None:
    print(f"{'page':30} {'listings':>8} {'ms':>8} {'× base':>7} {'queries':>7} {'KB':>8}")
    first: dict[str, float] = {}
    for line in lines:
        figures = json.loads(line)
        pages = figures["pages"]
        base = pages["password change (baseline)"][0]
        for name, (seconds, queries, size) in pages.items():
            first.setdefault(name, seconds)
            growth = seconds / first[name]
            print(f"{name:30} {figures['listings']:>8,} {seconds * 1000:8.1f} {seconds / base:7.1f} {queries:7} "
                  f"{size / 1024:8.1f}   growth ×{growth:.2f} since the first size")  # fmt: skip
    print("Targets: every page at most 3× the baseline and at most 1.5× growth from the first size to the last;")
    print("the matter page at most 200 KB.")


if __name__ == "__main__":
    main()
