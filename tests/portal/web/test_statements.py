"""Statements the portal drafts from recorded facts and the rights holder signs in the portal: the drafts and their
missing facts, who may sign, step-up, the signing record and seal, readiness, declining, and ink."""

import datetime
import hashlib
import html
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.test import TestCase
from django.urls import reverse

from ownership.choices import Authorship
from ownership.models import Membership, OwnershipDocument, StatementDraft
from ownership.readiness import readiness_for_matter
from ownership.services import ownership_document_upload
from ownership.shared.signing import check_signature, load_certificate, signing_identity, trust_roots
from portal.services.notices import wording_review_record
from portal.statement_wording import reviewable_texts
from tests.conftest import verify_with_totp
from tests.factories import TEST_PASSWORD, MembershipFactory, StaffFactory
from tests.ownership.factories import make_right
from tests.support.files import pdf_bytes
from tests.support.layout import layout_problems


def shown(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def reviewed(db):
    lawyer = StaffFactory()
    lawyer.user_permissions.add(Permission.objects.get(codename="review_notice_wording"))
    for template, language in reviewable_texts():
        wording_review_record(template=template, language=language, note="Partner; checked.", by=lawyer)


@pytest.fixture
def director(holder_a):
    holder_a.address = "14 Clerkenwell Green, London EC1R 0DP"
    holder_a.save()
    return MembershipFactory(rights_holder=holder_a, role=Membership.Role.SIGNATORY, title="Director",
                             user__full_name="Claire Donnelly").user  # fmt: skip


def _document(right, doc_type, description):
    return ownership_document_upload(rights_holder=right.rights_holder, right=right, doc_type=doc_type,
                                     upload=ContentFile(pdf_bytes(description), name="proof.pdf"),
                                     description=description)  # fmt: skip


@pytest.fixture
def drawings(matter_a):
    right = make_right(matter_a.rights_holder, "GB", "copyright", title="Aurora drawings",
                       creation_date=datetime.date(2021, 3, 15), authors="Claire Donnelly",
                       authorship=Authorship.EMPLOYEE, first_publication_date=datetime.date(2021, 9, 1),
                       first_publication_place="London Design Fair")  # fmt: skip
    _document(right, "employment_evidence", "Employment contract of Claire Donnelly")
    _document(right, "creation_evidence", "Dated sketches, March 2021")
    return right


def draft_for(client, matter, right=None, kind="witness_statement"):
    data = {"kind": kind, "matter": matter.reference, **({"right": right.pk} if right else {})}
    return client.post(reverse("web:statement_new"), data, follow=True)


def sign(client, draft, **changes):
    data = {"full_name": "Claire Donnelly", "title": "Director", "confirmed": "on", "password": TEST_PASSWORD,
            "shown_sha256": draft.sha256, **changes}  # fmt: skip
    return client.post(reverse("web:statement_sign", args=[draft.pk]), data, follow=True)


def test_the_readiness_report_offers_to_draft_the_missing_witness_statement(client, director, matter_a, drawings):
    client.force_login(director)
    page = shown(client.get(reverse("web:matter_detail", args=[matter_a.reference])))
    assert "Signed witness statement" in page and "Draft it" in page


def test_the_witness_statement_is_drafted_from_the_recorded_facts(client, director, matter_a, drawings, reviewed):
    client.force_login(director)
    page = shown(draft_for(client, matter_a, drawings))
    assert "I, Claire Donnelly, am Director of Alpha Brands Ltd" in page
    assert "It was created on 15 March 2021 by Claire Donnelly." in page
    assert "(Copyright, Designs and Patents Act 1988, s.11(2))" in page and "CD1 (Employment contract" in page
    assert "exhibited as CD2 (Dated sketches, March 2021" in page
    assert "first published on 1 September 2021 in London Design Fair" in page
    assert "without an honest belief in its truth." in page


def test_an_assigned_work_cites_the_signed_assignment_under_s90(client, director, matter_a, reviewed):
    right = make_right(matter_a.rights_holder, "GB", "copyright", title="Logo", authorship=Authorship.ASSIGNED,
                       creation_date=datetime.date(2020, 1, 2), authors="Jo Bloggs",
                       first_publication_date=datetime.date(2020, 2, 1), first_publication_place="London")  # fmt: skip
    _document(right, "signed_assignment", "Assignment signed by Jo Bloggs")
    _document(right, "creation_evidence", "Sketches")
    client.force_login(director)
    page = shown(draft_for(client, matter_a, right))
    assert "Jo Bloggs assigned the copyright to the Company in writing" in page and "s.90(3)" in page


def test_a_draft_lists_the_facts_it_is_missing_instead_of_printing_blanks(client, director, matter_a, reviewed):
    right = make_right(matter_a.rights_holder, "GB", "copyright", title="Bare work", authorship=Authorship.EMPLOYEE)
    client.force_login(director)
    page = shown(draft_for(client, matter_a, right))
    assert "Facts still missing" in page and "the date of first publication" in page
    assert "the documents proving the chain of title" in page and "Sign the statement" not in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.INCOMPLETE


# One listing of the matter per platform, as the claim statement and the letter of authorisation name them.
LISTING_ON = {
    "alibaba": "https://www.alibaba.com/product-detail/x_1.html",
    "amazon": "https://www.amazon.com/dp/B0COPY0001",
}


def listed_on(matter, platform: str = "alibaba") -> None:
    from evidence.services import listing_record, seller_record

    seller, _ = seller_record(platform=platform, store_name=f"Copy Shop {platform}")
    listing_record(matter=matter, url=LISTING_ON[platform], seller=seller)


def test_the_ipp_claim_statement_is_bilingual_and_names_the_matters_links(client, director, matter_a, drawings,
                                                                          reviewed):  # fmt: skip
    listed_on(matter_a)
    client.force_login(director)
    page = shown(draft_for(client, matter_a, drawings, kind="copyright_claim_statement"))
    assert "https://www.alibaba.com/product-detail/x_1.html" in page
    assert "著作权权属声明" in page and "without Alpha Brands Ltd's consent" in page


def test_the_chinese_column_names_the_country_and_the_platforms_in_chinese(client, director, matter_a, drawings,
                                                                            reviewed):  # fmt: skip
    listed_on(matter_a)
    client.force_login(director)
    claim = shown(draft_for(client, matter_a, drawings, kind="copyright_claim_statement"))
    assert "依据英国法律自动产生" in claim and "依据United Kingdom法律" not in claim
    letter = shown(draft_for(client, matter_a, kind="letter_of_authorisation"))
    assert "在阿里巴巴国际站（知识产权保护平台）维护其知识产权" in letter


def test_the_ipp_claim_statement_leaves_out_links_of_other_platforms(client, director, matter_a, drawings, reviewed):
    matter_a.platforms = ["alibaba", "amazon"]
    matter_a.save()
    listed_on(matter_a, "alibaba")
    listed_on(matter_a, "amazon")
    client.force_login(director)
    page = shown(draft_for(client, matter_a, drawings, kind="copyright_claim_statement"))
    assert "https://www.alibaba.com/product-detail/x_1.html" in page and "amazon.com" not in page


def test_the_letter_of_authorisation_names_platforms_signatory_and_expiry(client, director, matter_a, reviewed):
    client.force_login(director)
    page = shown(draft_for(client, matter_a, kind="letter_of_authorisation"))
    expiry = datetime.date.today().replace(year=datetime.date.today().year + 2)
    assert "authorises Harcourt" in page or "authorises" in page
    assert "Alibaba.com (IPP)" in page and "Claire Donnelly, Director" in page
    assert f"until {expiry.day} {expiry:%B %Y}" in page and "授权委托书" in page


def test_unreviewed_wording_is_refused_with_the_reason(client, director, matter_a, drawings):
    client.force_login(director)
    page = shown(draft_for(client, matter_a, drawings))
    assert "has not yet approved the wording of the Witness statement" in page
    assert not StatementDraft.objects.exists()


@pytest.fixture
def draft(client, director, matter_a, drawings, reviewed):
    client.force_login(director)
    draft_for(client, matter_a, drawings)
    return StatementDraft.objects.get()


def test_the_signatory_signs_and_readiness_turns_satisfied(client, draft, matter_a, drawings, signing, tmp_path):
    sign(client, draft)
    draft.refresh_from_db()
    assert draft.status == StatementDraft.Status.SIGNED and draft.signed_from == "127.0.0.1"
    document = draft.document
    assert document.doc_type == "witness_statement" and document.is_signed and document.right == drawings
    assert document.sha256 == draft.signed_sha256
    report = readiness_for_matter(rights_holder=matter_a.rights_holder, rights=[drawings], platforms=["ebay"])
    assert report.rights[0].ready


def test_the_signed_file_is_sealed_ends_with_its_completion_page_and_catches_changes(client, draft, signing,
                                                                                      tmp_path):  # fmt: skip
    sign(client, draft)
    draft.refresh_from_db()
    path = tmp_path / "signed.pdf"
    with draft.document.file.open("rb") as stream:
        path.write_bytes(stream.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Signed electronically in the portal" in text and "Certificate of completion" in text
    assert draft.sha256 in text.split("Certificate of completion")[1]
    identity = signing_identity()
    roots = trust_roots(identity) or [load_certificate(identity)]
    assert check_signature(path, roots, load_certificate(identity)).valid
    altered = tmp_path / "altered.pdf"
    data = bytearray(path.read_bytes())
    position = data.index(b"Claire Donnelly") if b"Claire Donnelly" in data else len(data) // 3
    data[position] ^= 0x01
    altered.write_bytes(bytes(data))
    assert not check_signature(altered, roots, load_certificate(identity)).valid


def test_signing_needs_the_password_again(client, draft, signing):
    page = shown(sign(client, draft, password="not-it"))
    assert "That is not your password." in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.READY
    assert not OwnershipDocument.objects.filter(doc_type="witness_statement").exists()


def test_a_draft_changed_since_it_was_shown_is_not_signed(client, draft, signing):
    page = shown(sign(client, draft, shown_sha256="0" * 64))
    assert "The draft changed since you opened it." in page


def test_a_member_without_signing_authority_cannot_sign(client, draft, member_a, signing):
    client.force_login(member_a)
    page = shown(sign(client, draft))
    assert "Only Claire Donnelly may sign this statement" in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.READY


def test_a_member_of_another_client_never_sees_the_draft(client, draft, member_b):
    client.force_login(member_b)
    assert client.get(reverse("web:statement_detail", args=[draft.pk])).status_code == 404
    assert sign(client, draft).status_code == 404


def test_staff_cannot_sign_for_the_client(client, draft, staff, signing):
    verify_with_totp(client, staff)
    page = shown(sign(client, draft))
    assert "Only Claire Donnelly may sign this statement" in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.READY


def test_asking_for_changes_is_recorded_and_reaches_the_firms_work_queue(client, draft, staff):
    client.post(reverse("web:statement_decision", args=[draft.pk]),
                {"decision": "changes_requested", "reason": "The first publication was in Milan."})  # fmt: skip
    draft.refresh_from_db()
    assert draft.status == StatementDraft.Status.CHANGES_REQUESTED
    assert draft.decision_reason == "The first publication was in Milan."
    verify_with_totp(client, staff)
    queue = shown(client.get(reverse("web:staff_queue"))).split('id="statements-returned"')[1]
    assert f"Draft {draft.pk}: witness statement for Aurora drawings (changes asked for)" in queue


def test_a_scan_signed_in_ink_is_stored_as_the_proof(client, draft, matter_a, drawings):
    scan = ContentFile(pdf_bytes("Signed in ink"), name="signed-scan.pdf")
    data = {"scan": scan, "signatory_name": "Claire Donnelly", "signatory_title": "Director"}
    client.post(reverse("web:statement_wet_ink", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert draft.status == StatementDraft.Status.WET_INK and draft.document.is_signed
    report = readiness_for_matter(rights_holder=matter_a.rights_holder, rights=[drawings], platforms=["ebay"])
    assert report.rights[0].ready


def test_a_lawyer_reviews_a_statement_text_on_the_wording_page(client, db):
    lawyer = StaffFactory(full_name="Helen Ashdown")
    lawyer.user_permissions.add(Permission.objects.get(codename="review_notice_wording"))
    verify_with_totp(client, lawyer)
    page = shown(client.get(reverse("web:notice_wording")))
    assert "Witness statement of copyright ownership · English" in page and "without an honest belief" in page
    client.post(reverse("web:notice_wording"), {"template": "statement:witness_statement", "language": "en",
                                                "note": "Solicitor; checked against PD 22."})  # fmt: skip
    page = shown(client.get(reverse("web:notice_wording")))
    assert "Reviewed by Helen Ashdown" in page and "Solicitor; checked against PD 22." in page


@pytest.fixture
def purchase(matter_a, staff):
    from evidence.services import exhibit_upload, listing_record, seller_record
    from tests.evidence.factories import TestPurchaseFactory

    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="2201234")
    listing, _ = listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_7.html",
                                seller=seller, seller_name="Glowhome Lighting Store")  # fmt: skip
    bought = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff, order_number="3089981234",
                                 result="counterfeit", examiner="Priya Shah", examined_on=datetime.date(2026, 4, 2),
                                 received_on=datetime.date(2026, 3, 30), examination_method="Side by side",
                                 examination_reasons="No hologram; wrong font on the base")  # fmt: skip
    exhibit_upload(matter=matter_a, purchase=bought, kind="parcel_photo", uploaded_by=staff,
                   upload=ContentFile(pdf_bytes("Parcel"), name="parcel.pdf"))  # fmt: skip
    return bought


def test_the_test_buy_report_is_drafted_signed_and_becomes_the_purchases_signed_report(
    client, director, matter_a, purchase, reviewed, signing
):
    from evidence.models import Exhibit
    from evidence.readiness import purchase_readiness

    client.force_login(director)
    page = shown(client.get(reverse("web:matter_detail", args=[matter_a.reference])))
    assert "Test-buy report for order 3089981234" in page and 'value="test_buy_report"' in page
    data = {"kind": "test_buy_report", "matter": matter_a.reference, "purchase": purchase.pk}
    page = shown(client.post(reverse("web:statement_new"), data, follow=True))
    assert "Order 3089981234 was placed on" in page and "from the store Glowhome Lighting Store" in page
    assert "Result: Counterfeit. Reasons: No hologram" in page and "测试购买报告" in page
    matter_page = shown(client.get(reverse("web:matter_detail", args=[matter_a.reference])))
    assert "Draft ready to sign" in matter_page and 'value="test_buy_report"' not in matter_page
    sign(client, StatementDraft.objects.get())
    signed = Exhibit.objects.get(kind=Exhibit.Kind.SIGNED_TEST_BUY_REPORT)
    assert signed.purchase == purchase and signed.sha256 == StatementDraft.objects.get().signed_sha256
    assert purchase_readiness(matter_a) == []


def test_the_chinese_test_buy_report_writes_the_result_in_chinese(client, director, matter_a, purchase, reviewed):
    client.force_login(director)
    data = {"kind": "test_buy_report", "matter": matter_a.reference, "purchase": purchase.pk}
    page = shown(client.post(reverse("web:statement_new"), data, follow=True))
    assert "结论：假冒。" in page and "Result: Counterfeit." in page


def test_a_draft_staff_make_is_e_mailed_to_the_member_who_signs_it(client, staff, director, matter_a, drawings,
                                                                  reviewed, mailoutbox):  # fmt: skip
    verify_with_totp(client, staff)
    with TestCase.captureOnCommitCallbacks(execute=True):
        draft_for(client, matter_a, drawings)
    draft = StatementDraft.objects.get()
    assert [message.to for message in mailoutbox] == [[director.email]]
    assert "To sign: witness statement of copyright ownership for Alpha Brands Ltd" in mailoutbox[0].subject
    assert reverse("web:statement_detail", args=[draft.pk]) in mailoutbox[0].body


def test_a_name_other_than_the_statements_is_refused_and_nothing_is_signed(client, draft, signing):
    page = shown(sign(client, draft, full_name="C. Donnelly"))
    assert "The statement is in the name of Claire Donnelly, Director: type your name and title as they appear" in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.READY


def test_declining_needs_a_reason_and_changes_nothing_without_one(client, draft):
    page = shown(client.post(reverse("web:statement_decision", args=[draft.pk]),
                             {"decision": "declined", "reason": " "}, follow=True))  # fmt: skip
    assert "Say why, so the firm knows what to change." in page
    assert StatementDraft.objects.get().status == StatementDraft.Status.READY


def test_a_member_without_signing_authority_may_still_ask_for_changes(client, draft, holder_a):
    viewer = MembershipFactory(rights_holder=holder_a, role=Membership.Role.VIEWER).user
    client.force_login(viewer)
    client.post(reverse("web:statement_decision", args=[draft.pk]), {"decision": "changes_requested",
                                                                     "reason": "Wrong date."})  # fmt: skip
    assert StatementDraft.objects.get().status == StatementDraft.Status.CHANGES_REQUESTED


def _signed_pdf(draft: StatementDraft, tmp_path) -> Path:
    """The signed statement as stored: the proof document, or for a test-buy report the purchase's exhibit."""
    from evidence.models import Exhibit

    draft.refresh_from_db()
    stored = draft.document.file if draft.document else Exhibit.objects.get(sha256=draft.signed_sha256).file
    path = tmp_path / "signed.pdf"
    with stored.open("rb") as stream:
        path.write_bytes(stream.read())
    return path


@pytest.mark.parametrize(
    "kind, platform",
    [
        ("witness_statement", "amazon"),  # English alone
        ("letter_of_authorisation", "amazon"),
        ("letter_of_authorisation", "alibaba"),  # English and Chinese side by side
        ("copyright_claim_statement", "alibaba"),
    ],
)
def test_every_signed_statement_passes_the_layout_check(client, director, matter_a, drawings, reviewed, signing,
                                                        tmp_path, kind, platform):  # fmt: skip
    matter_a.platforms = [platform]
    matter_a.save()
    listed_on(matter_a, platform)
    client.force_login(director)
    draft_for(client, matter_a, None if kind == "letter_of_authorisation" else drawings, kind=kind)
    draft = StatementDraft.objects.get()
    assert draft.status == StatementDraft.Status.READY, draft.missing
    sign(client, draft)
    path = _signed_pdf(draft, tmp_path)
    assert layout_problems(path) == []


@pytest.mark.parametrize("platform", ["alibaba", "amazon"])  # bilingual, then English alone
def test_a_signed_test_buy_report_passes_the_layout_check(client, director, matter_a, purchase, reviewed, signing,
                                                          tmp_path, platform):  # fmt: skip
    matter_a.platforms = [platform]
    matter_a.save()
    client.force_login(director)
    client.post(reverse("web:statement_new"), {"kind": "test_buy_report", "matter": matter_a.reference,
                                               "purchase": purchase.pk})  # fmt: skip
    draft = StatementDraft.objects.get()
    sign(client, draft)
    assert layout_problems(_signed_pdf(draft, tmp_path)) == []


def test_the_signer_downloads_the_signed_pdf_with_its_certificate_from_the_draft_page(client, draft, signing):
    sign(client, draft)
    draft.refresh_from_db()
    page = shown(client.get(reverse("web:statement_detail", args=[draft.pk])))
    url = reverse("web:statement_signed_download", args=[draft.pk])
    assert f'href="{url}"' in page and "Download the signed PDF, with its certificate of completion" in page
    body = b"".join(client.get(url).streaming_content)
    assert hashlib.sha256(body).hexdigest() == draft.signed_sha256
    text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    assert "Certificate of completion" in text


def test_the_matter_page_lists_the_signed_statements_with_their_signed_copies(client, draft, matter_a, signing):
    sign(client, draft)
    page = shown(client.get(reverse("web:matter_detail", args=[matter_a.reference])))
    assert "Signed statements" in page and "Witness statement" in page
    assert reverse("web:statement_signed_download", args=[draft.pk]) in page


def test_a_draft_not_yet_signed_has_no_signed_copy(client, draft):
    assert client.get(reverse("web:statement_signed_download", args=[draft.pk])).status_code == 404


def test_a_member_of_another_client_never_downloads_the_signed_copy(client, draft, member_b, signing):
    sign(client, draft)
    client.force_login(member_b)
    assert client.get(reverse("web:statement_signed_download", args=[draft.pk])).status_code == 404


def test_a_signed_test_buy_report_downloads_from_its_draft(client, director, matter_a, purchase, reviewed, signing):
    client.force_login(director)
    client.post(reverse("web:statement_new"), {"kind": "test_buy_report", "matter": matter_a.reference,
                                               "purchase": purchase.pk})  # fmt: skip
    draft = StatementDraft.objects.get()
    sign(client, draft)
    draft.refresh_from_db()
    response = client.get(reverse("web:statement_signed_download", args=[draft.pk]))
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == draft.signed_sha256


def test_a_signed_statement_is_recorded_and_the_verify_page_names_it(client, draft, signing):
    from ownership.shared.registry import IssuedDocument

    sign(client, draft)
    draft.refresh_from_db()
    record = IssuedDocument.objects.get(sha256=draft.signed_sha256)
    assert record.kind == IssuedDocument.Kind.SIGNED_STATEMENT
    page = shown(client.post(reverse("verify_bundle"), {"sha256": draft.signed_sha256}))
    assert "Statement signed in the portal" in page
    assert f"Witness statement of copyright ownership {draft.rights_holder.code}/S{draft.pk}" in page


def test_a_signed_test_buy_report_is_recorded_as_one(client, director, matter_a, purchase, reviewed, signing):
    from ownership.shared.registry import IssuedDocument

    client.force_login(director)
    client.post(reverse("web:statement_new"), {"kind": "test_buy_report", "matter": matter_a.reference,
                                               "purchase": purchase.pk})  # fmt: skip
    draft = StatementDraft.objects.get()
    sign(client, draft)
    draft.refresh_from_db()
    record = IssuedDocument.objects.get(sha256=draft.signed_sha256)
    assert (record.kind, record.matter_reference) == (IssuedDocument.Kind.SIGNED_TEST_BUY_REPORT, matter_a.reference)
