"""Capture benchmark: captures per minute and each capture worker's memory, against the loopback marketplace.

    python -m portal.benchmarks.capture --captures 50 [--workers 2]

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite), a signing certificate and the fake marketplace on 127.0.0.1, and queues ``--captures`` captures of
its listing pages. ``--workers`` child processes then each do what a capture worker does (``capture_run`` with
one long-lived browser) on their share, reporting after every capture the memory (proportional set size) of
the process and of its browser's processes, measured before the browser's periodic restart. It prints
captures per minute, and per worker the memory after its first and its last captures and the peak: flat memory
means the last is about the first.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.benchmarks.load import PROJECT_DIR, _database, _drop

SETUP = """
import sys, django
django.setup()
from evidence.capture.services import capture_request
from evidence.services import listing_record, matter_create, seller_record
from ownership.models import RightsHolder
from ownership.shared.users import User

market, count = sys.argv[1], int(sys.argv[2])
holder, _ = RightsHolder.objects.get_or_create(code="BEN", defaults={"name": "Bench Holder Ltd", "country": "GB"})
matter = matter_create(rights_holder=holder, title="Capture bench", platforms=["aliexpress", "amazon", "ebay"])
staff = User.objects.create_user(email="bench@firm.example", password="x", is_staff=True)
platforms = ["aliexpress", "amazon", "ebay"]
ids = []
for n in range(count):
    platform = platforms[n % 3]
    seller, _ = seller_record(platform=platform, store_name=f"Bench seller {n % 7}")
    listing, _ = listing_record(matter=matter, url=f"{market}/{platform}/item/b{n}.html", seller=seller, title="")
    ids.append(capture_request(matter=matter, listing=listing, by=staff, enqueue=False).pk)
print(json.dumps(ids))
""".replace("import sys, django", "import json, sys, django")

WORKER = """
import json, sys, time, django
django.setup()
from evidence.capture.browser import CaptureBrowser, process_memory_mb
from evidence.capture.services import capture_run

browser = CaptureBrowser()
for capture_id in json.loads(sys.argv[1]):
    started = time.perf_counter()
    done = capture_run(capture_id=capture_id, browser=browser)
    print(json.dumps({"id": capture_id, "status": done.status, "reason": done.failure_reason,
                      "seconds": time.perf_counter() - started, "own_mib": process_memory_mb(),
                      "browser_mib": browser.last_browser_mb}), flush=True)
browser.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--captures", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from evidence.demo_marketplace import Marketplace

    with tempfile.TemporaryDirectory(prefix="bench-capture-") as folder:
        database_url, created = _database(Path(folder))
        env = {
            **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "PORTAL_DATA_DIR": folder,
        }  # fmt: skip
        env.pop("REDIS_URL", None)
        market = Marketplace().start()
        env["PORTAL_CAPTURE_ALLOWED_HOSTS"] = f"127.0.0.1:{market.port}"
        try:
            run = {"env": env, "cwd": PROJECT_DIR, "check": True}
            subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], **run)
            subprocess.run([sys.executable, "manage.py", "create_signing_certificate", "-v", "0"], **run,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            ids = json.loads(subprocess.run(
                [sys.executable, "-c", SETUP, market.url(""), str(args.captures)], **run, capture_output=True, text=True
            ).stdout.strip().splitlines()[-1])  # fmt: skip
            shares = [ids[n :: args.workers] for n in range(args.workers)]
            started = time.perf_counter()
            workers = [
                subprocess.Popen(
                    [sys.executable, "-c", WORKER, json.dumps(share)],
                    env=env,
                    cwd=PROJECT_DIR,
                    stdout=subprocess.PIPE,
                    text=True,
                )  # fmt: skip
                for share in shares
            ]
            reports = [[json.loads(line) for line in worker.communicate()[0].splitlines() if line.startswith("{")]
                       for worker in workers]  # fmt: skip
            elapsed = time.perf_counter() - started
        finally:
            market.stop()
            if created:
                _drop(created)
    done = [r for report in reports for r in report if r["status"] == "done"]
    failed = [r for report in reports for r in report if r["status"] != "done"]
    rate = len(done) / elapsed * 60
    print(f"{len(done)} of {args.captures} captures done by {args.workers} workers in {elapsed:.1f} s: "
          f"{rate:.1f} captures per minute (target: at least 20 on the 2-core machine)")  # fmt: skip
    for reason in sorted({r["reason"] for r in failed})[:5]:
        print(f"  failed: {reason}")
    for n, report in enumerate(reports, 1):
        if not report:
            continue
        seconds = sum(r["seconds"] for r in report) / len(report)
        first, last = report[0], report[-1]
        peak = max(r["own_mib"] + r["browser_mib"] for r in report)
        print(
            f"  worker {n}: {len(report)} captures, {seconds:.2f} s each; memory (PSS, process + browser): after "
            f"the first {first['own_mib']:.0f} + {first['browser_mib']:.0f} MiB, after the last "
            f"{last['own_mib']:.0f} + {last['browser_mib']:.0f} MiB, peak {peak:.0f} MiB"
        )


if __name__ == "__main__":
    main()
