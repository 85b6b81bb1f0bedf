import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import TEST_PASSWORD

# Records written only by services (file policy, custody chain, compile, audit log): no add page.
SERVICE_ONLY = {"evidence.Exhibit", "evidence.CustodyEvent", "portal.Bundle", "ownership.AuditEvent", "portal.Submission"}
ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label in {"ownership", "evidence", "portal"}]


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda m: m._meta.label)
def test_staff_can_open_changelist_and_add_page(staff_client, staff, matter_a, model):
    opts = model._meta
    assert staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    expected = 403 if opts.label in SERVICE_ONLY else 200
    assert staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == expected


def test_staff_can_open_a_matter(staff_client, staff, matter_a):
    response = staff_client.get(reverse("admin:evidence_matter_change", args=[matter_a.pk]))
    assert response.status_code == 200
    assert matter_a.reference in response.content.decode()


@pytest.mark.parametrize(
    "url_name", ["admin:index", "admin:evidence_matter_changelist", "admin:ownership_rightsholder_changelist"]
)
def test_members_are_refused_the_admin(client, member_a, matter_a, url_name):
    client.force_login(member_a)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_member_cannot_sign_in_to_the_admin(client, member_a):
    response = client.post(reverse("admin:login"), {"username": member_a.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Please enter the correct e-mail address and password for a staff account" in response.content.decode()


def test_members_cannot_open_another_holders_matter_in_admin(client, member_a, matter_b):
    client.force_login(member_a)
    response = client.get(reverse("admin:evidence_matter_change", args=[matter_b.pk]))
    assert response.status_code == 302


def test_staff_add_matter_without_reference_gets_next_in_sequence(staff_client, staff, holder_a):
    response = staff_client.post(
        reverse("admin:evidence_matter_add"),
        {
            "reference": "",
            "rights_holder": holder_a.pk,
            "title": "Fake lamps",
            "platforms": ["alibaba", "amazon"],
            "status": "investigating",
            "opened_on": "2026-04-01",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    matter = holder_a.matters.get()
    assert (matter.reference, matter.platforms) == ("ALP-2026-001", ["alibaba", "amazon"])
