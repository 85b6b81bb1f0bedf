"""Staff record test purchases on the matter page; files are uploaded to the purchase they belong to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit, TestPurchase
from evidence.services import listing_record
from tests.evidence.factories import SellerFactory, TestPurchaseFactory
from tests.support import files as samples

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing(matter_a):
    listing, _ = listing_record(
        matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html",
        seller=SellerFactory(platform="alibaba"), title="Aurora copy",
    )  # fmt: skip
    return listing


def purchase_data(listing, **overrides) -> dict[str, str]:
    data = {
        "listing": listing.url, "order_number": "3089900001", "order_date": "2026-03-03", "amount": "18.50",
        "currency": "usd", "purchaser_alias": "J. Moreau", "received_on": "2026-03-09", "result": "counterfeit",
        "examination_method": "Compared with a genuine lamp", "examination_reasons": "No hologram",
        "examiner": "Brand team", "examined_on": "2026-03-10",
    }  # fmt: skip
    return {**data, **overrides}


def test_staff_record_a_test_purchase_with_its_examination(staff_client, matter_a, listing):
    url = reverse("web:purchase_create", args=[matter_a.reference])
    page = staff_client.post(url, purchase_data(listing), follow=True).content.decode()
    assert "Test purchase 3089900001 recorded." in page
    purchase = TestPurchase.objects.get()
    assert (purchase.currency, purchase.result, purchase.examiner) == ("USD", "counterfeit", "Brand team")
    assert set(CustodyEvent.objects.values_list("action", flat=True)) == {"parcel_received", "examined"}
    assert "Add files to order 3089900001" in page


def test_an_examination_result_without_its_method_is_refused_and_nothing_is_recorded(staff_client, matter_a, listing):
    url = reverse("web:purchase_create", args=[matter_a.reference])
    page = staff_client.post(url, purchase_data(listing, examination_method=""), follow=True).content.decode()
    assert "An examination result needs the method, the reasons and the examiner." in page
    assert not TestPurchase.objects.exists() and not CustodyEvent.objects.exists()


def test_received_before_ordered_is_refused_with_its_reason(staff_client, matter_a, listing):
    url = reverse("web:purchase_create", args=[matter_a.reference])
    page = staff_client.post(url, purchase_data(listing, received_on="2026-03-01"), follow=True).content.decode()
    assert "The item cannot be received before it was ordered." in page
    assert not TestPurchase.objects.exists()


def test_clients_cannot_record_a_test_purchase(client, member_a, matter_a, listing):
    client.force_login(member_a)
    response = client.post(reverse("web:purchase_create", args=[matter_a.reference]), purchase_data(listing))
    assert response.status_code == 404 and not TestPurchase.objects.exists()


def test_a_file_uploaded_with_a_purchase_chosen_belongs_to_that_purchase(client, member_a, matter_a):
    purchase = TestPurchaseFactory(matter=matter_a)
    client.force_login(member_a)
    upload = SimpleUploadedFile("order.pdf", samples.pdf_bytes("Order"), content_type="application/pdf")
    client.post(reverse("web:exhibit_create", args=[matter_a.reference]),
                {"files": upload, "kind": "order_confirmation", "purchase": str(purchase.pk)})  # fmt: skip
    assert Exhibit.objects.get().purchase == purchase


def test_a_purchase_of_another_matter_cannot_be_chosen(client, member_a, matter_a, matter_b):
    other = TestPurchaseFactory(matter=matter_b)
    client.force_login(member_a)
    upload = SimpleUploadedFile("order.pdf", samples.pdf_bytes("Order"), content_type="application/pdf")
    response = client.post(reverse("web:exhibit_create", args=[matter_a.reference]),
                           {"files": upload, "kind": "order_confirmation", "purchase": str(other.pk)})  # fmt: skip
    assert response.status_code == 404 and not Exhibit.objects.exists()


def test_each_purchase_has_its_own_drop_zone_and_says_whether_its_report_is_signed(client, member_a, matter_a):
    purchase = TestPurchaseFactory(matter=matter_a)
    client.force_login(member_a)
    page = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert f'data-upload-url="/matters/{matter_a.reference}/exhibits/?purchase={purchase.pk}"' in page
    assert f'id="upload-p{purchase.pk}-dropzone"' in page
    assert "Awaiting the rights holder's signature" in page
    upload = SimpleUploadedFile("signed.pdf", samples.pdf_bytes("Signed report"), content_type="application/pdf")
    client.post(reverse("web:exhibit_create", args=[matter_a.reference]) + f"?purchase={purchase.pk}",
                {"files": upload, "kind": "signed_test_buy_report"})  # fmt: skip
    page = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert "Signed by the rights holder" in page and "Awaiting the rights holder" not in page


def test_the_proof_section_says_an_ipp_test_buy_report_awaits_signature_until_one_is_uploaded(
    client, member_a, matter_a
):
    purchase = TestPurchaseFactory(matter=matter_a)
    client.force_login(member_a)
    url = reverse("web:matter_detail", args=[matter_a.reference])
    sentence = f"Test-buy report for order {purchase.order_number}: IPP asks for it signed or sealed"
    assert sentence in client.get(url).content.decode()
    upload = SimpleUploadedFile("sealed.pdf", samples.pdf_bytes("Sealed report"), content_type="application/pdf")
    client.post(reverse("web:exhibit_create", args=[matter_a.reference]) + f"?purchase={purchase.pk}",
                {"files": upload, "kind": "signed_test_buy_report"})  # fmt: skip
    assert sentence not in client.get(url).content.decode()


def test_the_listing_is_found_by_any_spelling_of_its_link(staff_client, matter_a, listing):
    url = reverse("web:purchase_create", args=[matter_a.reference])
    spelled = "alibaba.com/product-detail/x_1.html?spm=a2700.tracking"
    staff_client.post(url, {**purchase_data(listing), "listing": spelled}, follow=True)
    assert TestPurchase.objects.get().listing == listing


def test_a_listing_the_matter_does_not_hold_is_refused_naming_it(staff_client, matter_a, listing):
    url = reverse("web:purchase_create", args=[matter_a.reference])
    other = "https://www.alibaba.com/product-detail/elsewhere_7.html"
    page = staff_client.post(url, {**purchase_data(listing), "listing": other}, follow=True).content.decode()
    assert f"holds no listing at {other}" in page and not TestPurchase.objects.exists()
