import re

import pytest
from django.urls import reverse

from tests.ownership.factories import make_right

pytestmark = pytest.mark.django_db


def url(matter):
    return reverse("web:matter_detail", args=[matter.reference])


def test_anonymous_is_sent_to_sign_in(client, matter_a):
    response = client.get(url(matter_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_member_sees_matter_holder_and_rights(client, member_a, matter_a, holder_a):
    make_right(holder_a, "CN", "trademark", title="AURORA")
    client.force_login(member_a)
    response = client.get(url(matter_a))
    content = response.content.decode()
    assert response.status_code == 200
    assert matter_a.title in content
    assert "Alpha Brands Ltd" in content
    assert "AURORA" in content and "Trade mark" in content


def test_rights_of_another_holder_are_not_listed(client, member_a, matter_a, holder_b):
    make_right(holder_b, "CN", "trademark", title="BETAMARK")
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
    right = make_right(matter_a.rights_holder, "GB", "copyright", title="Aurora lamp drawings")
    client.force_login(member_a)
    page = client.get(url(matter_a)).content.decode()
    assert right.title in page
    assert "proof-status" in page and "has not been assessed" not in page


def grow_matter(matter, staff, *, purchases: int, exhibits_each: int) -> None:
    """Purchases with exhibits, each on its own listing and seller, filed in a submission with answers."""
    from django.core.files.base import ContentFile

    from evidence.services import exhibit_upload, listing_record
    from portal.models import Bundle
    from portal.services import submission_record
    from tests.evidence.factories import SellerFactory, TestPurchaseFactory
    from tests.support import files as samples

    bundle = Bundle.objects.create(matter=matter, platform="alibaba", version=Bundle.objects.count() + 1,
                                   inputs_digest=str(purchases), status="ready", requested_by=staff)  # fmt: skip
    for n in range(purchases):
        url = f"https://www.alibaba.com/product-detail/x_{Bundle.objects.count()}{n}.html"
        listing, _ = listing_record(matter=matter, url=url, seller=SellerFactory(platform="alibaba"))
        bundle.listings.add(listing)
        purchase = TestPurchaseFactory(matter=matter, listing=listing, recorded_by=staff)
        for _ in range(exhibits_each):
            exhibit_upload(matter=matter, purchase=purchase, kind="other", uploaded_by=staff,
                           upload=ContentFile(samples.pdf_bytes(), name="o.pdf"))  # fmt: skip
    submission_record(bundle=bundle, platform_reference=f"IPP-{purchases}", submitted_on=matter.opened_on,
                      submitted_by=staff)  # fmt: skip


def test_matter_page_queries_stay_flat_as_evidence_grows(staff_client, staff, matter_a, django_assert_max_num_queries):
    grow_matter(matter_a, staff, purchases=2, exhibits_each=2)
    url = reverse("web:matter_detail", args=[matter_a.reference])
    with django_assert_max_num_queries(40) as few:
        assert staff_client.get(url).status_code == 200
    grow_matter(matter_a, staff, purchases=12, exhibits_each=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        content = staff_client.get(url).content.decode()
    assert 'data-label="Items">12</td>' in content and 'data-label="Items">2</td>' in content
    assert 'class="outcome"' not in content  # counted here, listed on each complaint's page


def test_a_large_matter_comes_a_page_of_purchases_at_a_time(staff_client, staff, matter_a):
    from portal.web.views import PURCHASES_PER_PAGE

    grow_matter(matter_a, staff, purchases=PURCHASES_PER_PAGE * 2 + 1, exhibits_each=1)
    first = staff_client.get(url(matter_a)).content.decode()
    assert first.count('class="purchase"') == PURCHASES_PER_PAGE
    assert f"Page 1 of 3 ({PURCHASES_PER_PAGE * 2 + 1} in all)" in first
    last = staff_client.get(url(matter_a), {"purchases": 3}).content.decode()
    assert last.count('class="purchase"') == 1


def test_custody_log_shows_the_newest_entries_first(client, member_a, matter_a, staff):
    from evidence.services import custody_record

    for label in ("bag 1", "bag 2"):
        custody_record(matter=matter_a, action="sealed", actor=staff, item_label=label)
    client.force_login(member_a)
    content = client.get(url(matter_a)).content.decode()
    custody = content[content.index('id="custody"') :]
    assert custody.index("bag 2") < custody.index("bag 1")


def test_custody_names_the_worker_that_acted_never_none(client, member_a, matter_a):
    from evidence.services import custody_record

    custody_record(matter=matter_a, action="sealed", actor=None, nobody="the OCR worker", item_label="scan 1")
    client.force_login(member_a)
    content = client.get(url(matter_a)).content.decode()
    custody = content[content.index('id="custody"') :]
    assert "the OCR worker" in custody and ">None<" not in custody
