"""Listing-import benchmark: parse, preview and commit times, peak memory, and PostgreSQL COPY as the floor.

    python -m portal.benchmarks.imports --rows 10000             # one file of 10,000 rows
    python -m portal.benchmarks.imports --rows 10000 --memory 100000

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite), writes a messy CSV of ``--rows`` rows (several platforms, repeated sellers, refusals, duplicates), and
imports it into a new matter in a child process, which reports each phase and its peak RSS. With ``--memory N``
a second child imports N rows, and the growth of peak RSS between the two is printed. On PostgreSQL the same
rows are also loaded with COPY into a bare table: the fastest the database can take them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.benchmarks.load import PROJECT_DIR, _database, _drop


def write_file(path: Path, rows: int) -> None:
    randomly = random.Random(7)  # noqa: S311 - test data, not secrets
    sellers = [f"Bench Seller {n}" for n in range(max(rows // 30, 1))]
    with open(path, "w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Listing URL", "Seller", "Price", "Currency", "Title", "Colour"])
        for n in range(rows):
            pick = randomly.random()
            if pick < 0.5:
                url = f"https://www.aliexpress.com/item/1005{n:09d}.html?spm=a2g0o.{n}&utm_source=feed"
            elif pick < 0.75:
                url = f"https://www.amazon.co.uk/Lamp-{n}/dp/B{n:09d}?ref=sr_1_{n}"
            elif pick < 0.95:
                url = f"https://www.ebay.com/itm/lamp-{n}/{100000000000 + n}"
            elif pick < 0.97:
                url = "javascript:alert(1)"
            else:
                url = f"https://www.aliexpress.com/item/1005{n // 2:09d}.html"
            title = f"Aurora desk lamp replica {n}" + ("\nwith a second line" if n % 50 == 0 else "")
            writer.writerow([url, randomly.choice(sellers), "24,90", "USD", title, "red"])


CHILD = """
import json, os, resource, sys, time
import django
django.setup()
from evidence.intake.importing import listings_import, listings_preview
from evidence.intake.reading import read_table
from evidence.intake.rows import Refused, check_row
from evidence.services import matter_create
from ownership.models import RightsHolder

path, reference = sys.argv[1], sys.argv[2]
holder, _ = RightsHolder.objects.get_or_create(code="BEN", defaults={"name": "Bench Holder Ltd", "country": "GB"})
matter = matter_create(rights_holder=holder, title="Import bench", platforms=["aliexpress", "amazon", "ebay"],
                       reference=reference)
figures = {}

def timed(name, work):
    started = time.perf_counter()
    with open(path, "rb") as stream:
        result = work(read_table(stream, "bench.csv"))
    figures[name] = time.perf_counter() - started
    return result

def parse(table):
    for number, values in table.rows:
        try:
            check_row(number, values, targeted=list(matter.platforms))
        except Refused:
            pass

timed("parse", parse)
summary = timed("preview", lambda table: listings_preview(matter=matter, table=table))
timed("commit", lambda table: listings_import(matter=matter, table=table, by=None, source="bench", sha256="0" * 64))
figures["rows"], figures["new"], figures["refused"] = summary.rows, summary.new, summary.refused_count
figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def run_child(env: dict[str, str], path: Path, reference: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), reference], env=env, cwd=PROJECT_DIR, check=True,
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def copy_floor(database_url: str, path: Path) -> float:
    """Seconds PostgreSQL takes to COPY the file's rows into a bare table (no checks, no indexes)."""
    import psycopg

    with open(path, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))[1:]
    started = time.perf_counter()
    with psycopg.connect(database_url) as connection:
        connection.execute(
            "CREATE TEMP TABLE bench_copy (url text, seller text, price text, currency text, title text)"
        )
        with connection.cursor().copy("COPY bench_copy FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row[:5])
        connection.commit()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory", type=int, default=0, help="also import this many rows, to compare peak memory")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        folder_path = Path(folder)
        database_url, created = _database(folder_path)
        # Production settings: with DEBUG on, Django would keep every query in memory.
        env = {
            **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "PORTAL_DATA_DIR": folder,
        }  # fmt: skip
        env.pop("REDIS_URL", None)
        try:
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], env=env, cwd=PROJECT_DIR, check=True)
            path = folder_path / "listings.csv"
            write_file(path, args.rows)
            figures = run_child(env, path, "BEN-2026-001")
            engine = "PostgreSQL" if created else "SQLite"
            print(f"{engine}, {figures['rows']:,} rows ({figures['new']:,} new, {figures['refused']:,} refused):")
            for phase in ("parse", "preview", "commit"):
                print(f"  {phase:8} {figures[phase]:6.2f} s")
            work = figures["preview"] + figures["commit"]
            print(f"  preview + commit {work:.2f} s (target: at most 3 s for 10,000 rows on PostgreSQL)")
            print(f"  peak RSS {figures['peak_rss_mib']:.0f} MiB")
            if created:
                floor = copy_floor(database_url, path)
                print(f"  COPY floor {floor:.2f} s; commit is {figures['commit'] / floor:.1f}x the floor")
            if args.memory:
                big = folder_path / "big.csv"
                write_file(big, args.memory)
                more = run_child(env, big, "BEN-2026-002")
                growth = more["peak_rss_mib"] - figures["peak_rss_mib"]
                print(f"  {args.memory:,} rows: peak RSS {more['peak_rss_mib']:.0f} MiB, {growth:+.0f} MiB against "
                      f"{args.rows:,} rows (target: within 32 MiB); preview + commit "
                      f"{more['preview'] + more['commit']:.2f} s")  # fmt: skip
        finally:
            if created:
                _drop(created)


if __name__ == "__main__":
    main()
