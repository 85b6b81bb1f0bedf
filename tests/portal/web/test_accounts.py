import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_page_asks_for_email_and_password(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username">E-mail address' in content
    assert 'type="password"' in content


def test_member_signs_in_with_email_and_lands_on_dashboard(client, member_a):
    response = client.post(reverse("login"), {"username": member_a.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("web:dashboard")


def test_wrong_password_shows_an_error_and_no_session(client, member_a):
    response = client.post(reverse("login"), {"username": member_a.email, "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_is_post_only(client, member_a):
    client.force_login(member_a)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_sign_out_ends_the_session_and_returns_to_sign_in(client, member_a):
    client.force_login(member_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_signed_in_header_shows_user_and_sign_out_form(client, member_a):
    client.force_login(member_a)
    content = client.get(reverse("web:dashboard")).content.decode()
    assert member_a.full_name in content
    assert f'action="{reverse("logout")}"' in content


def test_password_reset_sends_a_working_link(client, settings):
    settings.PORTAL_FIRM_NAME = "Harcourt & Vale LLP"
    user = UserFactory(email="claire@client.example")
    response = client.post(reverse("password_reset"), {"email": "claire@client.example"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session-held one
    response = client.post(form_url, {"new_password1": "a-new-long-password", "new_password2": "a-new-long-password"})
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a-new-long-password")


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@client.example"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_pages_render(client):
    for name in ["password_reset", "password_reset_done", "password_reset_complete"]:
        assert client.get(reverse(name)).status_code == 200


def test_expired_reset_link_says_so(client):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "bad-token"]))
    assert "This link has expired or has already been used." in response.content.decode()


def test_password_change_requires_sign_in(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_in_user_changes_password(client, member_a):
    client.force_login(member_a)
    new = "another-long-password"
    data = {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    response = client.post(reverse("password_change"), data, follow=True)
    assert response.redirect_chain == [(reverse("password_change_done"), 302)]
    assert "Your new password is saved." in response.content.decode()
    member_a.refresh_from_db()
    assert member_a.check_password(new)


def test_signed_in_user_is_not_shown_the_sign_in_form_again(client, member_a):
    client.force_login(member_a)
    response = client.get(reverse("login"))
    assert response.status_code == 302
    assert response.url == reverse("web:dashboard")
