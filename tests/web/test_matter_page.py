import re

import pytest
from django.urls import reverse

from tests.web.factories import IPRightFactory

pytestmark = pytest.mark.django_db


def url(matter):
    return reverse("web:matter_detail", args=[matter.reference])


def test_anonymous_is_sent_to_sign_in(client, matter_a):
    response = client.get(url(matter_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_sees_matter_holder_and_rights(client, member_a, matter_a, holder_a):
    IPRightFactory(rights_holder=holder_a, title="AURORA", jurisdiction="CN")
    client.force_login(member_a)
    response = client.get(url(matter_a))
    content = response.content.decode()
    assert response.status_code == 200
    assert matter_a.title in content
    assert "Alpha Brands Ltd" in content
    assert "AURORA" in content and "Trade mark" in content


def test_rights_of_another_holder_are_not_listed(client, member_a, matter_a, holder_b):
    IPRightFactory(rights_holder=holder_b, title="BETAMARK")
    client.force_login(member_a)
    assert "BETAMARK" not in client.get(url(matter_a)).content.decode()


def test_another_clients_matter_is_not_found(client, member_a, matter_b):
    client.force_login(member_a)
    assert client.get(url(matter_b)).status_code == 404


def test_another_clients_matter_looks_exactly_like_a_missing_one(client, member_a, matter_b):
    client.force_login(member_a)
    hidden = client.get(url(matter_b))
    missing = client.get(reverse("web:matter_detail", args=["BET-2026-999"]))
    assert hidden.status_code == missing.status_code == 404
    without_csrf_token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert without_csrf_token.sub(b"", hidden.content) == without_csrf_token.sub(b"", missing.content)


def test_staff_open_any_matter(staff_client, staff, matter_b):
    assert staff_client.get(url(matter_b)).status_code == 200


def test_sections_the_evidence_work_fills_are_present_and_honest_when_empty(client, member_a, matter_a):
    client.force_login(member_a)
    content = client.get(url(matter_a)).content.decode()
    assert "No rights to assess." in content
    assert "No test purchases have been recorded for this matter yet." in content
    assert "Nothing has been logged for this matter yet." in content
    assert "No complaint bundle has been compiled for this matter yet." in content


def test_matter_page_offers_upload_to_a_contributing_member(client, member_a, matter_a):
    client.force_login(member_a)
    assert 'id="upload-form"' in client.get(url(matter_a)).content.decode()


def test_matter_page_has_no_upload_form_for_a_viewer(client, member_a, matter_a):
    member_a.memberships.update(role="viewer")
    client.force_login(member_a)
    assert 'id="upload-form"' not in client.get(url(matter_a)).content.decode()


def test_post_is_not_allowed(client, member_a, matter_a):
    client.force_login(member_a)
    assert client.post(url(matter_a)).status_code == 405


def test_matter_page_says_what_proof_each_right_lacks(client, member_a, matter_a):
    from ownership.models import IPRight

    right = IPRight.objects.create(
        rights_holder=matter_a.rights_holder, kind="copyright", jurisdiction="GB", title="Aurora lamp drawings"
    )
    client.force_login(member_a)
    page = client.get(url(matter_a)).content.decode()
    assert right.title in page
    assert "proof-status" in page and "has not been assessed" not in page
