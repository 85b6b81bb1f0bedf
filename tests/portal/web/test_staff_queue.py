import pytest
from django.urls import reverse

from evidence.models import Matter
from tests.factories import MatterFactory
from tests.ownership.factories import make_right

pytestmark = pytest.mark.django_db

URL = "/staff/"


def test_url_is_staff_queue():
    assert reverse("web:staff_queue") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_client_member_is_not_told_the_page_exists(client, member_a):
    client.force_login(member_a)
    response = client.get(URL)
    assert response.status_code == 404


def test_client_has_no_link_to_staff_pages(client, member_a):
    client.force_login(member_a)
    content = client.get(reverse("web:dashboard")).content.decode()
    assert URL not in content
    assert reverse("admin:index") not in content


def test_staff_see_all_matters(staff_client, staff, matter_a, matter_b):
    content = staff_client.get(URL).content.decode()
    assert matter_a.reference in content and matter_b.reference in content


def test_filter_by_client(staff_client, staff, matter_a, matter_b, holder_a):
    content = staff_client.get(URL, {"rights_holder": holder_a.pk}).content.decode()
    assert matter_a.reference in content and matter_b.reference not in content


def test_filter_by_status(staff_client, staff, matter_a, matter_b):
    Matter.objects.filter(pk=matter_b.pk).update(status=Matter.Status.SUBMITTED)
    content = staff_client.get(URL, {"status": "submitted"}).content.decode()
    assert matter_b.reference in content and matter_a.reference not in content


def test_search_by_reference_or_title(staff_client, staff, holder_a):
    wanted = MatterFactory(rights_holder=holder_a, title="Fake lamps on eBay")
    other = MatterFactory(rights_holder=holder_a, title="Fake chairs")
    content = staff_client.get(URL, {"q": "lamps"}).content.decode()
    assert wanted.reference in content and other.reference not in content


def test_no_match_is_said_plainly(staff_client, staff, matter_a):
    assert "No matter matches these filters." in staff_client.get(URL, {"q": "nothing-like-this"}).content.decode()


def test_invalid_filter_is_shown_as_a_field_error(staff_client, staff, matter_a):
    content = staff_client.get(URL, {"status": "bogus"}).content.decode()
    assert "Select a valid choice. bogus is not one of the available choices." in content


def test_queue_pages_through_many_matters(staff_client, staff, holder_a):
    MatterFactory.create_batch(51, rights_holder=holder_a)
    first = staff_client.get(URL).content.decode()
    assert "Page 1 of 2" in first
    assert staff_client.get(URL, {"page": 2}).content.decode().count('class="matter-row"') == 1


def test_query_count_stays_flat(staff_client, staff, holder_a, django_assert_max_num_queries):
    MatterFactory.create_batch(2, rights_holder=holder_a, responsible=staff)
    # session, user, OTP device, matters, count, filters; each of the 9 lists' rows and its true count (the unread
    # scans two of each); and the missing-proof list's ids, matters, bundles, rights, documents and unsigned reports
    with django_assert_max_num_queries(30) as few:
        staff_client.get(URL)
    MatterFactory.create_batch(20, rights_holder=holder_a, responsible=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(URL)


def test_queue_lists_failed_bundles_and_reappeared_listings(staff_client, staff, matter_a):
    from evidence.models import Listing
    from evidence.services import listing_record, listing_set_status, seller_record
    from portal.models import Bundle

    Bundle.objects.create(
        matter=matter_a, platform="alibaba", version=1, inputs_digest="x", status="failed", requested_by=staff
    )
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome")
    url = "https://www.alibaba.com/product-detail/x_9.html"
    listing, _ = listing_record(matter=matter_a, url=url, seller=seller, title="Copied lamp")
    listing_set_status(listing=listing, status=Listing.Status.REMOVED)
    listing_record(matter=matter_a, url=url, seller=seller)
    page = staff_client.get(URL).content.decode()
    assert f"{matter_a.reference} Alibaba.com (IPP) v1" in page
    assert "Copied lamp" in page


def test_queue_lists_matters_whose_proof_of_ownership_is_incomplete(staff_client, staff, matter_a):

    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    content = staff_client.get(URL).content.decode()
    section = content[
        content.index('id="missing-proof"') : content.index("</section>", content.index('id="missing-proof"'))
    ]
    assert matter_a.reference in section


def test_scans_that_could_not_be_read_are_listed_for_staff_with_a_link(staff_client, holder_a):
    from django.core.files.base import ContentFile

    from ownership.models import OwnershipDocument
    from ownership.services import ownership_document_upload
    from tests.support.files import pdf_bytes

    document = ownership_document_upload(rights_holder=holder_a, doc_type="power_of_attorney",
                                         upload=ContentFile(pdf_bytes("POA"), name="poa.pdf"))  # fmt: skip
    OwnershipDocument.objects.filter(pk=document.pk).update(ocr_status="failed", ocr_error="The worker stopped 2 times")
    content = staff_client.get(URL).content.decode()
    section = content[content.index('id="unread-scans"') :]
    assert "Scans that could not be read" in content and str(document) in section
    assert reverse("admin:ownership_ownershipdocument_change", args=[document.pk]) in section


def failed_bundles(matter, staff, count: int) -> None:
    from portal.models import Bundle

    for version in range(1, count + 1):
        Bundle.objects.create(matter=matter, platform="alibaba", version=version, inputs_digest=str(version),
                              status="failed", requested_by=staff)  # fmt: skip


def test_a_list_counts_every_row_and_says_how_many_it_shows(staff_client, staff, matter_a):
    failed_bundles(matter_a, staff, 25)
    content = staff_client.get(URL).content.decode()
    section = content[content.index('id="failed-bundles"') :].split("</section>", 1)[0]
    assert 'class="count">25</span>' in section and "The first 20 of 25." in section
    assert section.count("<li>") == 20


def test_the_client_filter_narrows_every_list(staff_client, staff, matter_a, matter_b):
    failed_bundles(matter_a, staff, 1)
    failed_bundles(matter_b, staff, 2)
    content = staff_client.get(URL, {"rights_holder": matter_a.rights_holder_id}).content.decode()
    section = content[content.index('id="failed-bundles"') :].split("</section>", 1)[0]
    assert 'class="count">1</span>' in section and matter_b.reference not in section


def _section(content: str, section_id: str) -> str:
    return content[content.index(f'id="{section_id}"') :].split("</section>", 1)[0]


def test_the_platform_filter_narrows_every_list_tied_to_a_platform(staff_client, staff, matter_a):
    from portal.models import Bundle

    failed_bundles(matter_a, staff, 2)
    Bundle.objects.create(matter=matter_a, platform="amazon", version=1, inputs_digest="a", status="failed",
                          requested_by=staff)  # fmt: skip
    content = staff_client.get(URL, {"platform": "amazon"}).content.decode()
    assert 'class="count">1</span>' in _section(content, "failed-bundles")
    assert 'id="missing-proof"' not in content and 'id="statements-returned"' not in content
    assert "Only the lists tied to a platform are shown while one is chosen" in content


def test_the_kind_filter_shows_that_list_alone(staff_client, staff, matter_a):
    failed_bundles(matter_a, staff, 1)
    content = staff_client.get(URL, {"kind": "failed_bundles"}).content.decode()
    assert 'class="count">1</span>' in _section(content, "failed-bundles")
    for other in ("missing-proof", "still-online", "notices-to-send", "complaints-awaiting-answer"):
        assert f'id="{other}"' not in content


def test_an_unknown_kind_is_a_field_error_and_every_list_still_shows(staff_client, staff, matter_a):
    content = staff_client.get(URL, {"kind": "everything"}).content.decode()
    assert "Select a valid choice" in content and 'id="failed-bundles"' in content


def test_a_long_list_links_to_itself_shown_alone(staff_client, staff, matter_a):
    failed_bundles(matter_a, staff, 25)
    section = _section(staff_client.get(URL, {"rights_holder": matter_a.rights_holder_id}).content.decode(),
                       "failed-bundles")  # fmt: skip
    assert f'href="?rights_holder={matter_a.rights_holder_id}&amp;kind=failed_bundles">Show all 25</a>' in section


def test_a_list_shown_alone_pages_to_its_last_row(staff_client, staff, matter_a):
    failed_bundles(matter_a, staff, 25)
    first = _section(staff_client.get(URL, {"kind": "failed_bundles"}).content.decode(), "failed-bundles")
    assert "1–20 of 25" in first and "list_page=2" in first and first.count("<li>") == 20
    last = _section(staff_client.get(URL, {"kind": "failed_bundles", "list_page": 2}).content.decode(),
                    "failed-bundles")  # fmt: skip
    assert "21–25 of 25" in last and last.count("<li>") == 5
    assert f"{matter_a.reference} Alibaba.com (IPP) v1" in last  # the oldest failure, last in newest-first order


def test_a_page_past_the_end_of_a_list_shows_its_last_page(staff_client, staff, matter_a):
    failed_bundles(matter_a, staff, 25)
    section = _section(staff_client.get(URL, {"kind": "failed_bundles", "list_page": 9}).content.decode(),
                       "failed-bundles")  # fmt: skip
    assert "21–25 of 25" in section
