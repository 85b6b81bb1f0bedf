"""Response headers: the Content Security Policy and the other browser protections."""

import pytest
from django.urls import reverse

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in directives}


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_every_page_sends_the_strict_policy(client, db, url):
    sent = policy(client.get(url))
    for directive, value in EXPECTED_CSP.items():
        assert sent[directive] == value
    assert "unsafe-inline" not in client.get(url)["Content-Security-Policy"]


def test_frames_and_sniffing_are_refused(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_admin_renders_without_inline_script_under_the_policy(staff_client, matter_a):
    response = staff_client.get(reverse("admin:evidence_matter_change", args=[matter_a.pk]))
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    content = response.content.decode()
    assert "<script>" not in content and '<script type="text/javascript">' not in content
