"""Sign-in protection: lockout after repeated failures, and two-factor verification for staff."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ownership.shared import access
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def attempt(client, email, password="wrong-password-1", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def current_token(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def test_five_failures_lock_the_account_even_with_the_right_password(client, member_a):
    for _ in range(5):
        attempt(client, member_a.email)
    response = attempt(client, member_a.email.upper(), TEST_PASSWORD)
    assert response.status_code == 429
    assert "signing in from here is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_four_failures_still_allow_the_right_password(client, member_a):
    for _ in range(4):
        attempt(client, member_a.email)
    assert attempt(client, member_a.email, TEST_PASSWORD).status_code == 302


def test_lockout_is_per_address(client, member_a):
    for _ in range(5):
        attempt(client, member_a.email, REMOTE_ADDR="203.0.113.5")
    assert attempt(client, member_a.email, TEST_PASSWORD, REMOTE_ADDR="203.0.113.6").status_code == 302


def test_failure_limit_is_configurable(client, member_a, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, member_a.email)
    assert attempt(client, member_a.email, TEST_PASSWORD).status_code == 429


def test_forwarded_address_is_ignored_without_a_proxy(client, member_a, settings):
    settings.BEHIND_PROXY = False
    for number in range(5):
        attempt(client, member_a.email, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert attempt(client, member_a.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_behind_a_proxy_the_forwarded_address_is_the_client(client, member_a, settings):
    settings.BEHIND_PROXY = True
    for _ in range(5):
        attempt(client, member_a.email, HTTP_X_FORWARDED_FOR="198.51.100.1")
    locked = attempt(client, member_a.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.status_code == 429
    # A client cannot escape by prepending its own entry: only the proxy's last entry counts.
    spoofed = attempt(client, member_a.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert spoofed.status_code == 429
    assert attempt(client, member_a.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_staff_password_alone_does_not_open_staff_pages(client, staff, matter_a):
    client.force_login(staff)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("security:verify"))


@pytest.mark.parametrize("url_name", ["admin:index", "admin:evidence_matter_changelist"])
def test_staff_password_alone_does_not_open_the_admin(client, staff, url_name):
    client.force_login(staff)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_is_verified_staff_needs_staff_and_a_verified_device(staff_client, staff, member_a):
    request_user = staff_client.get("/staff/").wsgi_request.user
    assert access.is_verified_staff(request_user)
    assert not access.is_verified_staff(staff)  # no request, no verification
    assert not access.is_verified_staff(member_a)


def admin_login(client, staff, token=None):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    form = {"username": staff.email, "password": TEST_PASSWORD, "otp_device": device.persistent_id}
    return client.post(reverse("admin:login"), {**form, "otp_token": token or current_token(device)})


def test_admin_login_page_asks_for_the_code(client, db):
    assert 'name="otp_token"' in client.get(reverse("admin:login")).content.decode()


def test_admin_login_with_a_wrong_code_is_refused(client, staff):
    assert admin_login(client, staff, token="000000").status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


def test_admin_login_with_password_and_code_opens_the_admin(client, staff):
    assert admin_login(client, staff).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_verify_page_refuses_a_wrong_code(client, staff, matter_a):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    queue = reverse("web:staff_queue")
    wrong = client.post(reverse("security:verify"), {"token": "123456", "next": queue})
    assert "That code is not valid" in wrong.content.decode()
    assert client.get(queue).status_code == 302


def test_verify_page_admits_staff_with_the_current_code(client, staff, matter_a):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    queue = reverse("web:staff_queue")
    page = client.post(reverse("security:verify"), {"token": current_token(device), "next": queue}, follow=True)
    assert page.status_code == 200 and "Work queue" in page.content.decode()


def test_verify_page_never_redirects_to_another_site(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    response = client.post(
        reverse("security:verify"), {"token": current_token(device), "next": "https://evil.example/"}
    )
    assert response.url == reverse("web:staff_queue")


def test_enrolment_shows_a_qr_image_and_confirms_the_device(client, staff):
    client.force_login(staff)
    page = client.get(reverse("security:enrol"))
    assert page.status_code == 200
    qr = client.get(reverse("security:enrol_qr"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post(reverse("security:enrol"), {"token": current_token(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


def test_staff_with_a_device_cannot_enrol_another(client, staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client.force_login(staff)
    assert client.get(reverse("security:enrol")).url == reverse("security:verify")
    assert client.get(reverse("security:enrol_qr")).status_code == 404


@pytest.mark.parametrize("url_name", ["security:verify", "security:enrol", "security:enrol_qr"])
def test_members_get_404_on_security_pages(client, member_a, url_name):
    client.force_login(member_a)
    assert client.get(reverse(url_name)).status_code == 404
