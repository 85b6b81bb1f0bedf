"""Chromium, driven through Playwright, capturing one page with every request fetched by the portal.

Each capture gets a fresh browser context (no cookies, cache or storage carried over). Every request the page
makes goes through ``_Session.route``: the URL is checked (``safety``), fetched on a pinned connection within
the capture's budget (``fetching``), written to the WARC and handed to the browser. Refused requests are
aborted and listed. The browser is also started behind a proxy address where nothing listens, so a request
that escaped interception could not reach any network; WebSockets are closed, service workers blocked and
downloads refused. One ``CaptureBrowser`` serves a worker process: it restarts Chromium every
``PORTAL_CAPTURE_BROWSER_RESTART_EVERY`` captures, or when its processes grow past
``PORTAL_CAPTURE_BROWSER_MAX_RSS_MB``.
"""

from __future__ import annotations

import datetime
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.utils import timezone

from evidence.capture.archive import WarcRecorder
from evidence.capture.fetching import Budget, Fetched, fetch, tls_context
from evidence.capture.safety import Refused, check_url

VIEWPORT = {"width": 1366, "height": 900}
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",  # nothing listens on port 9
    "--js-flags=--max-old-space-size=512",
]  # fmt: skip
SCROLL_STEPS = 12  # screens scrolled through so that lazy-loaded images load
MAX_REDIRECTS = 10


class CaptureFailed(Exception):
    """The page could not be captured; the message says why, for the capture's record."""


@dataclass
class PageCapture:
    requested_url: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None = None
    final_url: str = ""
    redirects: list[dict] = field(default_factory=list)
    status: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    server_ip: str = ""
    certificates: list[bytes] = field(default_factory=list)
    browser: str = ""
    user_agent: str = ""
    viewport: str = f"{VIEWPORT['width']}x{VIEWPORT['height']}"
    title: str = ""
    html: str = ""
    refused: list[dict] = field(default_factory=list)
    requests_made: int = 0
    bytes_received: int = 0
    screenshot: Path | None = None
    pdf: Path | None = None
    warc: Path | None = None


class CaptureBrowser:
    """A worker's Chromium. Playwright's sync API runs an event loop in the thread that drives it, which would
    stop the ORM and pyHanko (asyncio) from working in that thread, so the browser lives in a thread of its own
    and each capture is handed to it."""

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capture-browser")
        self._playwright: Any = None
        self._browser: Any = None
        self._marker = ""
        self.captures_done = 0
        self.last_browser_mb = 0.0  # the browser's memory after the last capture, before any restart

    def capture(self, url: str, workdir: Path) -> PageCapture:
        return self._thread.submit(self._capture, url, workdir).result()

    def close(self) -> None:
        self._thread.submit(self._close).result()

    def _capture(self, url: str, workdir: Path) -> PageCapture:
        self._ensure_started()
        try:
            return _Session(self._browser, url, workdir).run()
        finally:
            self.captures_done += 1
            self.last_browser_mb = browser_rss_mb(self._marker)
            if self._should_restart():
                self._close()

    def _close(self) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._browser = self._playwright = None
        self.captures_done = 0

    def _ensure_started(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            return
        self._close()
        chromium = Path(settings.PORTAL_CHROMIUM_PATH)
        if not chromium.exists():
            raise CaptureFailed(
                f"No Chromium at {chromium}: install Debian's package chromium (apt-get install chromium), or set "
                "PORTAL_CHROMIUM_PATH to the browser's path."
            )
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CaptureFailed(
                "The Python package playwright is not installed: pip install -r requirements.txt."
            ) from None
        self._marker = f"--portal-capture-browser={uuid.uuid4().hex}"  # finds this browser's processes
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(chromium), args=[*LAUNCH_ARGS, self._marker]
        )

    def _should_restart(self) -> bool:
        if self.captures_done >= settings.PORTAL_CAPTURE_BROWSER_RESTART_EVERY:
            return True
        return self.last_browser_mb > settings.PORTAL_CAPTURE_BROWSER_MAX_RSS_MB


def browser_rss_mb(marker: str) -> float:
    """Memory of the browser started with ``marker`` and all its child processes, from /proc: the proportional
    set size (shared pages divided among the processes sharing them), else the resident size."""
    if not marker or not Path("/proc").exists():
        return 0.0
    parents: dict[int, int] = {}
    roots: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if marker.encode() in (entry / "cmdline").read_bytes():
                roots.append(int(entry.name))
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(process_memory_mb(pid) for pid in tree)


def process_memory_mb(pid: int | str = "self") -> float:
    """One process's proportional set size in MiB (its resident size where the kernel gives no PSS)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


class _Session:
    """One capture: a fresh context, the page, its requests and the files made of it."""

    def __init__(self, browser, url: str, workdir: Path) -> None:
        self.browser = browser
        self.url = url
        self.workdir = workdir
        self.budget = Budget.from_settings()
        self.tls = tls_context()
        self.result = PageCapture(requested_url=url, started_at=timezone.now())
        self.documents: list[Fetched] = []
        self.document_refusal = ""
        self.pending_redirect = ""
        self.recorder = WarcRecorder(
            workdir / "capture.warc.gz",
            software=f"IP evidence portal {settings.PORTAL_VERSION} (Playwright, Chromium {browser.version})",
            description=f"Capture of {url}",
        )

    def run(self) -> PageCapture:
        try:
            check_url(self.url)
        except Refused as exc:
            raise CaptureFailed(str(exc)) from None
        context = self.browser.new_context(
            viewport=VIEWPORT, accept_downloads=False, service_workers="block", ignore_https_errors=False
        )
        try:
            context.route_web_socket(re.compile(".*"), self._refuse_web_socket)
            page = context.new_page()
            page.route("**/*", self._route)
            self._open(page)
            self._record_page(page)
        finally:
            context.close()
            self.recorder.close()
        self.result.warc = self.recorder.path
        self.result.finished_at = timezone.now()
        self.result.requests_made, self.result.bytes_received = self.budget.requests_made, self.budget.bytes_received
        return self.result

    def _open(self, page) -> None:
        """Navigate, following the document's redirects one hop at a time (each hop checked like any URL)."""
        from playwright.sync_api import Error as PlaywrightError

        url = self.url
        for _ in range(MAX_REDIRECTS + 1):
            self.pending_redirect = ""
            try:
                page.goto(url, wait_until="domcontentloaded", timeout=max(self.budget.seconds_left, 1) * 1000)
                break
            except PlaywrightError as exc:
                if not self.pending_redirect:
                    reason = self.document_refusal or f"The page did not load: {str(exc).splitlines()[0]}"
                    raise CaptureFailed(reason) from None
                url = self.pending_redirect
        else:
            raise CaptureFailed(f"The page redirected more than {MAX_REDIRECTS} times.")
        if not self.documents:
            raise CaptureFailed(self.document_refusal or "The page sent no document.")
        try:
            page.wait_for_load_state("load", timeout=max(min(self.budget.seconds_left, 15), 1) * 1000)
            for _ in range(SCROLL_STEPS):
                page.mouse.wheel(0, VIEWPORT["height"])
                page.wait_for_timeout(150)
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_load_state("networkidle", timeout=max(min(self.budget.seconds_left, 5), 1) * 1000)
        except PlaywrightError:
            pass  # a page still busy when its time is up is captured as it stands

    def _record_page(self, page) -> None:
        document = self.documents[-1]
        result = self.result
        result.final_url, result.status, result.headers = document.url, document.status, document.headers
        result.server_ip, result.certificates = document.address, document.certificates
        result.redirects = [{"url": d.url, "status": d.status} for d in self.documents]
        result.browser = f"Chromium {self.browser.version}"
        result.user_agent = page.evaluate("navigator.userAgent")
        result.title = page.title()
        result.html = page.content()
        result.screenshot = self.workdir / "screenshot.png"
        page.screenshot(path=str(result.screenshot), full_page=True)
        result.pdf = self.workdir / "page.pdf"
        page.emulate_media(media="screen")
        page.pdf(path=str(result.pdf), print_background=True, format="A4")
        self.recorder.resource(f"urn:view:{document.url}", "text/html; charset=utf-8", result.html.encode())
        self.recorder.resource(f"urn:screenshot:{document.url}", "image/png", result.screenshot.read_bytes())

    def _route(self, route, request) -> None:
        """Fetch a request of the page through the checks. Chromium does not route the hops of a redirect it
        follows itself, so redirects are followed here: the document's by navigating again (``_open``), a
        sub-resource's hop by hop before the last answer is handed over."""
        is_document = request.is_navigation_request() and request.frame.parent_frame is None
        url = request.url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                fetched = self._fetch(request, url)
                location = _location(fetched)
                if not location:
                    break
                if is_document:
                    self.documents.append(fetched)
                    self.pending_redirect = location
                    route.abort("aborted")
                    return
                url = location
            else:
                raise Refused(f"More than {MAX_REDIRECTS} redirects.")
        except Refused as exc:
            self._refuse(route, url, str(exc), is_document)
            return
        except Exception as exc:  # noqa: BLE001 - a handler that raised would leave the page waiting forever
            self._refuse(route, url, f"The portal could not fetch it: {type(exc).__name__}: {exc}", is_document)
            return
        if is_document:
            self.documents.append(fetched)
        route.fulfill(status=fetched.status, headers=_browser_headers(fetched.headers), body=fetched.body)

    def _refuse(self, route, url: str, reason: str, is_document: bool) -> None:
        self.result.refused.append({"url": url[:500], "reason": reason})
        if is_document:
            self.document_refusal = reason
        route.abort("blockedbyclient")

    def _fetch(self, request, url: str) -> Fetched:
        target = check_url(url)
        same = url == request.url
        fetched = fetch(
            method=request.method if same else "GET", url=url, headers=request.headers,
            body=request.post_data_buffer if same else None, target=target, budget=self.budget, tls=self.tls,
        )  # fmt: skip
        self.recorder.exchange(
            method=request.method if same else "GET", request_headers=request.headers,
            request_body=request.post_data_buffer if same else None, fetched=fetched,
        )  # fmt: skip
        return fetched

    def _refuse_web_socket(self, socket_route) -> None:
        self.result.refused.append({"url": socket_route.url[:500], "reason": "WebSockets are not captured."})
        socket_route.close()


def _location(fetched: Fetched) -> str:
    """Where a redirect points, resolved against its URL; "" for any other answer."""
    if fetched.status not in (301, 302, 303, 307, 308):
        return ""
    location = next((value for name, value in fetched.headers if name.lower() == "location"), "")
    return urljoin(fetched.url, location) if location else ""


def _browser_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Response headers as Playwright takes them: one value per name (repeated Set-Cookie lines joined by a
    newline, other repeats by a comma, as HTTP allows)."""
    merged: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key in merged:
            merged[key] += ("\n" if key == "set-cookie" else ", ") + value
        else:
            merged[key] = value
    return merged
