"""Background work: a broker that is down never reaches the caller nor costs a stored file; the sweep resends."""

import time

import pytest
from celery import current_app
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import transaction
from kombu.exceptions import OperationalError

from evidence.models import Exhibit
from evidence.services import exhibit_upload
from ownership.shared.files.storage import recorded_or_removed
from ownership.shared.jobs import MAX_TRIES, job_send, jobs_sweep
from tests.support import files as samples
from tests.support.services import app_broker, free_port


def refuse(args):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def ocr_task(settings, monkeypatch):
    settings.PORTAL_OCR = True
    return current_app.tasks[Exhibit.job_task]


def upload_photo(matter, staff) -> Exhibit:
    return exhibit_upload(matter=matter, kind="product_photo", uploaded_by=staff,
                          upload=ContentFile(samples.image_bytes("PNG", (40, 30)), name="photo.png"))  # fmt: skip


def test_an_upload_while_the_broker_is_down_keeps_its_file_and_waits_for_the_sweep(
    transactional_db, matter_a, staff, ocr_task, monkeypatch
):
    monkeypatch.setattr(ocr_task, "apply_async", refuse)
    exhibit = upload_photo(matter_a, staff)  # commits for real: the broker's refusal comes after the commit
    exhibit.refresh_from_db()
    assert default_storage.exists(exhibit.file.name)
    assert (exhibit.ocr_status, exhibit.dispatched_at) == (Exhibit.OcrStatus.QUEUED, None)


def test_the_sweep_sends_the_work_once_the_broker_is_back(transactional_db, matter_a, staff, ocr_task, monkeypatch):
    monkeypatch.setattr(ocr_task, "apply_async", refuse)
    exhibit = upload_photo(matter_a, staff)
    monkeypatch.setattr(ocr_task, "apply_async", lambda args: ocr_task.apply(args=args))  # the broker is back
    assert jobs_sweep()["evidence.exhibit"] == 1
    exhibit.refresh_from_db()
    assert exhibit.ocr_status not in (Exhibit.OcrStatus.QUEUED, Exhibit.OcrStatus.RUNNING)
    assert exhibit.dispatched_at is not None and exhibit.attempts == 1
    assert jobs_sweep()["evidence.exhibit"] == 0  # done: nothing is sent twice


def test_a_failure_after_the_commit_never_removes_the_committed_file(transactional_db, matter_a, staff):
    name = default_storage.save("exhibits/test/kept.txt", ContentFile(b"evidence"))

    def broken_hook():
        raise RuntimeError("a hook failed after the commit")

    with pytest.raises(RuntimeError), recorded_or_removed(name):
        transaction.on_commit(broken_hook)
    assert default_storage.exists(name)


def test_a_recording_that_rolls_back_removes_its_file(transactional_db):
    name = default_storage.save("exhibits/test/orphan.txt", ContentFile(b"evidence"))
    with pytest.raises(ValueError), recorded_or_removed(name):
        raise ValueError("the row could not be written")
    assert not default_storage.exists(name)


def test_sending_to_a_broker_that_is_down_answers_within_two_seconds(transactional_db, matter_a, staff, settings):
    settings.PORTAL_OCR = False
    exhibit = upload_photo(matter_a, staff)
    app = current_app
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
            started = time.monotonic()
            assert job_send(Exhibit, exhibit.pk) is False
            took = time.monotonic() - started
    finally:
        app.conf.task_always_eager = eager
    assert took < 2, f"the request waited {took:.1f} s on the broker"


def test_a_reading_while_the_file_store_is_down_goes_back_to_the_queue_and_is_done_once_it_is_back(
    transactional_db, matter_a, staff, ocr_task, monkeypatch
):
    monkeypatch.setattr(ocr_task, "apply_async", lambda args: ocr_task.apply(args=args))
    stored_open = FileSystemStorage.open

    def store_down(storage, name, mode="rb"):
        raise ConnectionRefusedError("the file store is down")

    monkeypatch.setattr(FileSystemStorage, "open", store_down)
    exhibit = upload_photo(matter_a, staff)
    exhibit.refresh_from_db()
    assert exhibit.ocr_status == Exhibit.OcrStatus.QUEUED and exhibit.dispatched_at is None
    assert exhibit.ocr_error.startswith("The file store could not be reached (ConnectionRefusedError)")
    monkeypatch.setattr(FileSystemStorage, "open", stored_open)
    jobs_sweep()
    exhibit.refresh_from_db()
    assert exhibit.ocr_status in (Exhibit.OcrStatus.DONE, Exhibit.OcrStatus.NOT_NEEDED) and exhibit.attempts == 2


def test_work_that_never_succeeds_fails_with_its_last_reason_after_its_tries(transactional_db, matter_a, staff):
    exhibit = upload_photo(matter_a, staff)
    Exhibit.objects.filter(pk=exhibit.pk).update(
        ocr_status=Exhibit.OcrStatus.QUEUED, attempts=MAX_TRIES, ocr_error="The file store could not be reached."
    )
    jobs_sweep()
    failed = Exhibit.objects.get(pk=exhibit.pk)
    assert failed.ocr_status == Exhibit.OcrStatus.FAILED
    assert (
        failed.ocr_error
        == f"Tried {MAX_TRIES} times without success; the last time: The file store could not be reached."
    )


def test_a_sweep_while_the_broker_is_down_tries_once_and_leaves_the_rest_waiting(
    transactional_db, matter_a, staff, ocr_task, monkeypatch
):
    tried: list[int] = []

    def refuse_and_count(args):
        tried.append(args[0])
        refuse(args)

    monkeypatch.setattr(ocr_task, "apply_async", refuse_and_count)
    for _ in range(3):
        upload_photo(matter_a, staff)
    tried.clear()
    assert jobs_sweep()["evidence.exhibit"] == 0
    assert len(tried) == 1  # not one refusal (and one logged traceback) per waiting job
    assert Exhibit.objects.filter(dispatched_at__isnull=True, ocr_status=Exhibit.OcrStatus.QUEUED).count() == 3


def test_a_refused_batch_leaves_every_job_of_it_for_the_sweep(transactional_db, matter_a, staff, settings):
    settings.PORTAL_OCR = False
    exhibits = [upload_photo(matter_a, staff) for _ in range(3)]
    app = current_app
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with app_broker(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
            assert job_send(Exhibit, *(exhibit.pk for exhibit in exhibits)) is False
    finally:
        app.conf.task_always_eager = eager
    assert not Exhibit.objects.filter(dispatched_at__isnull=False).exists()
