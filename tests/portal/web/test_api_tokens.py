"""The API tokens page: a user makes a token, sees it once, and revokes it."""

import pytest
from django.urls import reverse

from portal.models import ApiToken

pytestmark = pytest.mark.django_db

URL = "/tokens/"


def test_url_is_tokens():
    assert reverse("web:api_tokens") == URL


def test_a_new_token_is_shown_once(client, member_a):
    client.force_login(member_a)
    made = client.post(URL, {"name": "Monitoring dashboard"})
    token = made.content.decode().split('id="token-value">')[1].split("<")[0]
    assert token.startswith("ipt_") and "no-store" in made["Cache-Control"]
    listed = client.get(URL).content.decode()
    assert "Monitoring dashboard" in listed and token not in listed and f"{token[:8]}…" in listed


def test_a_token_without_a_name_is_refused_plainly(client, member_a):
    client.force_login(member_a)
    response = client.post(URL, {"name": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_says_so_and_the_token_stops_working(client, member_a):
    client.force_login(member_a)
    token = client.post(URL, {"name": "Old"}).content.decode().split('id="token-value">')[1].split("<")[0]
    api_token = ApiToken.objects.get()
    page = client.post(reverse("web:api_token_revoke", args=[api_token.pk]), follow=True).content.decode()
    assert "The token “Old” is revoked: calls with it are refused." in page and "Revoked" in page
    assert client.get(reverse("api:matter_list"), headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_another_users_token_cannot_be_revoked(client, member_a, member_b):
    from portal.services.api_tokens import api_token_create

    api_token, _token = api_token_create(user=member_b, name="B's")
    client.force_login(member_a)
    assert client.post(reverse("web:api_token_revoke", args=[api_token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_staff_signed_in_with_a_password_only_are_sent_to_two_factor_first(client, staff):
    client.force_login(staff)
    response = client.post(URL, {"name": "Staff token"})
    assert response.status_code == 302 and response.url.startswith(reverse("security:verify"))
    assert not ApiToken.objects.exists()


def test_verified_staff_make_a_token(staff_client):
    assert 'id="token-value">ipt_' in staff_client.post(URL, {"name": "Firm systems"}).content.decode()
