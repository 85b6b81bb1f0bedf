import pytest
from django.contrib import admin
from django.urls import reverse

from ownership.models import Membership
from ownership.shared.audit import AuditEvent
from tests.conftest import verify_with_totp
from tests.factories import TEST_PASSWORD, UserFactory

# Records written only by services (file policy, custody chain, compile, audit log, registry, captures): no add page.
SERVICE_ONLY = {
    "evidence.Exhibit",
    "evidence.CustodyEvent",
    "evidence.Capture",
    "evidence.TakedownWatch",
    "evidence.SellerLink",
    "portal.Bundle",
    "ownership.AuditEvent",
    "ownership.IssuedDocument",
    "portal.Submission",
    "portal.Notice",
    "portal.WordingReview",
    "ownership.StatementDraft",
}
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


def test_staff_outside_the_firm_staff_group_cannot_change_a_matter(client, matter_a):
    outsider = UserFactory(is_staff=True)
    verify_with_totp(client, outsider)
    assert client.get(reverse("admin:evidence_matter_change", args=[matter_a.pk])).status_code == 403


def test_the_firm_staff_group_can_change_a_matter_but_not_the_audit_log(staff_client, matter_a):
    page = staff_client.get(reverse("admin:evidence_matter_change", args=[matter_a.pk]))
    assert page.status_code == 200 and "Save and continue editing" in page.content.decode()
    assert staff_client.get(reverse("admin:ownership_auditevent_add")).status_code == 403


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


def test_a_matter_added_in_the_admin_is_audited_as_added_by_the_staff_member(staff_client, staff, holder_a):
    staff_client.post(
        reverse("admin:evidence_matter_add"),
        {"reference": "", "rights_holder": holder_a.pk, "title": "Fake lamps", "platforms": ["alibaba"],
         "status": "investigating", "opened_on": "2026-04-01"},
    )  # fmt: skip
    matter = holder_a.matters.get()
    entry = AuditEvent.objects.get(action="added", object_ref=f"evidence.matter:{matter.pk}")
    assert (entry.actor, entry.object_label) == (staff, str(matter))
    assert {"reference", "title", "platforms"} <= set(entry.changes)


def test_a_member_added_inline_on_a_rights_holder_is_audited(staff_client, staff, holder_a):
    newcomer = UserFactory()
    url = reverse("admin:ownership_rightsholder_change", args=[holder_a.pk])
    form = {
        "name": holder_a.name, "code": holder_a.code, "country": holder_a.country,
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-user": newcomer.pk, "memberships-0-role": "viewer",
    }  # fmt: skip
    assert staff_client.post(url, form).status_code == 302
    membership = Membership.objects.get(user=newcomer)
    entry = AuditEvent.objects.get(object_ref=f"ownership.membership:{membership.pk}")
    assert (entry.action, entry.actor) == ("added", staff)


def test_a_membership_deleted_in_the_admin_is_audited_with_its_name(staff_client, staff, member_a):
    membership = member_a.memberships.get()
    label = str(membership)
    url = reverse("admin:ownership_membership_delete", args=[membership.pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    entry = AuditEvent.objects.get(action="removed")
    assert (entry.object_ref, entry.object_label, entry.actor) == (
        f"ownership.membership:{membership.pk}",
        label,
        staff,
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_password_set_in_the_admin_is_audited_without_the_password(staff_client, staff, member_a):
    url = reverse("admin:auth_user_password_change", args=[member_a.pk])
    secret = "a-new-long-passphrase-2026"
    response = staff_client.post(url, {"password1": secret, "password2": secret, "usable_password": "true"})
    assert response.status_code == 302
    entry = AuditEvent.objects.get(action="changed", object_ref=f"ownership.user:{member_a.pk}")
    assert (entry.changes, entry.actor) == (["password"], staff)
    assert secret not in str(AuditEvent.objects.values_list())


def seller_change_post(seller, **identifier) -> dict[str, str]:
    data = {
        "platform": seller.platform, "store_name": seller.store_name, "store_url": "", "platform_seller_id": "",
        "company_name": "", "address": "", "first_seen_0": "2026-03-01", "first_seen_1": "10:00:00",
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0",
        "identifiers-TOTAL_FORMS": "1", "identifiers-INITIAL_FORMS": "0",
        "listings-TOTAL_FORMS": "0", "listings-INITIAL_FORMS": "0",
    }  # fmt: skip
    data.update({f"identifiers-0-{name}": value for name, value in identifier.items()})
    return data


@pytest.fixture
def exhibit_of_a(matter_a, staff):
    from django.core.files.base import ContentFile

    from evidence.services import exhibit_upload
    from tests.support import files as samples

    return exhibit_upload(matter=matter_a, upload=ContentFile(samples.pdf_bytes("Label"), name="label.pdf"),
                          kind="parcel_photo", uploaded_by=staff)  # fmt: skip


def test_staff_add_a_seller_identifier_in_the_admin_and_it_is_normalised(staff_client, exhibit_of_a):
    from evidence.models import SellerIdentifier
    from tests.evidence.factories import SellerFactory

    seller = SellerFactory()
    url = reverse("admin:evidence_seller_change", args=[seller.pk])
    data = seller_change_post(seller, kind="phone", value="0086 138 0013 8000", exhibit=str(exhibit_of_a.pk),
                              seen_at_0="2026-03-02", seen_at_1="09:00:00")  # fmt: skip
    assert staff_client.post(url, data).status_code == 302
    assert SellerIdentifier.objects.get(seller=seller).key == "+8613800138000"


def test_an_invalid_identifier_in_the_admin_is_a_form_error(staff_client, exhibit_of_a):
    from evidence.models import SellerIdentifier
    from tests.evidence.factories import SellerFactory

    seller = SellerFactory()
    url = reverse("admin:evidence_seller_change", args=[seller.pk])
    data = seller_change_post(seller, kind="uscc", value="91350100M000100Y44", exhibit=str(exhibit_of_a.pk),
                              seen_at_0="2026-03-02", seen_at_1="09:00:00")  # fmt: skip
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "its check character is wrong" in response.content.decode()
    assert not SellerIdentifier.objects.exists()


def test_every_change_page_of_the_demo_opens_for_firm_staff(client, staff, capsys):
    """A crawl of the admin as the firm's staff (the staff group's permissions, not a superuser): the change
    page of every row the demo seeds, and of an exhibit and a document with a searchable rendition, opens."""
    from django.core.management import call_command

    from evidence.models import Exhibit
    from ownership.models import OwnershipDocument

    call_command("seed_demo", allow_production=True)
    capsys.readouterr()
    Exhibit.objects.filter(pk=Exhibit.objects.order_by("pk")[0].pk).update(ocr_file="exhibits-ocr/x-ocr.pdf",
                                                                        ocr_status="done")  # fmt: skip
    OwnershipDocument.objects.filter(pk=OwnershipDocument.objects.order_by("pk")[0].pk).update(
        ocr_file="ownership-ocr/x-ocr.pdf", ocr_status="done"
    )
    assert not staff.is_superuser
    staff_client = verify_with_totp(client, staff)
    failures, opened = [], 0
    for model in admin.site._registry:
        opts = model._meta
        for pk in model._default_manager.order_by("pk").values_list("pk", flat=True):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            status = staff_client.get(url).status_code
            opened += status == 200
            if status >= 500:
                failures.append(url)
    assert failures == [] and opened > 100
