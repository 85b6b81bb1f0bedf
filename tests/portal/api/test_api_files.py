"""The API's files: exhibits uploaded by the page's file policy; bundles and reports listed and downloaded."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit
from portal.services.api_tokens import api_token_create
from tests.support.files import pdf_bytes

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, name='Files')[1]}"})


def upload(caller, matter, content: bytes, name: str = "order.pdf", **fields):
    return caller.post(reverse("api:exhibit_create", args=[matter.reference]),
                       {"file": SimpleUploadedFile(name, content), "kind": "order_confirmation", **fields})  # fmt: skip


def test_a_member_uploads_an_exhibit_hashed_and_in_the_custody_chain(member_a, matter_a):
    content = pdf_bytes("Order 1")
    response = upload(api(member_a), matter_a, content)
    assert response.status_code == 201 and response.json()["sha256"] == hashlib.sha256(content).hexdigest()
    exhibit = Exhibit.objects.get()
    assert CustodyEvent.objects.filter(exhibit=exhibit, action=CustodyEvent.Action.UPLOADED).exists()


def test_a_file_the_policy_refuses_is_refused_with_the_pages_reason(member_a, matter_a):
    response = upload(api(member_a), matter_a, b"<html><script>alert(1)</script></html>", name="order.txt")
    assert response.status_code == 400 and not Exhibit.objects.exists()
    assert response.json()["detail"].startswith("The file contains web page or SVG markup, which is never accepted")


def test_the_same_bytes_twice_are_a_conflict_unless_asked_for(member_a, matter_a):
    caller, content = api(member_a), pdf_bytes("Order 1")
    upload(caller, matter_a, content)
    assert upload(caller, matter_a, content).status_code == 409
    assert upload(caller, matter_a, content, store_duplicate="true").status_code == 201


def test_another_clients_matter_is_not_found_for_upload(member_b, matter_a):
    assert upload(api(member_b), matter_a, pdf_bytes("x")).status_code == 404


def ready_bundle(matter, staff, content: bytes):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portal.models import Bundle

    name = default_storage.save("bundles/test.pdf", ContentFile(content))
    return Bundle.objects.create(matter=matter, platform="alibaba", version=1, inputs_digest="d", status="ready",
                                 requested_by=staff, file=name, sha256=hashlib.sha256(content).hexdigest())  # fmt: skip


def test_a_matters_bundles_list_with_their_download(member_a, matter_a, staff):
    bundle = ready_bundle(matter_a, staff, pdf_bytes("Bundle"))
    [row] = api(member_a).get(reverse("api:bundle_list", args=[matter_a.reference])).json()
    assert row["sha256"] == bundle.sha256 and row["download"] == reverse("api:bundle_download", args=[bundle.pk])


def test_a_bundle_downloads_as_stored_whatever_the_client_accepts(member_a, matter_a, staff):
    content = pdf_bytes("Bundle")
    bundle = ready_bundle(matter_a, staff, content)
    response = api(member_a).get(reverse("api:bundle_download", args=[bundle.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content


def test_another_clients_bundle_is_not_found(member_b, matter_a, staff):
    bundle = ready_bundle(matter_a, staff, pdf_bytes("Bundle"))
    response = api(member_b).get(reverse("api:bundle_download", args=[bundle.pk]), HTTP_ACCEPT="application/pdf")
    assert response.status_code == 404 and response.json() == {"detail": "You have no ready bundle with that id."}


def test_a_members_reports_list_and_download(member_a, matter_a, signing):
    import datetime

    from portal.services.client_reports import client_report_compile, client_report_request

    report = client_report_request(rights_holder=matter_a.rights_holder, month=datetime.date(2026, 3, 1), by=None)
    report = client_report_compile(report_id=report.pk)
    caller = api(member_a)
    [row] = caller.get(reverse("api:report_list")).json()
    downloaded = b"".join(caller.get(row["download"]).streaming_content)
    assert row["month"] == "2026-03-01" and hashlib.sha256(downloaded).hexdigest() == report.sha256


def test_a_file_store_that_cannot_be_read_is_a_503_saying_so(member_a, matter_a, staff, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    bundle = ready_bundle(matter_a, staff, pdf_bytes("Bundle"))

    def down(*args, **kwargs):
        raise ConnectionRefusedError("the store is down")

    monkeypatch.setattr(FileSystemStorage, "open", down)
    response = api(member_a).get(reverse("api:bundle_download", args=[bundle.pk]))
    assert response.status_code == 503 and response.json()["detail"].startswith("The file could not be read")
