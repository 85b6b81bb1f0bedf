"""The bundle pages: staff request a compile; the matter's people follow its progress and download it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from evidence.services import listing_record
from portal.models import Bundle
from portal.services import bundle_request
from tests.evidence.factories import SellerFactory
from tests.support.bundles import OVERRULED


@pytest.fixture
def ready_bundle(matter_a, staff, sent):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    name = default_storage.save("bundles/test/bundle.pdf", ContentFile(b"%PDF-1.7 signed bundle"))
    Bundle.objects.filter(pk=bundle.pk).update(status=Bundle.Status.READY, file=name, progress=100)
    bundle.refresh_from_db()
    return bundle


def test_staff_compile_queues_a_bundle_and_says_so(staff_client, staff, matter_a, right_a, sent):
    url = reverse("web:bundle_create", args=[matter_a.reference])
    data = {"platform": "alibaba", "rights": [right_a.pk], "overrule": OVERRULED}
    response = staff_client.post(url, data, follow=True)
    bundle = Bundle.objects.get()
    assert (bundle.platform, list(bundle.rights.all())) == ("alibaba", [right_a])
    assert f"Bundle {bundle} is queued for compiling: follow it below, under Bundles." in response.content.decode()


def test_a_compile_for_a_matter_not_ready_is_refused_with_what_is_missing(staff_client, matter_a, right_a, sent):
    url = reverse("web:bundle_create", args=[matter_a.reference])
    page = staff_client.post(url, {"platform": "alibaba", "rights": [right_a.pk]}, follow=True).content.decode()
    assert f"{matter_a.reference} is not ready for Alibaba.com (IPP):" in page
    assert "compile anyway with your reason for overruling" in page
    assert not Bundle.objects.exists()


def test_an_overruled_compile_keeps_what_was_missing_who_overruled_and_why(staff_client, staff, matter_a, right_a,
                                                                          sent):  # fmt: skip
    from ownership.shared.audit import AuditEvent

    url = reverse("web:bundle_create", args=[matter_a.reference])
    reason = "The client's certificate is on its way; the platform accepts a copy later"
    staff_client.post(url, {"platform": "alibaba", "rights": [right_a.pk], "overrule": reason})
    bundle = Bundle.objects.get()
    assert bundle.overrule_reason == reason and bundle.overruled_gaps
    assert "overrule_reason" in AuditEvent.objects.get(object_ref=f"portal.bundle:{bundle.pk}").changes


def test_compile_for_a_platform_the_matter_does_not_target_is_refused(staff_client, staff, matter_a, right_a, sent):
    url = reverse("web:bundle_create", args=[matter_a.reference])
    response = staff_client.post(url, {"platform": "ebay", "rights": [right_a.pk]}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert not Bundle.objects.exists()


def test_clients_cannot_request_a_compile(client, member_a, matter_a, right_a, sent):
    client.force_login(member_a)
    response = client.post(reverse("web:bundle_create", args=[matter_a.reference]), {"platform": "alibaba"})
    assert response.status_code in {403, 404}
    assert not Bundle.objects.exists()


def test_matter_page_shows_the_compile_form_to_staff_only(staff_client, staff, member_a, matter_a):
    assert (
        "Compile and sign" in staff_client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    )
    staff_client.force_login(member_a)
    assert (
        "Compile and sign"
        not in staff_client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    )


def test_status_reports_progress_to_the_matters_client(client, member_a, matter_a, staff, sent):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    Bundle.objects.filter(pk=bundle.pk).update(status="compiling", progress=40, progress_message="Merging exhibits")
    client.force_login(member_a)
    state = client.get(reverse("web:bundle_status", args=[bundle.pk])).json()
    assert state == {
        "status": "compiling",
        "status_display": "Compiling",
        "progress": 40,
        "message": "Merging exhibits",
        "error": "",
        "download_url": "",
    }


def test_other_clients_bundle_is_not_found(client, member_b, ready_bundle):
    client.force_login(member_b)
    assert client.get(reverse("web:bundle_status", args=[ready_bundle.pk])).status_code == 404
    assert client.get(reverse("web:bundle_download", args=[ready_bundle.pk])).status_code == 404


def test_ready_bundle_downloads_as_an_attachment(client, member_a, ready_bundle):
    client.force_login(member_a)
    response = client.get(reverse("web:bundle_download", args=[ready_bundle.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 signed bundle"
    assert response["Content-Disposition"] == f'attachment; filename="{ready_bundle.matter.reference}-alibaba-v1.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_bundle_not_ready_cannot_be_downloaded(client, member_a, matter_a, staff, sent):
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    client.force_login(member_a)
    assert client.get(reverse("web:bundle_download", args=[bundle.pk])).status_code == 404


def test_matter_page_links_the_ready_bundle(client, member_a, ready_bundle):
    client.force_login(member_a)
    page = client.get(reverse("web:matter_detail", args=[ready_bundle.matter.reference])).content.decode()
    assert reverse("web:bundle_download", args=[ready_bundle.pk]) in page


def test_compile_with_a_listing_of_another_platform_names_it(staff_client, staff, matter_a, right_a, sent):
    matter_a.platforms = ["alibaba", "amazon"]
    matter_a.save()
    amazon, _ = listing_record(
        matter=matter_a, url="https://www.amazon.com/dp/B0TEST0001", seller=SellerFactory(platform="amazon"),
        title="Aurora lamp copy",
    )  # fmt: skip
    url = reverse("web:bundle_create", args=[matter_a.reference])
    response = staff_client.post(
        url, {"platform": "alibaba", "rights": [right_a.pk], "listings": amazon.url, "overrule": OVERRULED}, follow=True
    )
    assert "Amazon: Aurora lamp copy is not on Alibaba.com" in response.content.decode()
    assert not Bundle.objects.exists()


def test_compile_of_chosen_listings_covers_only_those(staff_client, staff, matter_a, right_a, sent):
    chosen, other = (
        listing_record(matter=matter_a, url=f"https://www.alibaba.com/product-detail/x_{n}.html",
                       seller=SellerFactory(platform="alibaba"))[0]
        for n in (1, 2)
    )  # fmt: skip
    url = reverse("web:bundle_create", args=[matter_a.reference])
    staff_client.post(
        url, {"platform": "alibaba", "rights": [right_a.pk], "listings": chosen.url, "overrule": OVERRULED}
    )
    assert list(Bundle.objects.get().listings.all()) == [chosen]


def test_compile_of_a_link_the_matter_does_not_hold_is_refused_naming_it(staff_client, matter_a, right_a, sent):
    url = reverse("web:bundle_create", args=[matter_a.reference])
    other = "https://www.alibaba.com/product-detail/not-here_9.html"
    response = staff_client.post(url, {"platform": "alibaba", "rights": [right_a.pk], "listings": other}, follow=True)
    assert f"{matter_a.reference} holds no listing at {other}" in response.content.decode()
    assert not Bundle.objects.exists()
