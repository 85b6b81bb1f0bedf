"""Load benchmark: the portal under gunicorn on loopback, driven by concurrent clients. Prints figures only.

    python -m portal.benchmarks.load                       # pages: dashboard and a 1,000-exhibit matter page
    python -m portal.benchmarks.load --listings 50000      # and the matter's listings page, 50,000 listings
    python -m portal.benchmarks.load --uploads 20 --upload-mb 200

It builds a fresh database (a new PostgreSQL database on the server of DATABASE_URL when that is set, else
SQLite) with a matter of 1,000 exhibits and 100 test purchases made through the real services, starts gunicorn
with production settings, signs a client in, and sends requests from ``--clients`` threads, each on its own
keep-alive connection. For uploads it streams ``--uploads`` files of ``--upload-mb`` MB at once through the
real upload endpoint and reports how much the web processes' memory grew (peak RSS over the run).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parents[2]
CLIENT_EMAIL = "bench.client@example.com"
CLIENT_PASSWORD = "bench-client-password-2026"  # noqa: S105 - a throwaway user in a throwaway database
MATTER = "BEN-2026-001"

# Runs in ``manage.py shell`` with the bench settings; its parameters come from the environment.
SEED = """
import datetime, os
from django.core.files.base import ContentFile
from evidence.models import Matter
from evidence.services import exhibit_upload, listing_record, seller_record, test_purchase_record
from ownership.models import IPRight, Membership, RightsHolder
from ownership.shared.users import User

purchases, exhibits = int(os.environ["BENCH_PURCHASES"]), int(os.environ["BENCH_EXHIBITS"])
holder = RightsHolder.objects.create(name="Bench Holder Ltd", code="BEN", country="GB")
client = User.objects.create_user(os.environ["BENCH_EMAIL"], os.environ["BENCH_PASSWORD"], full_name="Bench Client")
Membership.objects.create(user=client, rights_holder=holder, role="contributor")
staff = User.objects.create_user("bench.staff@example.com", None, full_name="Bench Staff", is_staff=True)
IPRight.objects.create(rights_holder=holder, kind="trademark", jurisdiction="CN", title="BENCH")
opened = datetime.date(2026, 1, 5)
matter = Matter.objects.create(reference=os.environ["BENCH_MATTER"], rights_holder=holder, title="Load benchmark",
                               platforms=["alibaba"], opened_on=opened)
for n in range(purchases):
    seller, _ = seller_record(platform="alibaba", store_name=f"Bench seller {n}")
    url = f"https://www.alibaba.com/product-detail/bench_{n}.html"
    listing, _ = listing_record(matter=matter, url=url, seller=seller, title=f"Bench listing {n}")
    purchase = test_purchase_record(matter=matter, listing=listing, recorded_by=staff, order_number=f"ORD-{n:05d}",
                                    order_date=opened, amount="9.99", currency="USD", purchaser_alias="J. Bench")
    for e in range(exhibits // purchases):
        record = ContentFile(f"Order ORD-{n:05d} record {e}\\n".encode() * 20, name=f"order-{e}.txt")
        exhibit_upload(matter=matter, purchase=purchase, kind="order_confirmation", uploaded_by=staff, upload=record)
listing_count = int(os.environ["BENCH_LISTINGS"])
if listing_count:
    import hashlib, io
    from evidence.intake.importing import listings_import
    from evidence.intake.reading import read_table
    lines = ["url;seller;price;currency;title"] + [
        f"https://www.alibaba.com/product-detail/bench-lamp_{1700000000 + n}.html;Bench store {n % 500};"
        f"{10 + n % 40}.50;USD;Bench lamp {n}" for n in range(listing_count)
    ]
    data = "\\n".join(lines).encode()
    listings_import(matter=matter, table=read_table(io.BytesIO(data), "bench.csv"), by=staff, source="bench",
                    sha256=hashlib.sha256(data).hexdigest())
for n in range(20):
    Matter.objects.create(reference=f"BEN-2026-{n + 2:03d}", rights_holder=holder, title=f"Other matter {n}",
                          platforms=["alibaba"], opened_on=opened)
"""


def _database(folder: Path) -> tuple[str, str | None]:
    """(DATABASE_URL for the run, name of a PostgreSQL database to drop afterwards)."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{folder / 'bench.sqlite3'}", None
    import psycopg

    name = f"portal_loadbench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}")), name


def production_environment(folder: str, database_url: str, **extra: str) -> dict[str, str]:
    """The environment a benchmark's child process runs in: production settings (DEBUG off) on the given
    database and data folder, answering the test client, with no broker (work runs in the process)."""
    env = {
        **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "bench-" + "x" * 50, "PORTAL_DATA_DIR": folder,
        "DJANGO_ALLOWED_HOSTS": "testserver", "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false", "DJANGO_HSTS_SECONDS": "0", "PORTAL_LOG_LEVEL": "WARNING", **extra,
    }  # fmt: skip
    env.pop("REDIS_URL", None)
    for command in (["migrate"], ["collectstatic", "--no-input"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], env=env, cwd=PROJECT_DIR, check=True)
    return env


def _drop(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Session:
    """A signed-in client on one keep-alive connection."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.connection = HTTPConnection("127.0.0.1", port, timeout=600)
        self.cookies = dict(cookies)

    def request(self, method: str, path: str, body=None, headers: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


def _sign_in(port: int) -> dict[str, str]:
    session = Session(port, {})
    status, page = session.request("GET", "/accounts/login/")
    if status != 200:
        raise SystemExit(f"The sign-in page answered HTTP {status}.")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = f"username={CLIENT_EMAIL}&password={CLIENT_PASSWORD}&csrfmiddlewaretoken={token}"
    status, _ = session.request(
        "POST", "/accounts/login/", body, {"Content-Type": "application/x-www-form-urlencoded", "Referer": "/"}
    )
    if status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"Signing the bench client in failed (HTTP {status}).")
    return session.cookies


def _hammer(port: int, cookies: dict[str, str], path: str, clients: int, requests_each: int) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[int] = []

    def run() -> None:
        session = Session(port, cookies)
        mine = []
        for _ in range(requests_each):
            start = time.perf_counter()
            status, _ = session.request("GET", path)
            mine.append(time.perf_counter() - start)
            if status != 200:
                errors.append(status)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{path} answered {sorted(set(errors))} under load.")
    return latencies


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not listen on port {port} within {timeout} s")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _rss_kib(pids: list[int]) -> dict[int, int]:
    sizes = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            status = Path(f"/proc/{pid}/status").read_text()
            sizes[pid] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return sizes


def _gunicorn_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [master, *map(int, children)]


def _multipart(size: int, boundary: str) -> tuple[Iterator[bytes], int]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench-notes.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    line = b"Bench evidence notes: the quick brown fox jumps over the lazy dog.\n"
    block = line * (1024 * 1024 // len(line))

    def chunks() -> Iterator[bytes]:
        yield head
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            sent += len(piece)
            yield piece
        yield tail

    return chunks(), len(head) + size + len(tail)


def _uploads(port: int, cookies: dict[str, str], count: int, megabytes: int, master: int) -> None:
    pids = _gunicorn_pids(master)
    before = _rss_kib(pids)
    peak = dict(before)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid, kib in _rss_kib(_gunicorn_pids(master)).items():
                peak[pid] = max(peak.get(pid, 0), kib)
            time.sleep(0.05)

    statuses: list[int] = []

    def upload() -> None:
        session = Session(port, cookies)
        boundary = uuid.uuid4().hex
        body, length = _multipart(megabytes * 1024 * 1024, boundary)
        status, _ = session.request(
            "POST",
            f"/matters/{MATTER}/exhibits/",
            body,
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(length),
                "X-CSRFToken": cookies["csrftoken"],
                "Referer": f"http://127.0.0.1:{port}/",
                "Accept": "application/json",
            },
        )
        statuses.append(status)

    sampler = threading.Thread(target=sample)
    sampler.start()
    start = time.perf_counter()
    threads = [threading.Thread(target=upload) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    growth = {pid: peak[pid] - before.get(pid, peak[pid]) for pid in peak}
    print(f"\n{count} concurrent uploads of {megabytes} MB: {elapsed:.1f} s, answers {sorted(set(statuses))}")
    print(f"  web processes' RSS before: {sum(before.values()) / 1024:.0f} MiB in {len(before)} processes")
    print(f"  largest growth of one process: {max(growth.values()) / 1024:.1f} MiB")
    print(f"  growth of all processes together: {sum(growth.values()) / 1024:.1f} MiB (target: under 64 MiB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per client per page")
    parser.add_argument("--exhibits", type=int, default=1000)
    parser.add_argument("--purchases", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (4 threads each)")
    parser.add_argument("--uploads", type=int, default=0, help="concurrent uploads to send after the page load")
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--listings", type=int, default=0, help="listings imported into the matter (listings page)")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="portal-loadbench-"))
    database_url, created = _database(folder)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "loadbench-" + uuid.uuid4().hex * 2,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "PORTAL_DATA_DIR": str(folder),
        "PORTAL_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
    }
    env.pop("REDIS_URL", None)
    server = None
    try:
        python = sys.executable
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run([python, "manage.py", *command], cwd=PROJECT_DIR, env=env, check=True)
        start = time.perf_counter()
        seed_env = {**env, "BENCH_PURCHASES": str(options.purchases), "BENCH_EXHIBITS": str(options.exhibits),
                    "BENCH_EMAIL": CLIENT_EMAIL, "BENCH_PASSWORD": CLIENT_PASSWORD, "BENCH_MATTER": MATTER,
                    "BENCH_LISTINGS": str(options.listings)}  # fmt: skip
        subprocess.run([python, "manage.py", "shell", "-c", SEED], cwd=PROJECT_DIR, env=seed_env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        seconds = time.perf_counter() - start
        print(f"Seeded {options.exhibits} exhibits in {options.purchases} purchases in {seconds:.0f} s")
        port = _free_port()
        gunicorn = Path(python).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(options.workers),
             "--worker-class", "gthread", "--threads", "4", "--timeout", "600", "--log-level", "warning"],
            cwd=PROJECT_DIR, env=env,
        )  # fmt: skip
        _wait_for_port(port)
        cookies = _sign_in(port)
        backend = "PostgreSQL" if created else "SQLite"
        print(f"gunicorn: {options.workers} workers × 4 threads on {backend}; {options.clients} concurrent clients")
        baseline = "/accounts/password/change/"  # a page that reads nothing of the matter: the floor of the stack
        pages = [("baseline (password change)", baseline), ("dashboard", "/"),
                 (f"matter page ({options.exhibits} exhibits)", f"/matters/{MATTER}/")]  # fmt: skip
        if options.listings:
            pages.append((f"listings page ({options.listings} listings)", f"/matters/{MATTER}/listings/"))
        p95: dict[str, float] = {}
        for label, path in pages:
            _hammer(port, cookies, path, options.clients, 2)  # warm up every worker
            start = time.perf_counter()
            latencies = _hammer(port, cookies, path, options.clients, options.requests)
            elapsed = time.perf_counter() - start
            p95[path] = _percentile(latencies, 0.95)
            print(
                f"{label}: {len(latencies) / elapsed:6.1f} req/s  p50 {_percentile(latencies, 0.5) * 1000:6.0f} ms  "
                f"p95 {_percentile(latencies, 0.95) * 1000:6.0f} ms  p99 {_percentile(latencies, 0.99) * 1000:6.0f} ms"
                f"  (mean {statistics.mean(latencies) * 1000:.0f} ms, {len(latencies)} requests)"
                + (f"  p95 {p95[path] / p95[baseline]:.1f}x the baseline's" if path != baseline else "")
            )
        print("target: each page's p95 at most 3x the baseline's")
        if options.listings:
            ratio = p95[f"/matters/{MATTER}/listings/"] / p95[f"/matters/{MATTER}/"]
            print(f"listings page p95 is {ratio:.2f}x the matter page's (target: within 2x)")
        if options.uploads:
            _uploads(port, cookies, options.uploads, options.upload_mb, server.pid)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        if created:
            _drop(created)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
