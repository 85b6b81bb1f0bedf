"""Results benchmark: the results page and the API's listings endpoint at volume, against their baselines.

    python -m portal.benchmarks.results --listings 50000 --outcomes 5000

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite) and, in one child process with production settings (DEBUG off), gives one client a matter of
``--listings`` listings (500 stores, in networks of five) and ``--outcomes`` filed items over twelve months,
answered in a realistic mix. It then prints, each the median of ``--repeat`` runs in the same process:

- the results page, as staff and as the client, against ``/accounts/password/change/`` (target: at most 3×):
  computed (the first view after a write) and kept (the views after it, ``portal.results.cache``);
- ``/api/v1/matters/<ref>/listings/?page_size=1000`` with a client token, against the same 1,000 rows read by
  one ``SELECT`` and serialised with ``json.dumps`` (target: at most 3×).

The rows are written with ``bulk_create``: the seed is not what is measured.
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
import datetime, json, random, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from evidence.models import Listing, Matter, MatterListing, Seller
from evidence.services import matter_create
from ownership.models import Membership, RightsHolder
from ownership.shared.users import User
from portal.models import Bundle, ListingOutcome, Submission
from portal.results.cache import results_changed
from portal.services.api_tokens import api_token_create

listings, outcomes, repeat = (int(value) for value in sys.argv[1:4])
random.seed(7)
holder = RightsHolder.objects.create(name="Bench Holder Ltd", code="BEN", country="GB")
member = User.objects.create_user("bench.client@example.com", "x", full_name="Bench Client")
Membership.objects.create(user=member, rights_holder=holder, role="contributor")
staff = User.objects.create_user("bench.staff@example.com", "x", full_name="Bench Staff", is_staff=True)
platforms = ["alibaba", "aliexpress", "amazon", "ebay"]
matter = matter_create(rights_holder=holder, title="Results bench", platforms=platforms, reference="BEN-2026-001")
sellers = Seller.objects.bulk_create([
    Seller(platform=platforms[n % 4], store_name=f"Bench store {n}", name_key=f"bench store {n}")
    for n in range(500)
])
for first in range(0, 500, 5):
    Seller.objects.filter(pk__in=[s.pk for s in sellers[first:first + 5]]).update(network_id=sellers[first].pk)
start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
rows = Listing.objects.bulk_create([
    Listing(url=f"https://bench.example/{n}", url_key=f"bench.example/{n}", platform=sellers[n % 500].platform,
            seller=sellers[n % 500], status="active")
    for n in range(listings)
], batch_size=5000)
MatterListing.objects.bulk_create([
    MatterListing(listing=listing, matter=matter, title=f"Bench lamp {n}", seller_name=f"Bench store {n % 500}",
                  first_seen=start + datetime.timedelta(minutes=10 * n))
    for n, listing in enumerate(rows)
], batch_size=5000)
filed = random.sample(rows, outcomes)
mix = ["removed"] * 70 + ["rejected"] * 8 + ["counter_notice"] * 4 + ["pending"] * 18
for month in range(12):
    chunk = filed[month::12]
    by_platform = {}
    for listing in chunk:
        by_platform.setdefault(listing.platform, []).append(listing)
    for platform, items in by_platform.items():
        bundle = Bundle.objects.create(matter=matter, platform=platform, version=Bundle.objects.count() + 1,
                                       inputs_digest=f"b{month}{platform}", status="ready", requested_by=staff)
        day = datetime.date(2026, month + 1, 3)
        submission = Submission.objects.create(bundle=bundle, platform_reference=f"C-{month}-{platform}",
                                               submitted_on=day, submitted_by=staff)
        answered = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        ListingOutcome.objects.bulk_create([
            ListingOutcome(submission=submission, listing=listing, outcome=(outcome := random.choice(mix)),
                           reason="Not persuaded" if outcome == "rejected" else "",
                           counter_notice_received_on=day if outcome == "counter_notice" else None,
                           answer_by=day + datetime.timedelta(days=10) if outcome == "counter_notice" else None,
                           recorded_at=None if outcome == "pending" else
                           answered + datetime.timedelta(days=random.randint(1, 30)))
            for listing in items
        ], batch_size=5000)
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

staff_client, client_client, baseline_client = Client(), Client(), Client()
device = TOTPDevice.objects.create(user=staff, name="bench", confirmed=True)
staff_client.force_login(staff)
session = staff_client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
client_client.force_login(member)
baseline_client.force_login(member)
api_client = Client(headers={"Authorization": "Bearer " + api_token_create(user=member, name="bench")[1]})

def timed(work):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)

def page(client, path):
    def get():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content
    return get

SQL = '''
    SELECT l.id, l.url, l.platform, ml.title, ml.price, ml.currency, ml.seller_name, s.platform_seller_id,
           l.platform_item_id, l.status, ml.first_seen
    FROM evidence_listing_matters ml JOIN evidence_listing l ON l.id = ml.listing_id
    LEFT JOIN evidence_seller s ON s.id = l.seller_id
    WHERE ml.matter_id = %s ORDER BY ml.first_seen DESC, l.id DESC LIMIT 1000
'''

def select_and_dump():
    with connection.cursor() as cursor:
        cursor.execute(SQL, [matter.pk])
        names = [column[0] for column in cursor.description]
        return json.dumps([dict(zip(names, row)) for row in cursor.fetchall()], default=str)

results_path = "/results/?start=2026-01&end=2026-12"
api_path = f"/api/v1/matters/{matter.reference}/listings/?page_size=1000"
assert len(json.loads(page(api_client, api_path)())["results"]) == 1000
figures = {
    "baseline": timed(page(baseline_client, "/accounts/password/change/")),
    "results, staff, computed": timed(lambda: (results_changed(), page(staff_client, results_path)())),
    "results, client, computed": timed(lambda: (results_changed(), page(client_client, results_path)())),
    "results, staff, kept": timed(page(staff_client, results_path)),
    "results, client, kept": timed(page(client_client, results_path)),
    "select + json.dumps": timed(select_and_dump),
    "API listings, 1,000": timed(page(api_client, api_path)),
}
print(json.dumps({"listings": listings, "outcomes": outcomes, "vendor": connection.vendor, "figures": figures}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--listings", type=int, default=50_000)
    parser.add_argument("--outcomes", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each measure (the median is shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-results-") as folder:
        database_url, created = _database(Path(folder))
        try:
            env = production_environment(folder, database_url, PORTAL_API_RATE="100000/minute")
            run = subprocess.run(
                [sys.executable, "-c", CHILD, str(args.listings), str(args.outcomes), str(args.repeat)],
                env=env, cwd=PROJECT_DIR, capture_output=True, text=True,
            )  # fmt: skip
            if run.returncode:
                raise SystemExit(f"The benchmark's child process failed:\n{run.stderr[-3000:]}")
            report(json.loads(next(line for line in run.stdout.splitlines() if line.startswith("{"))))
        finally:
            if created:
                _drop(created)


def report(measured: dict) -> None:
    figures = measured["figures"]
    print(f"{measured['listings']:,} listings, {measured['outcomes']:,} filed items, on {measured['vendor']}")
    base, raw = figures["baseline"], figures["select + json.dumps"]
    for name, seconds in figures.items():
        against = raw if name.startswith("API") else base
        ratio = "" if name in ("baseline", "select + json.dumps") else f"   {seconds / against:5.1f}× its baseline"
        print(f"{name:24} {seconds * 1000:8.1f} ms{ratio}")
    print("Targets: the results page at most 3× /accounts/password/change/; the API's 1,000 listings at most 3× one")
    print("SELECT of the same rows with json.dumps.")


if __name__ == "__main__":
    main()
