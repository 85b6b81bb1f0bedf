"""The fault matrix: every entry point that starts background work, against each fault, on real processes
(PostgreSQL, a private Redis the test stops and starts, a Celery worker on every queue that the test may kill,
Chromium for captures). Each cell shows that the user gets an answer within 2 s, that every committed row that
names a file has that file byte for byte, that nothing is done twice, and that the work is done once the
service is back. The S3 column is in ``test_storage_outage``; a PostgreSQL restart in ``test_database_restart``.
"""

from __future__ import annotations

import datetime
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from evidence.capture.services import capture_request
from evidence.demo_marketplace import Marketplace
from evidence.intake.importing import listing_import_prepare, listing_import_run
from evidence.models import Capture, Exhibit, ListingImport
from evidence.services import exhibit_upload, listing_record
from ownership.models import OwnershipDocument, StatementDraft
from ownership.services import ownership_document_upload
from ownership.shared.files.storage import stored_file_problem
from ownership.shared.jobs import jobs_sweep
from portal.models import Bundle, Dossier, Notice
from portal.services import bundle_request
from portal.services.dossiers import dossier_request
from portal.services.notices import notice_request, wording_review_record
from portal.statement_wording import reviewable_texts
from tests.conftest import require_env, require_service
from tests.evidence.factories import ListingFactory, SellerFactory, TestPurchaseFactory
from tests.factories import TEST_PASSWORD, MatterFactory, StaffFactory
from tests.ownership.factories import make_right
from tests.portal.web.test_statements import director, draft_for, drawings  # noqa: F401 (fixtures)
from tests.support import files as samples
from tests.support.bundles import OVERRULED
from tests.support.services import (
    S3_TEST_BUCKET,
    S3_TEST_CREDENTIALS,
    SwitchableProxy,
    app_broker,
    celery_worker,
    database_url_for,
    free_port,
    kill_worker,
    redis_server,
    s3_storage_setting,
)
from tests.support.services import wait_for as support_wait_for

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

STALL_SECONDS = 3


@dataclass
class Portal:
    """The processes of the matrix: a private Redis the test stops and starts, and one worker on every queue."""

    tmp_path: Path
    database_url: str
    env: dict[str, str]
    market: Marketplace
    port: int = field(default_factory=free_port)
    redis: object = None
    s3: object = None
    worker: object = None
    worker_context: object = None
    workers: int = 0

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def redis_up(self) -> None:
        self.redis = redis_server(self.port, self.tmp_path)
        self.redis.__enter__()

    def redis_down(self) -> None:
        self.redis.__exit__(None, None, None)
        self.redis = None

    def start_worker(self) -> None:
        self.workers += 1
        self.worker_context = celery_worker(
            database_url=self.database_url, redis_url=self.url, log_path=self.tmp_path / f"worker-{self.workers}.log",
            extra_env=self.env, queues="celery,ocr,capture",
        )  # fmt: skip
        self.worker = self.worker_context.__enter__()

    def kill_worker(self) -> None:
        kill_worker(self.worker)
        self.worker_context.__exit__(None, None, None)

    def log(self) -> str:
        return "\n".join(p.read_text()[-2000:] for p in sorted(self.tmp_path.glob("worker-*.log")))


def processes(tmp_path: Path, signing_p12: Path, settings, extra_env: dict[str, str] | None = None):
    """The matrix's processes, for one test: yields the Portal; stops them all afterwards."""
    require_env("DATABASE_URL")
    require_env("REDIS_URL")
    require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
    require_service(Path(settings.PORTAL_CHROMIUM_PATH).exists(), "Chromium is not installed")
    settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_PASSPHRASE = signing_p12, ""
    settings.PORTAL_OCR = True
    settings.PORTAL_JOB_STALL_SECONDS = STALL_SECONDS
    env = {"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SIGNING_P12": str(signing_p12), "PORTAL_SIGNING_PASSPHRASE": "",
           "PORTAL_OCR": "true", "PORTAL_JOB_STALL_SECONDS": str(STALL_SECONDS), **(extra_env or {})}  # fmt: skip
    market = Marketplace().start()
    env["PORTAL_CAPTURE_ALLOWED_HOSTS"] = f"127.0.0.1:{market.port}"
    state = Portal(tmp_path=tmp_path, database_url=database_url_for(connection.settings_dict), env=env,
                   market=market)  # fmt: skip
    state.redis_up()
    try:
        with app_broker(state.url):
            state.start_worker()
            yield state
            if state.redis is None:
                state.redis_up()  # a worker stops cleanly against a running broker
            state.worker_context.__exit__(None, None, None)
    finally:
        state.market.stop()
        if state.redis is not None:
            state.redis_down()


@pytest.fixture
def portal(transactional_db, tmp_path, signing_p12, settings):
    yield from processes(tmp_path, signing_p12, settings)


@pytest.fixture
def s3_proxy(settings, s3_endpoint):
    """The S3 server behind a proxy the test switches off; this process stores through it, failing fast."""
    from botocore.config import Config

    proxy = SwitchableProxy(int(s3_endpoint.rsplit(":", 1)[1]))
    proxy.up()
    storage = s3_storage_setting(proxy.endpoint)
    storage["OPTIONS"]["client_config"] = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1)
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield proxy
    proxy.down()


@pytest.fixture
def portal_on_s3(transactional_db, tmp_path, signing_p12, settings, s3_proxy):
    env = {"S3_BUCKET": S3_TEST_BUCKET, "S3_ENDPOINT_URL": s3_proxy.endpoint, "S3_REGION": "us-east-1",
           "S3_ACCESS_KEY_ID": S3_TEST_CREDENTIALS["access_key"],
           "S3_SECRET_ACCESS_KEY": S3_TEST_CREDENTIALS["secret_key"]}  # fmt: skip
    for state in processes(tmp_path, signing_p12, settings, env):
        state.s3 = s3_proxy
        yield state


# --- Entry points: what the user does (``start``, timed), after what it needs (``prepare``, not timed) -----


@dataclass(frozen=True)
class Entry:
    name: str
    model: type[models.Model]
    prepare: Callable[[Portal, pytest.FixtureRequest], dict]
    start: Callable[[Portal, dict], int]  # returns the pk of the job it started
    succeeded: Callable[[models.Model], bool]
    slow: bool = True  # runs long enough for a fault to strike while it runs


def _scan() -> bytes:
    return samples.scanned_pdf_bytes(["Certificate of registration No. 9876543", "商标注册证 第9876543号"])


def _prepare_page(portal: Portal, request) -> dict:
    client, matter = request.getfixturevalue("client"), request.getfixturevalue("matter_a")
    client.force_login(request.getfixturevalue("member_a"))
    return {"client": client, "matter": matter, "scan": _scan()}


def _upload_page(given: dict, *, json: bool) -> int:
    headers = {"HTTP_ACCEPT": "application/json"} if json else {}
    response = given["client"].post(
        reverse("web:exhibit_create", args=[given["matter"].reference]),
        {"files": SimpleUploadedFile("scan.pdf", given["scan"], "application/pdf"), "kind": "order_confirmation"},
        **headers,
    )
    assert response.status_code == (201 if json else 302), response.content[:300]
    return Exhibit.objects.latest("pk").pk


def _prepare_ownership(portal: Portal, request) -> dict:
    return {"holder": request.getfixturevalue("holder_a"), "staff": request.getfixturevalue("staff"), "scan": _scan()}


def _ownership_upload(given: dict) -> int:
    return ownership_document_upload(
        rights_holder=given["holder"], doc_type="power_of_attorney", uploaded_by=given["staff"],
        upload=ContentFile(given["scan"], name="poa.pdf"), description="Power of attorney",
    ).pk  # fmt: skip


def _prepare_statement(portal: Portal, request) -> dict:
    client, signatory = request.getfixturevalue("client"), request.getfixturevalue("director")
    matter, right = request.getfixturevalue("matter_a"), request.getfixturevalue("drawings")
    _wording_reviewed()
    client.force_login(signatory)
    draft_for(client, matter, right)
    return {"client": client, "draft": StatementDraft.objects.get()}


def _statement_signing(given: dict) -> int:
    draft = given["draft"]
    data = {"full_name": "Claire Donnelly", "title": "Director", "confirmed": "on", "password": TEST_PASSWORD,
            "shown_sha256": draft.sha256}  # fmt: skip
    given["client"].post(reverse("web:statement_sign", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.status == StatementDraft.Status.SIGNED
    return draft.document_id


def _wording_reviewed() -> None:
    lawyer = StaffFactory()
    lawyer.user_permissions.add(Permission.objects.get(codename="review_notice_wording"))
    for template, language in reviewable_texts():
        wording_review_record(template=template, language=language, note="Partner; checked.", by=lawyer)


def _prepare_import(portal: Portal, request) -> dict:
    matter = MatterFactory(rights_holder=request.getfixturevalue("holder_a"), platforms=["aliexpress"])
    staff = request.getfixturevalue("staff")
    urls = "\n".join(f"https://www.aliexpress.com/item/{1005000000 + n}.html" for n in range(8000))
    return {"prepared": listing_import_prepare(matter=matter, by=staff, text=urls), "staff": staff}


def _import(given: dict) -> int:
    return listing_import_run(listing_import=given["prepared"], by=given["staff"]).pk


def _prepare_capture(portal: Portal, request) -> dict:
    matter = MatterFactory(rights_holder=request.getfixturevalue("holder_a"), platforms=["aliexpress"])
    listing = ListingFactory(url=portal.market.item_url("aliexpress", "w1"), seller__platform="aliexpress")
    listing.matters.add(matter)
    return {"matter": matter, "listing": listing, "staff": request.getfixturevalue("staff")}


def _capture(given: dict) -> int:
    return capture_request(matter=given["matter"], listing=given["listing"], by=given["staff"]).pk


def _prepare_compile(portal: Portal, request, photos: int = 0) -> dict:
    """Evidence for a compile, uploaded without OCR jobs of its own (they are not the entry point under test)."""
    settings = request.getfixturevalue("settings")
    settings.PORTAL_OCR = False
    matter, staff = request.getfixturevalue("matter_a"), request.getfixturevalue("staff")
    make_right(matter.rights_holder, "CN", "trademark", title="AURORA")
    seller = SellerFactory(platform="alibaba")
    listing, _ = listing_record(matter=matter, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    purchase = TestPurchaseFactory(matter=matter, listing=listing, recorded_by=staff)
    for n in range(photos):
        exhibit_upload(matter=matter, purchase=purchase, kind="product_photo", uploaded_by=staff,
                       upload=ContentFile(samples.image_bytes("JPEG", (2400, 1800)), name=f"p{n}.jpg"))  # fmt: skip
    return {"matter": matter, "staff": staff, "seller": seller}


def _bundle(given: dict) -> int:
    return bundle_request(matter=given["matter"], platform="alibaba", requested_by=given["staff"], overrule=OVERRULED)[
        0
    ].pk


def _prepare_notice(portal: Portal, request) -> dict:
    given = _prepare_compile(portal, request)
    _wording_reviewed()
    return given


def _notice(given: dict) -> int:
    matter = given["matter"]
    return notice_request(matter=matter, seller=given["seller"], scope=Notice.Scope.SELLER, by=given["staff"],
                          rights=list(matter.rights_holder.rights.all()),
                          deadline=timezone.localdate() + datetime.timedelta(days=14)).pk  # fmt: skip


def _dossier(given: dict) -> int:
    return dossier_request(seller=given["seller"], by=given["staff"]).pk


def _read(row) -> bool:
    return row.ocr_status in ("done", "not_needed")


ENTRIES = [
    Entry("exhibit upload (page)", Exhibit, _prepare_page, lambda g: _upload_page(g, json=False), _read),
    Entry("exhibit upload (JSON)", Exhibit, _prepare_page, lambda g: _upload_page(g, json=True), _read),
    Entry("ownership document upload", OwnershipDocument, _prepare_ownership, _ownership_upload, _read),
    Entry("statement signing", OwnershipDocument, _prepare_statement, _statement_signing, _read, slow=False),
    Entry("listing import over 1,000 rows", ListingImport, _prepare_import, _import, lambda r: r.status == "imported"),
    Entry("capture now", Capture, _prepare_capture, _capture, lambda row: row.status == "done"),
    Entry(
        "bundle request",
        Bundle,
        lambda p, r: _prepare_compile(p, r, photos=25),
        _bundle,
        lambda row: row.status == "ready",
    ),  # fmt: skip
    Entry("notice", Notice, _prepare_notice, _notice, lambda row: row.status == "ready", slow=False),
    Entry("dossier compile", Dossier, _prepare_compile, _dossier, lambda row: row.status == "ready", slow=False),
]


# --- What every cell checks ----------------------------------------------------------------------------


def wait_for(predicate, timeout: float, what: str, portal: Portal):
    return support_wait_for(predicate, timeout, what, every=0.05, log=portal.log)


def finished(entry: Entry, pk: int, portal: Portal, timeout: float = 180):
    status = entry.model.job_status_field
    unfinished = ("queued", entry.model.job_running)
    return wait_for(lambda: entry.model._default_manager.exclude(**{f"{status}__in": unfinished}).filter(pk=pk).first(),
                    timeout, f"{entry.name} to finish", portal)  # fmt: skip


def running(entry: Entry, pk: int, portal: Portal):
    """Wait until a worker runs the job (or, for a quick job, has already finished it)."""
    status = entry.model.job_status_field
    return wait_for(lambda: entry.model._default_manager.filter(pk=pk).exclude(**{status: "queued"}).first(),
                    60, f"{entry.name} to start", portal)  # fmt: skip


def every_recorded_file_is_there() -> None:
    from portal.restore import recorded_files

    problems = [f"{f.name} ({f.owner}): {p}" for f in recorded_files() if (p := stored_file_problem(f.name, f.sha256))]
    assert problems == []


def timed_start(entry: Entry, given: dict) -> int:
    started = time.monotonic()
    pk = entry.start(given)
    took = time.monotonic() - started
    assert took < 2, f"{entry.name}: the user waited {took:.1f} s"
    return pk


def succeeded(entry: Entry, row, portal: Portal) -> None:
    error = getattr(row, entry.model.job_error_field)
    assert entry.succeeded(row), f"{entry.name} ended {getattr(row, entry.model.job_status_field)}: {error}"


# --- The cells -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_redis_down_at_the_request(portal, entry, request):
    given = entry.prepare(portal, request)
    jobs_sweep()  # what the preparation started is sent, before the outage
    portal.redis_down()
    pk = timed_start(entry, given)
    assert entry.model._default_manager.get(pk=pk).dispatched_at is None  # recorded, waiting for the broker
    every_recorded_file_is_there()
    portal.redis_up()
    jobs_sweep()
    row = finished(entry, pk, portal)
    succeeded(entry, row, portal)
    assert row.attempts == 1  # done once
    every_recorded_file_is_there()


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.slow], ids=lambda e: e.name)
def test_redis_down_while_the_worker_runs_it(portal, entry, request):
    pk = timed_start(entry, entry.prepare(portal, request))
    running(entry, pk, portal)
    portal.redis_down()
    row = finished(entry, pk, portal)  # the worker needs only the database and the storage to finish
    portal.redis_up()
    jobs_sweep()
    time.sleep(1)
    row.refresh_from_db()
    succeeded(entry, row, portal)
    assert row.attempts == 1
    every_recorded_file_is_there()


@pytest.mark.parametrize("entry", [e for e in ENTRIES if e.slow], ids=lambda e: e.name)
def test_worker_killed_while_it_runs_it(portal, entry, request):
    pk = timed_start(entry, entry.prepare(portal, request))
    seen = running(entry, pk, portal)
    portal.kill_worker()
    portal.start_worker()
    time.sleep(STALL_SECONDS + 1)
    jobs_sweep()  # takes over the job its dead worker held
    row = finished(entry, pk, portal)
    succeeded(entry, row, portal)
    killed_while_running = getattr(seen, entry.model.job_status_field) == entry.model.job_running
    assert row.attempts == (2 if killed_while_running else 1)  # taken over once, done once
    every_recorded_file_is_there()
    if entry.model is Bundle:
        assert Bundle.objects.count() == 1


S3_ENTRIES = [e for e in ENTRIES if e.model is not Bundle]  # a compile's own retries: ``test_storage_outage``


@pytest.mark.s3
@pytest.mark.parametrize("entry", S3_ENTRIES, ids=lambda e: e.name)
def test_s3_down_while_the_worker_runs_it(portal_on_s3, entry, request):
    portal = portal_on_s3
    given = entry.prepare(portal, request)
    jobs_sweep()
    portal.redis_down()  # the job waits, so that the file store is down when the worker takes it
    pk = timed_start(entry, given)
    portal.s3.down()
    portal.redis_up()
    jobs_sweep()
    status, error = entry.model.job_status_field, entry.model.job_error_field
    released = wait_for(lambda: entry.model._default_manager.filter(pk=pk, attempts=1, **{status: "queued"})
                        .exclude(**{error: ""}).first(), 120, f"{entry.name} to be given back", portal)  # fmt: skip
    assert "store could not" in getattr(released, error), getattr(released, error)
    portal.s3.up()
    jobs_sweep()
    row = finished(entry, pk, portal)
    succeeded(entry, row, portal)
    assert row.attempts == 2  # given back once, done once
    every_recorded_file_is_there()


def test_a_photo_uploaded_while_redis_is_down_is_read_and_then_compiled(portal, request, staff, matter_a):
    """The issue's own walk: Redis stopped, a client uploads a photo through the page; the answer is quick and the
    file kept; once Redis is back the photo is read, and a compile requested afterwards succeeds."""
    entry = ENTRIES[0]
    given = entry.prepare(portal, request)
    portal.redis_down()
    pk = timed_start(entry, given)
    portal.redis_up()
    jobs_sweep()
    succeeded(entry, finished(entry, pk, portal), portal)
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    listing, _ = listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html",
                                seller=SellerFactory(platform="alibaba"))  # fmt: skip
    TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    compiled = finished(ENTRIES[6], bundle.pk, portal)
    assert compiled.status == "ready", compiled.error_message
    every_recorded_file_is_there()
