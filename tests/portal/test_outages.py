"""The database drops the connection in the middle of a request: a clear 503, and nothing half kept."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from evidence.models import Exhibit
from portal.outages import MESSAGE
from tests.support import files as samples


def upload(client, matter, **headers):
    return client.post(reverse("web:exhibit_create", args=[matter.reference]),
                       {"files": SimpleUploadedFile("order.pdf", samples.pdf_bytes(), "application/pdf"),
                        "kind": "order_confirmation"}, **headers)  # fmt: skip


def connection_lost(**kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_an_upload_whose_database_goes_away_is_told_to_try_again_and_keeps_nothing(member_a, matter_a, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(member_a)
    monkeypatch.setattr("evidence.services.custody_record", connection_lost)
    response = upload(client, matter_a)
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert MESSAGE in response.content.decode()
    assert not Exhibit.objects.exists()
    assert not default_storage.exists(f"exhibits/{matter_a.reference}") or (
        default_storage.listdir(f"exhibits/{matter_a.reference}")[1] == []
    )


def test_an_upload_asking_for_json_gets_the_reason_as_json(member_a, matter_a, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(member_a)
    monkeypatch.setattr("evidence.services.custody_record", connection_lost)
    response = upload(client, matter_a, HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response.json() == {"error": MESSAGE}


def test_any_other_error_is_still_the_server_error_page(member_a, matter_a, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(member_a)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("evidence.services.custody_record", broken)
    assert upload(client, matter_a).status_code == 500
