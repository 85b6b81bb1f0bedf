"""Every write of the portal app: complaint bundles (request, dispatch, compile, sweep), their filing and answers."""

from __future__ import annotations

import contextlib
import datetime
import logging
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from evidence.models import Exhibit, Listing, Matter, TestPurchase
from evidence.services import listing_set_status
from ownership.checksums import sha256_json
from ownership.files import STORAGE_ERRORS, removed_unless_recorded
from ownership.models import IPRight, OwnershipDocument, User
from ownership.platforms import Platform
from portal.bundle.build import build_signed_bundle
from portal.bundle.errors import BundleError
from portal.celery import app as celery_app
from portal.models import Bundle, ListingOutcome, Submission

logger = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_SECONDS = 30


COMPILE_TASK = "portal.tasks.bundle_compile_task"


class TransientStorageError(Exception):
    """Storage could not be reached; the compile is retried with backoff."""


def bundle_inputs_digest(
    *,
    matter: Matter,
    platform: str,
    rights: Iterable[IPRight],
    listings: Iterable[Listing],
    purchases: Iterable[TestPurchase],
) -> str:
    """SHA-256 over everything a bundle is built from, so equal requests are recognised as one.

    The evidence and the ownership documents are part of it: a file uploaded or withdrawn since the last
    bundle makes the next request a new version rather than a repeat.
    """
    purchases = sorted(p.pk for p in purchases)
    exhibits = Exhibit.objects.for_bundle(matter=matter, purchases=purchases).order_by("pk").values_list("pk", "sha256")
    documents = (
        OwnershipDocument.objects.filter(rights_holder_id=matter.rights_holder_id)
        .order_by("pk")
        .values_list("pk", "sha256")
    )
    description = {
        "matter": matter.pk,
        "platform": platform,
        "rights": sorted(right.pk for right in rights),
        "listings": sorted(listing.pk for listing in listings),
        "purchases": purchases,
        "exhibits": [list(row) for row in exhibits],
        "documents": [list(row) for row in documents],
    }
    return sha256_json(description)


def _selection(matter: Matter, platform: str, listings, purchases) -> tuple[list[Listing], list[TestPurchase]]:
    """The listings and test purchases a bundle covers: the chosen ones, or all of the matter's on the platform."""
    label = Platform(platform).label
    if listings is None:
        listings = matter.listings.filter(platform=platform).order_by("pk")
    if purchases is None:
        purchases = TestPurchase.objects.filter(matter=matter, listing__platform=platform).order_by("pk")
    listings, purchases = list(listings), list(purchases)
    matter_listings = set(matter.listings.values_list("pk", flat=True))
    for listing in listings:
        if listing.pk not in matter_listings:
            raise BundleError(f"Listing {listing} is not part of matter {matter.reference}.")
        if listing.platform != platform:
            raise BundleError(f"Listing {listing} is on {listing.get_platform_display()}, not {label}.")
    for purchase in purchases:
        if purchase.matter_id != matter.pk:
            raise BundleError(f"Test purchase {purchase.order_number} is not part of matter {matter.reference}.")
        if purchase.listing.platform != platform:
            raise BundleError(f"Test purchase {purchase.order_number} was made on another platform than {label}.")
    return listings, purchases


def bundle_request(
    *,
    matter: Matter,
    platform: str,
    requested_by,
    rights: Iterable[IPRight] | None = None,
    listings: Iterable[Listing] | None = None,
    purchases: Iterable[TestPurchase] | None = None,
) -> tuple[Bundle, bool]:
    """Record a compile request and send it to a worker once the transaction commits.

    ``rights``, ``listings`` and ``purchases`` default to all of the matter's (on the platform). The same
    inputs already queued, compiling or ready give back that bundle (``created`` is False) instead of
    starting a second compile.
    """
    if platform not in Platform.values:
        raise BundleError(f"Unknown platform: {platform}.")
    if platform not in matter.platforms:
        raise BundleError(f"Matter {matter.reference} does not target {Platform(platform).label}.")
    rights = list(rights if rights is not None else IPRight.objects.filter(rights_holder=matter.rights_holder))
    foreign = [r for r in rights if r.rights_holder_id != matter.rights_holder_id]
    if foreign:
        raise BundleError(f"{foreign[0]} belongs to another rights holder.")
    listings, purchases = _selection(matter, platform, listings, purchases)
    digest = bundle_inputs_digest(
        matter=matter, platform=platform, rights=rights, listings=listings, purchases=purchases
    )
    try:
        with transaction.atomic():
            # Serialise requests of one matter, so versions and duplicates are decided one at a time.
            Matter.objects.select_for_update().filter(pk=matter.pk).first()
            existing = (
                Bundle.objects.filter(matter=matter, platform=platform, inputs_digest=digest)
                .exclude(status=Bundle.Status.FAILED)
                .order_by("-version")
                .first()
            )
            if existing:
                return existing, False
            last = Bundle.objects.filter(matter=matter, platform=platform).aggregate(v=Max("version"))["v"]
            bundle = Bundle.objects.create(
                matter=matter,
                platform=platform,
                version=(last or 0) + 1,
                inputs_digest=digest,
                requested_by=requested_by,
                progress_message="Waiting for a worker",
            )
            bundle.rights.set(rights)
            bundle.listings.set(listings)
            bundle.purchases.set(purchases)
            transaction.on_commit(lambda: bundle_dispatch(bundle_id=bundle.pk))
            return bundle, True
    except IntegrityError:
        # A concurrent request with the same inputs won the race (SQLite has no row lock to wait on).
        existing = Bundle.objects.active().filter(matter=matter, platform=platform, inputs_digest=digest).first()
        if existing is None:
            raise
        return existing, False


def bundle_dispatch(*, bundle_id: int) -> bool:
    """Hand the compile to the broker. If the broker is down the request stays queued for the sweep.

    The task is looked up by name in the Celery app's registry: the tasks call these services, so importing
    them here would make a cycle.
    """
    try:
        celery_app.tasks[COMPILE_TASK].delay(bundle_id)
    except Exception:
        logger.warning("Bundle %s could not be sent to the broker; the sweep will retry.", bundle_id, exc_info=True)
        return False
    Bundle.objects.filter(pk=bundle_id, dispatched_at__isnull=True).update(dispatched_at=timezone.now())
    return True


def bundle_sweep() -> list[int]:
    """Send again the requests that never reached the broker and the compiles whose worker died."""
    ids = list(Bundle.objects.needing_dispatch().values_list("pk", flat=True))
    for bundle_id in ids:
        Bundle.objects.filter(pk=bundle_id).update(dispatched_at=None)
        bundle_dispatch(bundle_id=bundle_id)
    return ids


def bundle_claim(*, bundle_id: int) -> str | None:
    """Take the bundle for this compile run; None when it is done, failed or held by a live run."""
    token = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        Bundle.objects.filter(pk=bundle_id)
        .claimable(now=now)
        .update(
            status=Bundle.Status.COMPILING,
            claim_token=token,
            started_at=now,
            heartbeat_at=now,
            attempts=F("attempts") + 1,
            progress=0,
            progress_message="Starting",
            error_message="",
        )
    )
    return token if claimed else None


def bundle_progress(*, bundle_id: int, token: str, percent: int, message: str) -> None:
    Bundle.objects.filter(pk=bundle_id, claim_token=token, status=Bundle.Status.COMPILING).update(
        progress=max(0, min(100, percent)), progress_message=message[:200], heartbeat_at=timezone.now()
    )


@contextlib.contextmanager
def bundle_heartbeat(*, bundle_id: int, token: str) -> Iterator[None]:
    """Keep telling the database this run is alive while a long step (merging, signing) runs."""
    stop = threading.Event()

    def beat() -> None:
        from django.db import connection

        try:
            while not stop.wait(HEARTBEAT_INTERVAL_SECONDS):
                Bundle.objects.filter(pk=bundle_id, claim_token=token).update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"bundle-{bundle_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def bundle_release(*, bundle_id: int, token: str, message: str) -> None:
    Bundle.objects.filter(pk=bundle_id, claim_token=token, status=Bundle.Status.COMPILING).update(
        status=Bundle.Status.QUEUED, claim_token="", heartbeat_at=None, progress=0, progress_message=message[:200]
    )


def bundle_fail(*, bundle_id: int, token: str | None, message: str) -> None:
    query = Bundle.objects.filter(pk=bundle_id).exclude(status=Bundle.Status.READY)
    if token:
        query = query.filter(claim_token=token)
    query.update(status=Bundle.Status.FAILED, error_message=message, finished_at=timezone.now(), progress=100)


class CompileOutcome:
    READY = "ready"
    FAILED = "failed"
    ALREADY_DONE = "already done"
    BUSY = "busy"


def bundle_compile(*, bundle_id: int) -> str:
    """Compile, sign and store one bundle; exactly one run of a bundle ever marks it ready.

    Called by the worker task (and by ``manage.py compile_bundle``). A run first claims the bundle; a
    run that cannot (the bundle is done, or another live run holds it) does nothing.
    """
    token = bundle_claim(bundle_id=bundle_id)
    if token is None:
        status = Bundle.objects.filter(pk=bundle_id).values_list("status", flat=True).first()
        return {
            Bundle.Status.READY: CompileOutcome.ALREADY_DONE,
            Bundle.Status.FAILED: CompileOutcome.FAILED,
            None: CompileOutcome.FAILED,
        }.get(status, CompileOutcome.BUSY)
    bundle = Bundle.objects.select_related("matter__rights_holder", "requested_by").get(pk=bundle_id)

    def progress(percent: int, message: str) -> None:
        bundle_progress(bundle_id=bundle_id, token=token, percent=percent, message=message)

    try:
        with bundle_heartbeat(bundle_id=bundle_id, token=token), tempfile.TemporaryDirectory() as workdir:
            built = build_signed_bundle(bundle, workdir=Path(workdir), progress=progress)
            progress(95, "Storing the signed bundle")
            name = _store_bundle_file(bundle, built.path)
    except BundleError as exc:
        bundle_fail(bundle_id=bundle_id, token=token, message=str(exc))
        return CompileOutcome.FAILED
    except (TransientStorageError, *STORAGE_ERRORS) as exc:
        # Storage is down (reading the exhibits back, or storing the result): nothing was stored. Hand the
        # bundle back to the queue at once, so the task's retry can claim it without waiting for a stall.
        bundle_release(bundle_id=bundle_id, token=token, message="The file storage could not be reached; retrying")
        raise TransientStorageError(type(exc).__name__) from exc
    with removed_unless_recorded(name), transaction.atomic():
        won = Bundle.objects.filter(pk=bundle_id, claim_token=token, status=Bundle.Status.COMPILING).update(
            status=Bundle.Status.READY,
            file=name,
            page_count=built.page_count,
            size=built.size,
            exhibit_count=built.exhibit_count,
            sha256=built.sha256,
            unsigned_sha256=built.unsigned_sha256,
            manifest_sha256=built.manifest_sha256,
            signer_fingerprint=built.signer_fingerprint,
            progress=100,
            progress_message="Ready",
            finished_at=timezone.now(),
        )
        if won:
            built.on_ready(bundle)
            transaction.on_commit(lambda: bundle_ready_notify(bundle_id=bundle_id))
    if not won:
        # Another run finished first (this one was taken for dead): keep exactly one file.
        default_storage.delete(name)
        return CompileOutcome.ALREADY_DONE
    return CompileOutcome.READY


def bundle_ready_notify(*, bundle_id: int) -> int:
    """E-mail the matter's client members that the bundle is ready; returns how many were sent.

    One message per person, so no client sees another's address. A mail failure is logged, never undoes
    the bundle.
    """
    bundle = Bundle.objects.select_related("matter__rights_holder").get(pk=bundle_id)
    recipients = User.objects.filter(
        is_active=True, memberships__rights_holder=bundle.matter.rights_holder_id
    ).distinct()
    matter_url = settings.PORTAL_BASE_URL + reverse("web:matter_detail", args=[bundle.matter.reference]) + "#bundles"
    sent = 0
    for user in recipients:
        context = {"bundle": bundle, "user": user, "matter_url": matter_url, "firm_name": settings.PORTAL_FIRM_NAME}
        subject = " ".join(render_to_string("portal/email/bundle_ready_subject.txt", context).split())
        try:
            sent += send_mail(subject, render_to_string("portal/email/bundle_ready.txt", context), None, [user.email])
        except Exception:
            logger.warning("Could not e-mail %s that bundle %s is ready.", user.email, bundle_id, exc_info=True)
    return sent


def _store_bundle_file(bundle: Bundle, path: Path) -> str:
    key = f"bundles/{bundle.matter.reference}/{bundle.platform}-v{bundle.version}-{uuid.uuid4().hex[:12]}.pdf"
    try:
        with open(path, "rb") as signed:
            return default_storage.save(key, File(signed))
    except STORAGE_ERRORS as exc:
        with contextlib.suppress(*STORAGE_ERRORS):
            default_storage.delete(key)  # never a partial bundle
        raise TransientStorageError(type(exc).__name__) from exc


# --- Submissions and the platforms' answers ---------------------------------------------------------


@transaction.atomic
def submission_record(
    *, bundle: Bundle, platform_reference: str, submitted_on: datetime.date, submitted_by, notes: str = ""
) -> Submission:
    """Record that a ready bundle was filed with its platform; its listings become reported, answers pending."""
    if bundle.status != Bundle.Status.READY:
        raise ValidationError(f"{bundle} is {bundle.get_status_display().lower()}: only a ready bundle can be filed.")
    submission = Submission(
        bundle=bundle,
        platform_reference=platform_reference.strip(),
        submitted_on=submitted_on,
        submitted_by=submitted_by,
        notes=notes,
    )
    submission.full_clean()
    submission.save()
    for listing in bundle.listings.all():
        ListingOutcome.objects.create(submission=submission, listing=listing)
        if listing.status != Listing.Status.REMOVED:
            listing_set_status(listing=listing, status=Listing.Status.REPORTED)
    if bundle.matter.status in (Matter.Status.INVESTIGATING, Matter.Status.PREPARING):
        Matter.objects.filter(pk=bundle.matter_id).update(status=Matter.Status.SUBMITTED)
    return submission


# The listing's status once the platform has answered: removed listings are down, a rejected complaint
# leaves the listing up, and a counter-notice keeps the dispute open.
LISTING_STATUS_AFTER = {
    ListingOutcome.Outcome.REMOVED: Listing.Status.REMOVED,
    ListingOutcome.Outcome.REJECTED: Listing.Status.ACTIVE,
    ListingOutcome.Outcome.COUNTER_NOTICE: Listing.Status.REPORTED,
}


@transaction.atomic
def listing_outcome_record(
    *,
    outcome: ListingOutcome,
    result: str,
    recorded_by,
    reason: str = "",
    counter_notice_received_on: datetime.date | None = None,
    answer_by: datetime.date | None = None,
) -> ListingOutcome:
    """Record the platform's answer for one listing; the listing's status (and so its seller's record) follows."""
    outcome.outcome = result
    outcome.reason = reason.strip()
    outcome.counter_notice_received_on = counter_notice_received_on
    outcome.answer_by = answer_by
    outcome.recorded_by = recorded_by
    outcome.recorded_at = timezone.now()
    outcome.full_clean()
    outcome.save()
    if result in LISTING_STATUS_AFTER:
        listing_set_status(listing=outcome.listing, status=LISTING_STATUS_AFTER[result])
    return outcome
