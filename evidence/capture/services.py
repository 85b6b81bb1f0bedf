"""Every write of a capture: asking for one, running it, storing what it made, and the takedown schedule.

A capture is asked for (``capture_request``, a row and a task on the ``capture`` queue), then run by a capture
worker (``capture_run``): the browser works in a temporary directory, and only when everything is made (the
record signed, every file hashed) are the files stored as exhibits, in one transaction with their custody
entries. A failure stores its reason and no exhibit.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from evidence.capture import archive, record
from evidence.capture.browser import CaptureBrowser, CaptureFailed, PageCapture
from evidence.capture.pages import read_page, removal_reason
from evidence.capture.pages.contacts import contacts_in
from evidence.capture.safety import SCHEMES
from evidence.models import Capture, Exhibit, Listing, Matter, MatterListing, TakedownWatch
from evidence.services import exhibit_upload, listing_reappeared_announce, listing_set_status
from ownership.shared.audit import AuditEvent, audit_batch, audit_change
from ownership.shared.checksums import sha256_path
from ownership.shared.events import event_record
from ownership.shared.files.storage import STORAGE_ERRORS, StorageUnavailable, recorded_or_removed
from ownership.shared.jobs import job_claim, job_dispatch, job_finish, job_heartbeat, job_release
from ownership.shared.registry import IssuedDocument, document_issue
from ownership.shared.users import User

_browser: CaptureBrowser | None = None  # one per worker process, started on its first capture


def worker_browser() -> CaptureBrowser:
    global _browser
    if _browser is None:
        _browser = CaptureBrowser()
    return _browser


@transaction.atomic
def capture_request(
    *, matter: Matter, by: User | None, listing: Listing | None = None, url: str = "",
    purpose: str = Capture.Purpose.EVIDENCE, enqueue: bool = True,
) -> Capture:  # fmt: skip
    """Queue a capture of ``listing`` (or of ``url``) for ``matter``; the capture worker takes it (or, with
    ``enqueue=False``, the caller runs it with ``capture_run``)."""
    url = listing.url if listing is not None else url.strip()
    if url.split(":", 1)[0].lower() not in SCHEMES:
        raise ValidationError({"url": "Only http and https pages can be captured."})
    if listing is not None and not listing.matters.filter(pk=matter.pk).exists():
        raise ValidationError({"listing": f"The listing is not part of {matter.reference}."})
    capture = Capture(matter=matter, listing=listing, requested_url=url, requested_by=by, purpose=purpose)
    capture.full_clean()
    capture.save()
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=capture, fields=["requested_url", "purpose"])
    if enqueue:
        job_dispatch(capture)
    return capture


class _TakenOver(Exception):
    """Another run holds the capture now (this one was taken for dead): what this run made is not kept."""


def capture_run(*, capture_id: int, browser: CaptureBrowser | None = None) -> Capture:
    """Run a queued capture and store what it made; a capture held by another live run is left alone."""
    token = job_claim(Capture, capture_id, started_at=timezone.now())
    capture = Capture.objects.select_related("matter", "listing", "requested_by").get(pk=capture_id)
    if token is None:
        return capture
    with job_heartbeat(Capture, capture_id, token), tempfile.TemporaryDirectory(prefix="capture-") as folder:
        try:
            page = (browser or worker_browser()).capture(capture.requested_url, Path(folder))
            made = _make_files(capture, page, Path(folder))
            _store(capture, page, made, token=token)
        except CaptureFailed as exc:
            return _fail(capture, str(exc), token=token)
        except (*STORAGE_ERRORS, StorageUnavailable) as exc:
            job_release(Capture, capture_id, token, reason=f"The evidence store could not take the files "
                        f"({type(exc).__name__}); the capture is made again by the next sweep.")  # fmt: skip
            capture.refresh_from_db()
        except _TakenOver:
            capture.refresh_from_db()
    return capture


CAPTURE_TIME_LIMIT = 300  # seconds: the capture task's hard limit (evidence.tasks), above the capture's own 45 s


def capture_stopped(*, capture_id: int) -> Capture:
    """A capture whose task hit its time limit: failed, with the reason (nothing of it was stored)."""
    return _fail(Capture.objects.get(pk=capture_id), "The capture took too long and was stopped; nothing was stored.",
                 token=None)  # fmt: skip


@transaction.atomic
def _fail(capture: Capture, reason: str, *, token: str | None) -> Capture:
    if job_finish(capture, status=Capture.Status.FAILED, token=token, error=reason, finished_at=timezone.now()):
        event_record(event_type="capture.failed", rights_holder_id=capture.matter.rights_holder_id, data={
            "capture": {"id": capture.pk, "matter": capture.matter.reference, "url": capture.requested_url,
                        "reason": reason},
        })  # fmt: skip
    return capture


def requester(capture: Capture) -> str:
    """Who asked for the capture, as its signed record names them: the user; for a check with nobody named, the
    takedown schedule; otherwise a command run on the server without ``--by`` (pages always name their user)."""
    who = capture.requested_by
    if who is not None:
        return who.get_full_name() or who.email
    if capture.purpose == Capture.Purpose.CHECK:
        return "the takedown schedule"
    return "a command run on the portal's server, with no user named"


def _make_files(capture: Capture, page: PageCapture, folder: Path) -> dict[str, Path]:
    """The files of the capture, in the order they become exhibits: the signed record first.

    The web archive carries the record too, as its provenance: the same facts, less the archive's own hash.
    """
    assert page.screenshot and page.pdf and page.warc
    files = {"screenshot.png": page.screenshot, "page.pdf": page.pdf}

    def stated(files: dict[str, Path]) -> dict:
        return record.record_data(page, capture_id=capture.pk, matter=capture.matter.reference,
                                  requested_by=requester(capture),
                                  files={name: sha256_path(path) for name, path in files.items()})  # fmt: skip

    provenance = stated(files)
    try:
        files["capture.wacz"] = archive.pack(page.warc, folder / "capture.wacz", url=page.final_url,
                                             title=page.title, captured_at=page.started_at,
                                             provenance=record.canonical(provenance))  # fmt: skip
    except RuntimeError as exc:
        raise CaptureFailed(str(exc)) from None
    data = stated(files)
    body = record.canonical(data)
    stamp = record.timestamp(body)
    capture.record_sha256 = hashlib.sha256(body).hexdigest()
    capture.record_timestamp = stamp.token if stamp else b""
    record_path = record.record_pdf(data, capture.record_sha256, stamp, folder / "capture-record.pdf", record=body)
    return {"capture-record.pdf": record_path, **files}


DESCRIPTIONS = {
    "capture-record.pdf": (Exhibit.Kind.CAPTURE_RECORD, "Capture record, signed by the firm"),
    "screenshot.png": (Exhibit.Kind.LISTING_CAPTURE, "Full-page screenshot"),
    "page.pdf": (Exhibit.Kind.LISTING_CAPTURE, "The page printed to PDF by the browser"),
    "capture.wacz": (Exhibit.Kind.WEB_ARCHIVE, "Web archive (WACZ) of every request and response"),
}


def _store(capture: Capture, page: PageCapture, made: dict[str, Path], *, token: str) -> None:
    """Store the files as exhibits, fill in the capture and finish it, all in one transaction; if it rolls back
    the files already stored are removed again (never once it has committed)."""
    with recorded_or_removed() as stored:
        for name, path in made.items():
            kind, what = DESCRIPTIONS[name]
            with open(path, "rb") as stream:
                exhibit = exhibit_upload(
                    matter=capture.matter, upload=File(stream, name=f"capture-{capture.pk}-{name}"), kind=kind,
                    uploaded_by=capture.requested_by, description=f"{what}: {page.final_url}"[:500],
                    captured_at=page.started_at, source_url=page.final_url[:1000], capture=capture,
                )  # fmt: skip
            stored.append(str(exhibit.file.name))
            if kind == Exhibit.Kind.CAPTURE_RECORD:
                document_issue(
                    kind=IssuedDocument.Kind.CAPTURE_RECORD, obj=capture, sha256=exhibit.sha256,
                    by=capture.requested_by, matter_reference=capture.matter.reference,
                    certifies=f"Capture record {capture.pk} of {page.final_url}, made by the portal's browser on "
                    f"{page.started_at:%d %B %Y at %H:%M:%S} UTC; record SHA-256 {capture.record_sha256}",
                )  # fmt: skip
        _fill(capture, page)
        if capture.purpose == Capture.Purpose.CHECK:
            _check_recorded(capture, page)
        elif capture.listing is not None:
            link = _listing_facts_filled(capture)
            if link is not None:
                _flag_if_back_under_a_new_url(link, by=capture.requested_by)
        if not job_finish(capture, status=Capture.Status.DONE, token=token, finished_at=page.finished_at):
            raise _TakenOver


def _fill(capture: Capture, page: PageCapture) -> None:
    platform = capture.listing.platform if capture.listing else ""
    facts = read_page(platform, page.html, page.final_url)
    capture.final_url, capture.redirects, capture.http_status = page.final_url, page.redirects, page.status
    capture.response_headers = [[name, value] for name, value in page.headers]
    capture.server_ip = page.server_ip or None
    capture.tls_certificates = [record.certificate_facts(der) for der in page.certificates]
    capture.browser, capture.user_agent, capture.viewport = page.browser, page.user_agent, page.viewport
    capture.portal_version = settings.PORTAL_VERSION
    capture.requests_made, capture.bytes_received = page.requests_made, page.bytes_received
    contacts = contacts_in(page.html, platform)
    capture.refused_requests = page.refused
    capture.page_facts = {**facts.as_dict(), **({"contacts": contacts} if contacts else {})}
    if capture.purpose == Capture.Purpose.CHECK:
        gone = removal_reason(platform, status=page.status, page_html=page.html, final_url=page.final_url,
                              requested_url=capture.requested_url)  # fmt: skip
        capture.outcome = Capture.Outcome.REMOVED if gone else Capture.Outcome.ONLINE
        capture.outcome_reason = gone or f"the page answers {page.status} and shows the listing"
    capture.save(update_fields=RECORD_FIELDS)


# What a run records of the visit (the lifecycle fields are written by ``job_finish``).
RECORD_FIELDS = [
    "final_url", "redirects", "http_status", "response_headers", "server_ip", "tls_certificates", "browser",
    "user_agent", "viewport", "portal_version", "requests_made", "bytes_received", "refused_requests",
    "page_facts", "outcome", "outcome_reason", "record_sha256", "record_timestamp",
]  # fmt: skip


FILLABLE = ("title", "price", "currency")  # page facts that are also listing facts of the same name


def _listing_facts_filled(capture: Capture) -> MatterListing | None:
    """Fill the empty facts of the capture's listing in the capture's matter from what its page says; another
    matter's facts are not touched, and a recorded value is never overwritten (the capture page shows any
    difference beside it)."""
    if capture.listing_id is None:
        return None
    link = MatterListing.objects.filter(listing_id=capture.listing_id, matter_id=capture.matter_id).first()
    if link is None:
        return None
    facts = capture.page_facts
    changed = [name for name in FILLABLE if facts.get(name) and getattr(link, name) in ("", None)]
    for name in changed:
        setattr(link, name, facts[name][:500])  # the longest of these fields (the title) holds 500
    if changed:
        link.save(update_fields=changed)
        audit_change(action=AuditEvent.Action.CHANGED, actor=capture.requested_by, obj=link, fields=changed)
    return link


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def _flag_if_back_under_a_new_url(link: MatterListing, *, by: User | None) -> None:
    """A live listing whose seller had a listing of the same title removed, in this client's matters (by the
    titles those matters recorded), is the removed one back under a new URL: flagged reappeared."""
    listing = link.listing
    if listing.status != Listing.Status.ACTIVE or listing.seller_id is None or not link.title.strip():
        return
    removed_titles = (
        MatterListing.objects.filter(listing__seller_id=listing.seller_id, listing__status=Listing.Status.REMOVED,
                                     matter__rights_holder_id=link.matter.rights_holder_id)
        .exclude(listing_id=listing.pk)
        .values_list("title", flat=True)
    )  # fmt: skip
    if _title_key(link.title) in {_title_key(title) for title in removed_titles}:
        listing_set_status(listing=listing, status=Listing.Status.REAPPEARED, by=by)
        listing_reappeared_announce(listing=listing, matter=link.matter,
                                    how="a removed listing of the same seller and title, under a new URL")  # fmt: skip


# --- Takedown checks -------------------------------------------------------------------------------


def next_check_at(filed_at: datetime.datetime, after: datetime.datetime) -> datetime.datetime | None:
    """The first scheduled check later than ``after``: daily for the first days after filing, then weekly,
    until the schedule ends (``PORTAL_TAKEDOWN_*`` settings); None once it has ended."""
    daily = settings.PORTAL_TAKEDOWN_DAILY_DAYS
    day = 1
    while day <= settings.PORTAL_TAKEDOWN_UNTIL_DAYS:
        moment = filed_at + datetime.timedelta(days=day)
        if moment > after:
            return moment
        day += 1 if day < daily else 7
    return None


@transaction.atomic
def takedown_watches_start(*, listing_ids: list[int], matter: Matter, filed_at: datetime.datetime) -> None:
    """Watch many reported listings from one filing, in two writes: the watches they already have start again,
    the others are created."""
    schedule = {
        "filed_at": filed_at, "next_check_at": next_check_at(filed_at, filed_at),
        "checks_until": filed_at + datetime.timedelta(days=settings.PORTAL_TAKEDOWN_UNTIL_DAYS),
        "removal_confirmed_at": None, "online_flagged_at": None,
    }  # fmt: skip
    watched = TakedownWatch.objects.filter(matter=matter, listing_id__in=listing_ids)
    known = set(watched.values_list("listing_id", flat=True))
    watched.update(**schedule)
    TakedownWatch.objects.bulk_create(
        [TakedownWatch(listing_id=pk, matter=matter, **schedule) for pk in listing_ids if pk not in known],
        batch_size=2000,
    )


CHECK_BATCH = 1000  # watches queued per transaction


def takedown_checks_due(*, now: datetime.datetime | None = None, every_watch: bool = False) -> int:
    """Queue a check of every watched listing whose time has come (with ``every_watch``, of every listing still
    watched); returns how many were queued.

    Watches are taken a batch at a time (rows another run holds are skipped), and each batch is written in
    sets: its captures in one insert, one audit entry naming them, one update per new check date."""
    now = now or timezone.now()
    due = TakedownWatch.objects.exclude(next_check_at=None)
    if not every_watch:
        due = due.filter(next_check_at__lte=now)
    queued, last = 0, 0
    while True:
        with transaction.atomic():
            watches = list(
                due.filter(pk__gt=last).select_for_update(skip_locked=True, of=("self",))
                .select_related("listing").order_by("pk")[:CHECK_BATCH]
            )  # fmt: skip
            if not watches:
                return queued
            last = watches[-1].pk
            captures = Capture.objects.bulk_create([
                Capture(matter_id=watch.matter_id, listing=watch.listing, requested_url=watch.listing.url,
                        purpose=Capture.Purpose.CHECK)
                for watch in watches
            ])  # fmt: skip
            audit_batch(
                action=AuditEvent.Action.ADDED, actor=None, model=Capture, pks=[capture.pk for capture in captures],
                fields=["requested_url", "purpose"], label=f"{len(captures)} takedown checks queued",
            )  # fmt: skip
            next_dates: dict[datetime.datetime | None, list[int]] = {}
            for watch in watches:
                next_dates.setdefault(next_check_at(watch.filed_at, now), []).append(watch.pk)
            for when, pks in next_dates.items():
                TakedownWatch.objects.filter(pk__in=pks).update(next_check_at=when)
            job_dispatch(*captures)
            queued += len(captures)


def _check_recorded(capture: Capture, page: PageCapture) -> None:
    """What a takedown check found, on the listing and its watch: removal confirmed, reappeared, or flagged
    still online once the grace period after filing has passed."""
    listing = capture.listing
    assert listing is not None
    watch = TakedownWatch.objects.select_for_update().filter(listing=listing, matter=capture.matter).first()
    now = capture.finished_at or timezone.now()
    if capture.outcome == Capture.Outcome.REMOVED:
        if listing.status != Listing.Status.REMOVED:
            listing_set_status(listing=listing, status=Listing.Status.REMOVED)
        if watch is not None and watch.removal_confirmed_at is None:
            watch.removal_confirmed_at = now
    elif listing.status == Listing.Status.REMOVED:
        listing_set_status(listing=listing, status=Listing.Status.REAPPEARED)
        listing_reappeared_announce(listing=listing, matter=capture.matter, how="online again at a takedown check")
        capture.outcome = Capture.Outcome.REAPPEARED
        capture.outcome_reason = "the listing was removed and is online again: " + capture.outcome_reason
        capture.save(update_fields=["outcome", "outcome_reason"])
    elif watch is not None and watch.online_flagged_at is None and watch.removal_confirmed_at is None:
        grace = datetime.timedelta(days=settings.PORTAL_TAKEDOWN_FLAG_AFTER_DAYS)
        watch.online_flagged_at = now if now - watch.filed_at >= grace else None
    if watch is not None:
        watch.last_capture = capture
        watch.save(update_fields=["removal_confirmed_at", "online_flagged_at", "last_capture"])
