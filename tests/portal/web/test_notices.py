"""Notices to sellers: refused until a lawyer reviews the exact wording, bilingual for Chinese platforms, signed,
naming only the matter's own client, rights and listings; e-mailed with a recorded Message-ID; tracked on the
work queue until the seller replies."""

import datetime
import hashlib
import html
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evidence.networks import seller_identifier_add
from ownership.shared.signing import check_signature, load_certificate, signing_identity, trust_roots
from portal import notice_wording
from portal.models import Notice, WordingReview
from portal.services.notices import notice_compile, notice_request, wording_review_record
from tests.conftest import verify_with_totp
from tests.factories import StaffFactory
from tests.ownership.factories import make_right
from tests.support.layout import layout_problems


def shown(response) -> str:
    """The page's text as a reader sees it (entities such as &#x27; decoded)."""
    return html.unescape(response.content.decode())


IN_TWO_WEEKS = timezone.localdate() + datetime.timedelta(days=14)


@pytest.fixture
def reviewer(db):
    """A lawyer given the review permission one by one (the firm-staff group withholds it)."""
    lawyer = StaffFactory(full_name="Helen Ashdown")
    lawyer.user_permissions.add(Permission.objects.get(codename="review_notice_wording"))
    return lawyer


@pytest.fixture
def reviewed(reviewer):
    for language in notice_wording.WORDING:
        wording_review_record(language=language, note="Partner; checked against firm precedent.", by=reviewer)


@pytest.fixture
def right(matter_a):
    return make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")


def ask(staff_client, seller, matter, right, **changes):
    signer = staff_client.session["_auth_user_id"]  # the staff member asking signs, as the form offers
    data = {"scope": "network", "rights": [right.pk], "deadline": IN_TWO_WEEKS.isoformat(), "signed_by": signer,
            **changes}  # fmt: skip
    return staff_client.post(reverse("web:notice_new", args=[seller.pk, matter.reference]), data, follow=True)


def test_a_notice_is_refused_until_the_wording_is_reviewed(staff_client, network, matter_a, right):
    page = shown(ask(staff_client, network[0], matter_a, right))
    assert "has no review of its current text" in page and "Simplified Chinese" in page
    assert not Notice.objects.exists()


def test_staff_without_the_review_permission_cannot_record_a_review(staff_client):
    page = shown(
        staff_client.post(reverse("web:notice_wording"), {"language": "en", "note": "Looks fine."}, follow=True)
    )
    assert "needs the firm's review permission" in page
    assert not WordingReview.objects.exists()


def test_a_lawyer_with_the_permission_records_a_review_of_the_current_text(client, reviewer):
    verify_with_totp(client, reviewer)
    client.post(reverse("web:notice_wording"), {"language": "zh-Hans", "note": "Bilingual partner; checked."})
    page = shown(client.get(reverse("web:notice_wording")))
    assert "Reviewed by Helen Ashdown" in page and "Bilingual partner; checked." in page
    assert WordingReview.objects.current("zh-Hans").get().reviewed_by == reviewer


def test_a_changed_text_needs_a_new_review(reviewed, monkeypatch):
    edited = notice_wording.WORDING["en"].__class__(
        **{**notice_wording.WORDING["en"].__dict__, "reservation": "All rights reserved."}
    )
    monkeypatch.setitem(notice_wording.WORDING, "en", edited)
    assert not WordingReview.objects.current("en").exists()
    assert WordingReview.objects.current("zh-Hans").exists()


def test_a_network_notice_is_bilingual_signed_and_names_only_this_matters_client(
    staff_client, network, matter_a, matter_b, right, reviewed, signing, tmp_path
):
    ask(staff_client, network[0], matter_a, right)
    notice = notice_compile(notice_id=Notice.objects.get().pk)  # what the worker runs
    assert notice.status == Notice.Status.READY, notice.failure_reason
    path = tmp_path / "notice.pdf"
    path.write_bytes(b"".join(staff_client.get(reverse("web:notice_download", args=[notice.pk])).streaming_content))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == notice.sha256
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())  # lines wrapped in columns read as one
    assert "Notice of infringement and demand to stop" in text and "侵权通知及停止侵权要求函" in text
    assert "Glowhome Lighting Store" in text and "Deskglow Official" in text and "AURORA" in text
    assert "https://www.aliexpress.com/item/1005001.html" in text
    assert "i_2.html" not in text and "明峰数码旗舰店" not in text and matter_b.rights_holder.name not in text
    assert f"{IN_TWO_WEEKS.day} {IN_TWO_WEEKS:%B %Y}" in text
    identity = signing_identity()
    check = check_signature(path, trust_roots(identity) or [load_certificate(identity)], load_certificate(identity))
    assert check.valid and check.covers_whole_file, check.problems


def test_stores_of_one_name_on_two_platforms_are_named_once_in_the_text(staff, network, matter_a, right, reviewed):
    from evidence.services import listing_record, seller_record
    from portal.services.notices import notice_input

    twin, _ = seller_record(platform="aliexpress", store_name="Glowhome Lighting Store")
    seller_identifier_add(seller=twin, kind="phone", value="13824681357", exhibit=network[2])
    listing_record(matter=matter_a, seller=twin, url="https://www.aliexpress.com/item/1005002.html",
                   seller_name="Glowhome Lighting Store")  # fmt: skip
    notice = notice_request(matter=matter_a, seller=network[0], scope="network", rights=[right],
                            deadline=IN_TWO_WEEKS, by=staff)  # fmt: skip
    data = notice_input(notice)
    assert len(data.stores) == 3  # the address block names each store with its platform
    assert data.texts[0].infringement.count("Glowhome Lighting Store") == 1


def test_a_notice_to_one_store_names_only_its_listings(staff, network, matter_a, right, reviewed):
    notice = notice_request(matter=matter_a, seller=network[0], scope="seller", rights=[right],
                            deadline=IN_TWO_WEEKS, by=staff)  # fmt: skip
    assert [listing.url for listing in notice.listings.all()] == ["https://www.alibaba.com/product-detail/i_1.html"]


def test_a_notice_leaves_out_the_listings_already_recorded_as_removed(staff, network, matter_a, right, reviewed):
    from django.core.exceptions import ValidationError

    from evidence.models import Listing
    from evidence.services import listing_set_status

    removed = Listing.objects.get(url="https://www.aliexpress.com/item/1005001.html")
    listing_set_status(listing=removed, status=Listing.Status.REMOVED, by=staff)
    notice = notice_request(matter=matter_a, seller=network[0], scope="network", rights=[right],
                            deadline=IN_TWO_WEEKS, by=staff)  # fmt: skip
    assert [listing.url for listing in notice.listings.all()] == ["https://www.alibaba.com/product-detail/i_1.html"]
    with pytest.raises(ValidationError, match="has no listing of this store still online"):
        notice_request(matter=matter_a, seller=network[1], scope="seller", rights=[right], deadline=IN_TWO_WEEKS,
                       by=staff)  # fmt: skip


def test_stores_only_on_other_platforms_get_english_alone():
    assert notice_wording.languages_for({"ebay", "amazon"}) == ("en",)
    assert notice_wording.languages_for({"ebay", "taobao"}) == ("en", "zh-Hans")


def test_a_right_of_another_client_is_refused(staff_client, network, matter_a, matter_b, reviewed):
    other = make_right(matter_b.rights_holder, "CN", "trademark", title="BETA")
    page = shown(ask(staff_client, network[0], matter_a, other))
    assert "Select a valid choice" in page and not Notice.objects.exists()


def test_a_deadline_that_is_not_in_the_future_is_refused(staff_client, network, matter_a, right, reviewed):
    page = shown(ask(staff_client, network[0], matter_a, right, deadline=timezone.localdate().isoformat()))
    assert "The deadline must be after today." in page and not Notice.objects.exists()


def test_uk_trade_marks_bring_the_unjustified_threats_warning(staff_client, network, matter_a):
    make_right(matter_a.rights_holder, "GB", "trademark", title="AURORA UK")
    page = shown(staff_client.get(reverse("web:notice_new", args=[network[0].pk, matter_a.reference])))
    assert "Trade Marks Act 1994 ss.21-21F" in page


@pytest.fixture
def ready_notice(staff, network, matter_a, right, reviewed, signing):
    seller_identifier_add(seller=network[1], kind="email", value="Sales@Deskglow.example", exhibit=network[2])
    notice = notice_request(matter=matter_a, seller=network[0], scope="network", rights=[right],
                            deadline=IN_TWO_WEEKS, by=staff)  # fmt: skip
    return notice_compile(notice_id=notice.pk)


def pdf_words(notice: Notice) -> str:
    with notice.file.open("rb") as stream:
        data = stream.read()
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())  # lines wrapped in columns read as one


def test_a_notice_is_on_the_firms_letterhead_and_names_who_signs_it_with_their_role(ready_notice, staff):
    text = pdf_words(ready_notice)
    assert "20 Test Lane, London EC4A 1AA" in text and "Tel. +44 20 7946 0999" in text
    assert "Authorised and regulated by the Solicitors Regulation Authority, SRA number 000000" in text
    assert f"Signed by {staff.get_full_name()}, Solicitor, for Harcourt & Vale LLP" in text
    assert f"{staff.get_full_name()}（Solicitor）签署" in text


def test_the_signature_names_the_signing_member(ready_notice, staff):
    from pyhanko.pdf_utils.reader import PdfFileReader

    with ready_notice.file.open("rb") as stream:
        signature = PdfFileReader(stream).embedded_signatures[0]
        reason = str(signature.sig_object["/Reason"])
    assert reason.endswith(f"signed by {staff.get_full_name()}, Solicitor")


def test_rights_are_written_as_sentences_in_each_language(ready_notice):
    text = pdf_words(ready_notice)
    assert "Trade mark “AURORA”, registered in China under number" in text
    assert "中国商标“AURORA”，注册号" in text


def test_the_demand_points_back_at_the_listings_it_follows(ready_notice):
    text = pdf_words(ready_notice)
    assert "remove the listings above" in text and "删除上述链接" in text
    assert "listings below and every other" not in text


def test_a_notice_is_refused_while_the_letterhead_is_incomplete(staff_client, network, matter_a, right, reviewed,
                                                                settings):  # fmt: skip
    settings.PORTAL_FIRM_ADDRESS = ""
    settings.PORTAL_FIRM_REGULATOR = ""
    page = shown(ask(staff_client, network[0], matter_a, right))
    assert "The firm's letterhead is incomplete: set PORTAL_FIRM_ADDRESS, PORTAL_FIRM_REGULATOR" in page
    assert not Notice.objects.exists()


def test_a_signer_without_a_recorded_role_is_refused(staff_client, staff, network, matter_a, right, reviewed):
    unnamed = StaffFactory(full_name="Tom Reed", job_title="")
    page = shown(ask(staff_client, network[0], matter_a, right, signed_by=unnamed.pk))
    assert "Select a valid choice" in page  # the form offers only members with a role
    with pytest.raises(ValidationError, match="Record Tom Reed's role"):
        notice_request(matter=matter_a, seller=network[0], scope="network", rights=[right], deadline=IN_TWO_WEEKS,
                       by=staff, signed_by=unnamed)  # fmt: skip


def test_in_development_with_nothing_set_the_letterhead_says_it_is_a_demo(settings):
    from portal.letterhead import letterhead

    settings.DEBUG = True
    for name in ("PORTAL_FIRM_ADDRESS", "PORTAL_FIRM_TELEPHONE", "PORTAL_FIRM_EMAIL", "PORTAL_FIRM_REGULATOR",
                 "PORTAL_FIRM_REGULATOR_NUMBER"):  # fmt: skip
        setattr(settings, name, "")
    assert "DEMONSTRATION LETTERHEAD: not a real firm and not regulated" in letterhead().lines
    settings.DEBUG = False
    assert letterhead().missing


def test_staff_e_mail_the_signed_notice_and_its_message_id_is_recorded(staff_client, staff, ready_notice):
    page = shown(staff_client.get(reverse("web:notice_detail", args=[ready_notice.pk])))
    assert "Sales@Deskglow.example" in page  # a network address, offered as a recipient
    staff_client.post(reverse("web:notice_email", args=[ready_notice.pk]), {"recipient": ["Sales@Deskglow.example"]})
    message = mail.outbox[0]
    notice = Notice.objects.get()
    assert message.to == ["Sales@Deskglow.example"] and message.reply_to == [staff.email]
    assert message.extra_headers["Message-ID"] == notice.message_id and notice.sent_by == staff
    assert message.attachments[0][0] == f"notice-{notice.pk}.pdf"
    assert hashlib.sha256(message.attachments[0][1]).hexdigest() == notice.sha256
    assert "请于" in message.body and "Please reply to this e-mail by" in message.body


def test_an_address_that_is_not_one_is_refused_and_nothing_is_sent(staff_client, ready_notice):
    page = shown(staff_client.post(reverse("web:notice_email", args=[ready_notice.pk]), {"other": "seller at example"},
                             follow=True))  # fmt: skip
    assert "'seller at example' is not an e-mail address." in page
    assert not mail.outbox and Notice.objects.get().sent_at is None


def test_a_mail_server_failure_records_nothing(staff_client, ready_notice, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    page = shown(staff_client.post(reverse("web:notice_email", args=[ready_notice.pk]), {"other": "a@b.example"},
                             follow=True))  # fmt: skip
    assert "The e-mail could not be sent (Connection refused). Nothing was recorded." in page
    assert Notice.objects.get().sent_at is None


def test_the_work_queue_follows_a_notice_from_sending_to_the_reply(staff_client, ready_notice):
    queue = reverse("web:staff_queue")
    assert f"Notice {ready_notice.pk}" in shown(staff_client.get(queue)).split('id="notices-to-send"')[1]
    staff_client.post(reverse("web:notice_platform_message", args=[ready_notice.pk]))
    awaiting = shown(staff_client.get(queue)).split('id="notices-awaiting-reply"')[1]
    assert f"reply due {IN_TWO_WEEKS:%d %b %Y}" in awaiting
    staff_client.post(reverse("web:notice_reply", args=[ready_notice.pk]),
                      {"received_on": timezone.localdate().isoformat(), "summary": "Listings removed."})  # fmt: skip
    assert f"Notice {ready_notice.pk}" not in shown(staff_client.get(queue))
    assert "Listings removed." in shown(staff_client.get(ready_notice.get_absolute_url()))


def test_a_passed_deadline_shows_on_the_work_queue(staff_client, ready_notice):
    Notice.objects.filter(pk=ready_notice.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=20), deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert "deadline passed" in shown(staff_client.get(reverse("web:staff_queue")))


def test_a_reply_dated_before_the_notice_was_sent_is_refused(staff_client, ready_notice):
    staff_client.post(reverse("web:notice_platform_message", args=[ready_notice.pk]))
    page = shown(staff_client.post(reverse("web:notice_reply", args=[ready_notice.pk]),
                             {"received_on": "2020-01-01", "summary": "Old."}, follow=True))  # fmt: skip
    assert "between the day the notice was sent and today" in page
    assert Notice.objects.get().reply_received_on is None


@pytest.mark.parametrize("member", ["member_a", "member_b"])
def test_client_members_never_reach_a_notice(member, request, ready_notice):
    client = Client()
    client.force_login(request.getfixturevalue(member))
    assert client.get(reverse("web:notice_detail", args=[ready_notice.pk])).status_code == 404


def test_a_review_without_a_note_is_refused(client, reviewer):
    verify_with_totp(client, reviewer)
    page = shown(client.post(reverse("web:notice_wording"), {"language": "en", "note": ""}, follow=True))
    assert "Say in what capacity you reviewed the text and what you checked." in page
    assert not WordingReview.objects.exists()


def notice_pdf(notice: Notice, tmp_path) -> Path:
    path = tmp_path / "notice.pdf"
    with notice.file.open("rb") as stream:
        path.write_bytes(stream.read())
    return path


def test_a_bilingual_notice_passes_the_layout_check(ready_notice, tmp_path):
    assert ready_notice.languages == ["en", "zh-Hans"]
    assert layout_problems(notice_pdf(ready_notice, tmp_path)) == []


def test_an_english_notice_passes_the_layout_check(staff, matter_a, reviewed, signing, tmp_path):
    from evidence.services import listing_record, seller_record

    matter_a.platforms = ["amazon"]
    matter_a.save()
    store, _ = seller_record(platform="amazon", store_name="Lampworks Direct")
    listing_record(matter=matter_a, seller=store, url="https://www.amazon.co.uk/dp/B0LAMP0001",
                   seller_name="Lampworks Direct", title="Aurora lamp replica")  # fmt: skip
    mark = make_right(matter_a.rights_holder, "GB", "copyright", title="Aurora desk lamp drawings")
    notice = notice_request(matter=matter_a, seller=store, scope="seller", rights=[mark], deadline=IN_TWO_WEEKS,
                            by=staff)  # fmt: skip
    notice = notice_compile(notice_id=notice.pk)
    assert notice.languages == ["en"] and notice.status == Notice.Status.READY, notice.failure_reason
    assert layout_problems(notice_pdf(notice, tmp_path)) == []


def test_an_issued_notice_is_recorded_and_verify_document_names_it(ready_notice, tmp_path, capsys):
    from django.core.management import call_command

    from ownership.shared.registry import IssuedDocument

    record = IssuedDocument.objects.get(object_ref=f"portal.notice:{ready_notice.pk}")
    assert (record.kind, record.sha256, record.matter_reference) == (
        IssuedDocument.Kind.NOTICE,
        ready_notice.sha256,
        ready_notice.matter.reference,
    )
    call_command("verify_document", str(notice_pdf(ready_notice, tmp_path)))
    out = capsys.readouterr().out
    assert out.startswith(f"GENUINE: Notice to a seller, matter {ready_notice.matter.reference}, issued ")
    assert f"Notice of infringement {ready_notice.matter.reference}/N{ready_notice.pk} from Harcourt & Vale LLP" in out


def test_the_registry_counts_one_listing_in_the_singular(staff_client, network, matter_a, right, reviewed, signing):
    from ownership.shared.registry import IssuedDocument

    ask(staff_client, network[0], matter_a, right, scope="seller")
    notice = notice_compile(notice_id=Notice.objects.get().pk)
    record = IssuedDocument.objects.get(object_ref=f"portal.notice:{notice.pk}")
    assert ", 1 listing, to comply by " in record.certifies, record.certifies


def test_a_tampered_notice_is_refused_by_the_verify_page(ready_notice, tmp_path, client):
    data = bytearray(notice_pdf(ready_notice, tmp_path).read_bytes())
    data[len(data) // 2] ^= 0x01
    upload = SimpleUploadedFile("notice.pdf", bytes(data), content_type="application/pdf")
    page = shown(client.post(reverse("verify_bundle"), {"file": upload}))
    assert "Not a genuine document of this portal" in page
    assert "Altered after signing" in page and "does not chain to a trusted root" not in page  # one true reason
