"""Uploading and downloading exhibits through the matter page's endpoints."""

import hashlib
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit
from tests.evidence.factories import TestPurchaseFactory
from tests.support import files as samples


def post_file(client, matter, data, name, *, json=True, query="", **fields):
    return client.post(
        reverse("web:exhibit_create", args=[matter.reference]) + query,
        {"files": SimpleUploadedFile(name, data), "kind": "product_photo", "description": "Front", **fields},
        headers={"Accept": "application/json"} if json else {},
        follow=not json,
    )


def test_member_uploads_and_gets_the_hash(client, member_a, matter_a):
    data = samples.image_bytes("JPEG")
    client.force_login(member_a)
    response = post_file(client, matter_a, data, "front.jpg")
    assert response.status_code == 201
    assert response.json() == {
        "ok": True,
        "name": "front.jpg",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "warning": "",
    }
    assert Exhibit.objects.get().uploaded_by == member_a


def test_refused_upload_says_why_and_stores_nothing(client, member_a, matter_a):
    client.force_login(member_a)
    response = post_file(client, matter_a, b'<svg onload="alert(1)"></svg>', "logo.png")
    assert response.status_code == 400
    assert "web page or SVG markup" in response.json()["error"]
    assert not Exhibit.objects.exists()


def test_upload_to_a_purchase_attaches_the_exhibit(client, member_a, matter_a):
    purchase = TestPurchaseFactory(matter=matter_a)
    client.force_login(member_a)
    assert (
        post_file(client, matter_a, samples.pdf_bytes(), "o.pdf", query=f"?purchase={purchase.pk}").status_code == 201
    )
    assert Exhibit.objects.get().purchase == purchase


def test_member_of_another_holder_cannot_upload(client, member_b, matter_a):
    client.force_login(member_b)
    assert post_file(client, matter_a, samples.pdf_bytes(), "o.pdf").status_code == 404
    assert not Exhibit.objects.exists()


def test_viewer_cannot_upload(client, member_a, matter_a):
    member_a.memberships.update(role="viewer")
    client.force_login(member_a)
    assert post_file(client, matter_a, samples.pdf_bytes(), "o.pdf").status_code == 403


def test_plain_form_upload_redirects_with_the_hash_in_a_message(client, member_a, matter_a):
    data = samples.pdf_bytes()
    client.force_login(member_a)
    response = client.post(
        reverse("web:exhibit_create", args=[matter_a.reference]),
        {"files": SimpleUploadedFile("o.pdf", data), "kind": "other", "description": ""},
        follow=True,
    )
    assert hashlib.sha256(data).hexdigest() in response.content.decode()


def test_download_streams_the_file_and_is_logged_in_custody(client, member_a, matter_a):
    client.force_login(member_a)
    post_file(client, matter_a, samples.pdf_bytes(), "order.pdf")
    exhibit = Exhibit.objects.get()
    response = client.get(reverse("web:exhibit_download", args=[exhibit.pk]))
    assert b"".join(response.streaming_content) == samples.pdf_bytes()
    assert response["Content-Disposition"] == 'attachment; filename="order.pdf"'
    assert CustodyEvent.objects.filter(action="downloaded", actor=member_a, exhibit=exhibit).exists()


def test_other_holders_exhibit_download_is_not_found(client, member_a, member_b, matter_a):
    client.force_login(member_a)
    post_file(client, matter_a, samples.pdf_bytes(), "order.pdf")
    client.force_login(member_b)
    assert client.get(reverse("web:exhibit_download", args=[Exhibit.objects.get().pk])).status_code == 404


def test_matter_page_lists_exhibits_and_custody(client, member_a, matter_a):
    client.force_login(member_a)
    post_file(client, matter_a, samples.pdf_bytes(), "order.pdf")
    page = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    exhibit = Exhibit.objects.get()
    assert "order.pdf" in page and exhibit.sha256 in page and "Uploaded" in page


def test_the_same_bytes_again_are_pointed_out_with_a_link_to_the_first_exhibit_and_not_stored(
    client, member_a, matter_a
):
    data = samples.image_bytes("JPEG")
    client.force_login(member_a)
    post_file(client, matter_a, data, "front.jpg")
    first = Exhibit.objects.get()
    response = post_file(client, matter_a, data, "front-again.jpg")
    assert response.status_code == 409
    answer = response.json()
    assert answer["duplicate"] == {"label": first.label, "url": reverse("web:exhibit_download", args=[first.pk])}
    assert answer["error"].startswith(f"This file is identical to {first.label} (front.jpg, uploaded ")
    assert Exhibit.objects.count() == 1
    stored = [path for path in Path(default_storage.location).rglob("*") if path.is_file()]
    assert [path.name for path in stored] == [Path(first.file.name).name]  # the second copy was removed again


def test_the_uploader_who_confirms_stores_the_same_bytes_as_a_new_exhibit(client, member_a, matter_a):
    data = samples.image_bytes("JPEG")
    client.force_login(member_a)
    post_file(client, matter_a, data, "front.jpg")
    assert post_file(client, matter_a, data, "front-again.jpg", store_duplicate="on").status_code == 201
    assert list(Exhibit.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_the_plain_form_points_out_the_first_exhibit_with_a_link(client, member_a, matter_a):
    data = samples.pdf_bytes()
    client.force_login(member_a)
    post_file(client, matter_a, data, "o.pdf")
    page = post_file(client, matter_a, data, "o.pdf", json=False).content.decode()
    first = Exhibit.objects.get()
    assert f'<a href="{reverse("web:exhibit_download", args=[first.pk])}">Open {first.label}</a>' in page
    assert "Store a file identical to an existing exhibit anyway" in page


def test_an_upload_without_a_chosen_kind_is_refused_naming_the_field(client, member_a, matter_a):
    client.force_login(member_a)
    response = post_file(client, matter_a, samples.pdf_bytes(), "o.pdf", kind="")
    assert response.status_code == 400 and response.json()["error"].startswith("Kind of evidence:")
    assert not Exhibit.objects.exists()


def test_the_upload_form_has_no_default_kind_and_carries_the_guessing_hints(client, member_a, matter_a):
    client.force_login(member_a)
    page = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert '<option value="" selected>Choose the kind…</option>' in page
    assert "data-kind-hints=" in page and "product_photo" in page
