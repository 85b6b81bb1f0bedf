"""Bulk-write benchmark: filing a complaint and recording its answers, against a bare ``bulk_create`` of the rows.

    python -m portal.benchmarks.writes --items 300

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite) and, in one child process with production settings, imports ``--items`` listings into a matter, then
times in the same run (the median of ``--repeat`` rounds, each on new rows):
- filing a ready bundle's complaint of every listing (``submission_record``: outcomes, statuses, watches, audit);
- recording the platform's answers to every item (``submission_answers_record``);
- the floor: ``bulk_create`` of the same number of bare outcome rows;
- queueing ``--checks`` takedown checks due at once (``takedown_checks_due``, the broker left out) against a
  ``bulk_create`` of as many bare captures.
Target: each write at most 3x its floor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from portal.benchmarks.load import PROJECT_DIR, _database, _drop

CHILD = r"""
import datetime, hashlib, io, statistics, sys, time
import django
django.setup()
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from evidence.intake.importing import listings_import
from evidence.intake.reading import read_table
from evidence.models import Listing
from evidence.services import matter_create
from ownership.models import RightsHolder
from ownership.shared.users import User
from portal.campaign_answers import Answer
from portal.models import Bundle, ListingOutcome, Submission
from portal.services import submission_answers_record, submission_record

items, repeat = int(sys.argv[1]), int(sys.argv[2])
holder = RightsHolder.objects.create(name="Bench Holder Ltd", code="BEN", country="GB")
staff = User.objects.create_user("bench.staff@example.com", "x", full_name="Bench Staff", is_staff=True)
matter = matter_create(rights_holder=holder, title="Write bench", platforms=["alibaba"], reference="BEN-2026-001")
lines = ["url;seller;title"] + [
    f"https://www.alibaba.com/product-detail/bench_{n}.html;Store {n % 30};Lamp {n}" for n in range(items)
]
data = "\n".join(lines).encode()
listings_import(matter=matter, table=read_table(io.BytesIO(data), "bench.csv"), by=staff, source="bench",
                sha256=hashlib.sha256(data).hexdigest())
listings = list(Listing.objects.filter(matters=matter))

def timed(work):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        with transaction.atomic():
            work()
        return time.perf_counter() - started, len(captured.captured_queries)

figures = {"filing": [], "answers": [], "bulk_create floor": []}
queries = {}
for round_ in range(repeat):
    bundle = Bundle.objects.create(matter=matter, platform="alibaba", version=round_ + 1, inputs_digest=str(round_),
                                   status="ready", requested_by=staff)
    bundle.listings.set(listings)
    made = {}
    def file():
        made["submission"] = submission_record(bundle=bundle, platform_reference=f"IPP-{round_}",
                                               submitted_on=datetime.date(2026, 3, 5), submitted_by=staff)
    seconds, queries["filing"] = timed(file)
    figures["filing"].append(seconds)
    answers = [Answer(listing_id=listing.pk, result="removed") for listing in listings]
    seconds, queries["answers"] = timed(
        lambda: submission_answers_record(submission=made["submission"], answers=answers, by=staff))
    figures["answers"].append(seconds)
    bare = Submission.objects.create(bundle=bundle, platform_reference=f"BARE-{round_}",
                                     submitted_on=datetime.date(2026, 3, 5), submitted_by=staff)
    seconds, queries["bulk_create floor"] = timed(lambda: ListingOutcome.objects.bulk_create(
        [ListingOutcome(submission=bare, listing=listing) for listing in listings], batch_size=2000))
    figures["bulk_create floor"].append(seconds)

# Queueing takedown checks: one per watch. The broker is left out (each task's send is replaced by nothing),
# so the figure is the portal's own writes; the floor is a bulk_create of as many bare captures.
from evidence.capture.services import takedown_checks_due
from evidence.models import Capture, TakedownWatch
import evidence.tasks
evidence.tasks.capture_task.apply_async = lambda args: None
watches = int(sys.argv[3])
lines = ["url"] + [f"https://www.alibaba.com/product-detail/watched_{n}.html" for n in range(watches)]
data = "\n".join(lines).encode()
listings_import(matter=matter, table=read_table(io.BytesIO(data), "watched.csv"), by=staff, source="bench",
                sha256=hashlib.sha256(data).hexdigest())
watched = list(Listing.objects.filter(matters=matter, url__contains="watched_").values_list("pk", "url"))
filed = datetime.datetime(2026, 3, 5, tzinfo=datetime.UTC)
TakedownWatch.objects.all().delete()  # the filings' own watches: only the ones made here are due
TakedownWatch.objects.bulk_create([TakedownWatch(listing_id=pk, matter=matter, filed_at=filed, next_check_at=filed,
                                                 checks_until=filed + datetime.timedelta(days=90))
                                   for pk, _ in watched], batch_size=5000)
started = time.perf_counter()
checks = takedown_checks_due(now=filed + datetime.timedelta(days=1))
checks_seconds = time.perf_counter() - started
started = time.perf_counter()
with transaction.atomic():
    Capture.objects.bulk_create([Capture(matter=matter, listing_id=pk, requested_url=url, purpose="check")
                                 for pk, url in watched], batch_size=1000)
checks_floor = time.perf_counter() - started

floor = statistics.median(figures["bulk_create floor"])
print(f"{connection.vendor}, {items:,} items, median of {repeat} rounds:")
for name, values in figures.items():
    median = statistics.median(values)
    print(f"  {name:18} {median * 1000:8.1f} ms  {queries[name]:4} queries  {median / floor:5.1f}x the floor")
print(f"  queueing {checks:,} takedown checks {checks_seconds:.2f} s; bulk_create of as many captures "
      f"{checks_floor:.2f} s: {checks_seconds / checks_floor:.1f}x the floor")
print("Target: each at most 3x its bulk_create floor.")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--checks", type=int, default=10_000, help="takedown checks due at once")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as folder:
        database_url, created = _database(Path(folder))
        env = {
            **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "PORTAL_DATA_DIR": folder,
            "PORTAL_LOG_LEVEL": "WARNING",
        }  # fmt: skip
        env.pop("REDIS_URL", None)
        try:
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=PROJECT_DIR, check=True)
            subprocess.run([sys.executable, "-c", CHILD, str(args.items), str(args.repeat), str(args.checks)], env=env,
                           cwd=PROJECT_DIR, check=True)  # fmt: skip
        finally:
            if created:
                _drop(created)


if __name__ == "__main__":
    main()
