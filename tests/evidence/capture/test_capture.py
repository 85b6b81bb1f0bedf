"""Captures by a real headless Chromium of the fake marketplace on loopback, stored as exhibits."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import urllib.request
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from evidence.capture import archive
from evidence.capture.services import capture_request, capture_run, takedown_checks_due, takedown_watches_start
from evidence.models import Capture, CustodyEvent, Exhibit, Listing, TakedownWatch
from ownership.shared.signing import (
    check_signature,
    load_certificate,
    signing_identity,
    trust_root_path,
    trust_roots,
)
from tests.evidence.factories import MatterListingFactory, listing_in
from tests.factories import MatterFactory, StaffFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def matter(db):
    return MatterFactory(platforms=["aliexpress", "amazon", "ebay"])


@pytest.fixture
def staff_member(db):
    return StaffFactory(full_name="Priya Shah")


def listed(matter, url: str, platform: str = "aliexpress", **fields) -> Listing:
    return listing_in(matter, listing__url=url, listing__seller__platform=platform, **fields)


def capture(matter, browser, *, by=None, listing=None, url="", purpose=Capture.Purpose.EVIDENCE) -> Capture:
    queued = capture_request(matter=matter, by=by, listing=listing, url=url, purpose=purpose, enqueue=False)
    return capture_run(capture_id=queued.pk, browser=browser)


def test_a_capture_stores_the_signed_record_first_then_screenshot_pdf_and_wacz_each_hashed(
    matter, staff_member, market, capture_browser, capture_allowed
):
    listing = listed(matter, market.item_url("aliexpress", "1001"))
    done = capture(matter, capture_browser, by=staff_member, listing=listing)
    assert done.status == Capture.Status.DONE, done.failure_reason
    exhibits = list(done.exhibits.order_by("number"))
    assert [e.kind for e in exhibits] == ["capture_record", "listing_capture", "listing_capture", "web_archive"]
    assert [e.content_type for e in exhibits] == ["application/pdf", "image/png", "application/pdf", "application/wacz"]
    for exhibit in exhibits:
        with default_storage.open(exhibit.file.name, "rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == exhibit.sha256


def test_each_file_is_logged_in_custody_as_captured_by_who_asked(matter, staff_member, market, capture_browser,
                                                                 capture_allowed):  # fmt: skip
    done = capture(matter, capture_browser, by=staff_member, listing=listed(matter, market.item_url("ebay", "77")))
    events = CustodyEvent.objects.filter(matter=matter, action=CustodyEvent.Action.CAPTURED)
    assert events.count() == 4
    assert all(e.details.startswith("Captured by Priya Shah at ") for e in events)
    assert set(events.values_list("exhibit__capture", flat=True)) == {done.pk}


@pytest.mark.usefixtures("capture_allowed")
def test_the_record_is_signed_by_the_firm_and_carries_the_json_it_hashes(matter, staff_member, market, capture_browser,
                                                                         tmp_path):  # fmt: skip
    done = capture(matter, capture_browser, by=staff_member, listing=listed(matter, market.item_url("amazon", "B0")))
    record = done.exhibits.get(kind=Exhibit.Kind.CAPTURE_RECORD)
    path = tmp_path / "record.pdf"
    with default_storage.open(record.file.name, "rb") as stored:
        path.write_bytes(stored.read())
    identity = signing_identity()
    check = check_signature(path, trust_roots(identity) or [load_certificate(identity)], load_certificate(identity))
    assert check.valid and check.covers_whole_file, check.problems
    with pikepdf.open(path) as pdf:
        body = pdf.attachments["capture-record.json"].get_file().read_bytes()
    assert hashlib.sha256(body).hexdigest() == done.record_sha256
    data = json.loads(body)
    assert data["requested_url"] == market.item_url("amazon", "B0") and data["requested_by"] == "Priya Shah"
    assert data["files"]["capture.wacz"] == done.exhibits.get(kind=Exhibit.Kind.WEB_ARCHIVE).sha256


def test_the_wacz_validates_and_holds_the_pages_responses_and_rendered_dom(matter, market, capture_browser,
                                                                           capture_allowed, tmp_path):  # fmt: skip
    url = market.item_url("aliexpress", "2002")
    done = capture(matter, capture_browser, url=url)
    wacz = done.exhibits.get(kind=Exhibit.Kind.WEB_ARCHIVE)
    path = tmp_path / "capture.wacz"
    with default_storage.open(wacz.file.name, "rb") as stored:
        path.write_bytes(stored.read())
    valid, said = archive.validate(path)
    assert valid, said
    with zipfile.ZipFile(path) as packed:
        warc_name = next(name for name in packed.namelist() if name.startswith("archive/"))
        records = list(ArchiveIterator(io.BytesIO(packed.read(warc_name))))
    responses = {r.rec_headers.get_header("WARC-Target-URI"): r for r in records if r.rec_type == "response"}
    assert url in responses and market.url("/img/2002-main.png") in responses
    assert responses[url].rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
    assert any(r.rec_type == "resource" and r.rec_headers.get_header("WARC-Target-URI") == f"urn:view:{url}"
               for r in records)  # fmt: skip


def test_lazy_loaded_images_below_the_fold_are_fetched(matter, market, capture_browser, capture_allowed):
    done = capture(matter, capture_browser, url=market.item_url("ebay", "lazy9"))
    assert done.status == Capture.Status.DONE
    assert "/img/lazy9-3.png" in market.hits


@pytest.mark.usefixtures("capture_allowed")
def test_the_record_passes_the_layout_check_and_names_the_portal_as_its_creator(matter, staff_member, market,
                                                                               capture_browser, tmp_path):  # fmt: skip
    from tests.support.layout import layout_problems

    done = capture(matter, capture_browser, by=staff_member, listing=listed(matter, market.item_url("amazon", "B0")))
    path = tmp_path / "record.pdf"
    with default_storage.open(done.exhibits.get(kind=Exhibit.Kind.CAPTURE_RECORD).file.name, "rb") as stored:
        path.write_bytes(stored.read())
    assert layout_problems(path) == []
    with pikepdf.open(path) as pdf:
        assert str(pdf.docinfo["/Creator"]) == "Evidence Portal"


@pytest.mark.usefixtures("capture_allowed")
def test_the_record_is_entered_in_the_registry_of_issued_documents(matter, staff_member, market, capture_browser):
    from ownership.shared.registry import IssuedDocument

    done = capture(matter, capture_browser, by=staff_member, listing=listed(matter, market.item_url("amazon", "B0")))
    record = IssuedDocument.objects.get(object_ref=f"evidence.capture:{done.pk}")
    assert record.kind == IssuedDocument.Kind.CAPTURE_RECORD and record.matter_reference == matter.reference
    assert record.sha256 == done.exhibits.get(kind=Exhibit.Kind.CAPTURE_RECORD).sha256
    assert f"record SHA-256 {done.record_sha256}" in record.certifies


@pytest.mark.usefixtures("capture_allowed")
def test_over_https_the_record_holds_the_origins_certificate_fingerprint(matter, tls_market, capture_browser,
                                                                         market_certificate):  # fmt: skip
    done = capture(matter, capture_browser, url=tls_market.item_url("amazon", "tls1"))
    assert done.status == Capture.Status.DONE, done.failure_reason
    assert done.tls_certificates[0]["sha256"] == hashlib.sha256(market_certificate.leaf_der).hexdigest()
    assert "Fake Marketplace Test CA" in done.tls_certificates[0]["issuer"]


def test_a_redirect_chain_is_recorded_hop_by_hop(matter, market, capture_browser, capture_allowed):
    done = capture(matter, capture_browser, url=market.url("/hop/3/aliexpress"))
    assert [hop["status"] for hop in done.redirects] == [302, 302, 302, 200]
    assert done.final_url == market.item_url("aliexpress", "hopped") and done.http_status == 200


def test_what_the_page_says_fills_empty_listing_fields_and_never_overwrites(matter, market, capture_browser,
                                                                            capture_allowed):  # fmt: skip
    listing = listed(matter, market.item_url("aliexpress", "3003"), title="Recorded title")
    done = capture(matter, capture_browser, listing=listing)
    listing = Listing.objects.in_matter(matter).get(pk=listing.pk)
    assert done.page_facts["seller_name"] == "Glowhome Lighting Store"
    assert done.page_facts["store_id"] == "1102345678"
    assert (listing.title, str(listing.price), listing.currency) == ("Recorded title", "24.90", "USD")


def test_confidentiality_a_capture_fills_only_the_facts_of_the_matter_it_was_made_for(
    matter, market, capture_browser, capture_allowed
):
    other_client = MatterFactory(platforms=["aliexpress"])
    listing = listed(matter, market.item_url("aliexpress", "3004"))
    MatterListingFactory(matter=other_client, listing=listing, title="", seller_name="")
    capture(matter, capture_browser, listing=listing)
    mine, theirs = (Listing.objects.in_matter(m).get(pk=listing.pk) for m in (matter, other_client))
    assert (str(mine.price), mine.currency) == ("24.90", "USD") and mine.title
    assert (theirs.title, theirs.price, theirs.currency) == ("", None, "")


def test_sub_resources_on_private_addresses_are_refused_and_listed(matter, market, capture_browser, capture_allowed):
    done = capture(matter, capture_browser, url=market.url("/probe"))
    refused = {item["url"]: item["reason"] for item in done.refused_requests}
    assert "link-local" in refused["http://169.254.169.254/latest/meta-data/"]
    assert "private address" in refused["http://10.0.0.1/"]
    assert "loopback" in refused["http://127.0.0.2:9/secret.js"]


def test_by_default_a_loopback_page_is_refused_and_nothing_is_stored(matter, market, capture_browser, signing):
    done = capture(matter, capture_browser, url=market.item_url("aliexpress", "4004"))
    assert done.status == Capture.Status.FAILED
    assert "127.0.0.1, a loopback address" in done.failure_reason
    assert not Exhibit.objects.exists() and "/aliexpress/item/4004.html" not in market.hits


def test_a_capture_that_cannot_be_signed_stores_no_exhibit_and_says_why(matter, market, capture_browser, settings,
                                                                        capture_allowed, tmp_path):  # fmt: skip
    settings.PORTAL_SIGNING_P12 = tmp_path / "missing.p12"
    done = capture(matter, capture_browser, url=market.item_url("aliexpress", "5005"))
    assert done.status == Capture.Status.FAILED and "could not be signed" in done.failure_reason
    assert not Exhibit.objects.exists()


@pytest.mark.usefixtures("capture_allowed")
def test_takedown_checks_confirm_removal_then_catch_the_listing_coming_back(
    matter, market, capture_browser, monkeypatch, django_capture_on_commit_callbacks
):
    """Over a simulated schedule: filed eight days ago, still online (flagged), taken down, then back."""
    ran = []
    monkeypatch.setattr("evidence.tasks.capture_task.apply_async", lambda args: ran.extend(args))
    listing = listed(matter, market.item_url("ebay", "6006"))
    filed = timezone.now() - datetime.timedelta(days=8)
    takedown_watches_start(listing_ids=[listing.pk], matter=matter, filed_at=filed)
    watch = TakedownWatch.objects.get(listing=listing, matter=matter)

    def check_now():
        with django_capture_on_commit_callbacks(execute=True):
            assert takedown_checks_due(every_watch=True) == 1
        return capture_run(capture_id=ran.pop(), browser=capture_browser)

    first = check_now()
    watch.refresh_from_db()
    assert first.outcome == Capture.Outcome.ONLINE and watch.online_flagged_at is not None
    assert TakedownWatch.objects.still_online().get() == watch

    market.take_down("6006")
    second = check_now()
    listing.refresh_from_db()
    watch.refresh_from_db()
    assert second.outcome == Capture.Outcome.REMOVED and "404" in second.outcome_reason
    assert listing.status == Listing.Status.REMOVED and watch.removal_confirmed_at is not None
    assert not TakedownWatch.objects.still_online().exists()

    market.restore("6006")
    third = check_now()
    listing.refresh_from_db()
    assert third.outcome == Capture.Outcome.REAPPEARED and listing.status == Listing.Status.REAPPEARED


def test_a_check_capture_stays_out_of_complaint_bundles(matter, market, capture_browser, capture_allowed):
    listing = listed(matter, market.item_url("ebay", "7007"))
    check = capture(matter, capture_browser, listing=listing, purpose=Capture.Purpose.CHECK)
    assert check.status == Capture.Status.DONE and check.exhibits.count() == 4
    assert not Exhibit.objects.for_bundle(matter=matter, purchases=[], listings=[listing]).exists()


@pytest.mark.usefixtures("capture_allowed")
def test_a_bundle_takes_the_captures_of_its_own_listings_only(matter, market, capture_browser):
    ours, other = listed(matter, market.item_url("ebay", "8008")), listed(matter, market.item_url("ebay", "8009"))
    capture(matter, capture_browser, listing=ours)
    capture(matter, capture_browser, listing=other)
    taken = Exhibit.objects.for_bundle(matter=matter, purchases=[], listings=[ours])
    assert taken.count() == 4 and {e.capture.listing for e in taken} == {ours}


@pytest.mark.usefixtures("capture_allowed")
def test_with_a_timestamp_authority_the_records_hash_is_timestamped(matter, market, capture_browser, tsa, settings,
                                                                    signing):  # fmt: skip
    settings.PORTAL_TSA_URL, settings.PORTAL_TSA_TRUST_ROOT = tsa.url, str(tsa.root)
    settings.PORTAL_SIGNING_TRUST_ROOT = str(trust_root_path(signing))
    done = capture(matter, capture_browser, url=market.item_url("amazon", "ts1"))
    assert done.status == Capture.Status.DONE, done.failure_reason
    token = bytes(done.record_timestamp)
    assert token and bytes.fromhex(done.record_sha256) in token  # the token's message imprint is the record hash


@pytest.mark.usefixtures("capture_allowed")
def test_the_records_timestamp_token_verifies_with_openssl_as_the_readme_says(matter, market, capture_browser, tsa,
                                                                              settings, signing, tmp_path):  # fmt: skip
    import subprocess

    settings.PORTAL_TSA_URL, settings.PORTAL_TSA_TRUST_ROOT = tsa.url, str(tsa.root)
    settings.PORTAL_SIGNING_TRUST_ROOT = str(trust_root_path(signing))
    done = capture(matter, capture_browser, url=market.item_url("amazon", "ts2"))
    record = done.exhibits.get(kind=Exhibit.Kind.CAPTURE_RECORD)
    with default_storage.open(record.file.name, "rb") as stored, pikepdf.open(io.BytesIO(stored.read())) as pdf:
        for name in ("capture-record.json", "capture-record.tst"):
            (tmp_path / name).write_bytes(pdf.attachments[name].get_file().read_bytes())
    command = ["openssl", "ts", "-verify", "-token_in", "-in", "capture-record.tst", "-data", "capture-record.json",
               "-CAfile", str(tsa.root)]  # fmt: skip
    verified = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert verified.returncode == 0 and "Verification: OK" in verified.stdout, verified.stderr
    (tmp_path / "capture-record.json").write_bytes(b"{}")
    assert subprocess.run(command, cwd=tmp_path, capture_output=True).returncode != 0  # other bytes: refused


@pytest.mark.usefixtures("capture_allowed")
def test_past_the_byte_limit_further_requests_are_refused_and_listed(matter, market, capture_browser, settings):
    url = market.item_url("ebay", "big1")
    with urllib.request.urlopen(url) as page:  # noqa: S310 - the test's own loopback server
        settings.PORTAL_CAPTURE_MAX_BYTES = len(page.read()) + 100  # the page fits; its style sheet and images not
    done = capture(matter, capture_browser, url=url)
    assert done.status == Capture.Status.DONE
    limit = f"limit of {settings.PORTAL_CAPTURE_MAX_BYTES:,} bytes received"
    assert any(limit in item["reason"] for item in done.refused_requests)


@pytest.mark.usefixtures("capture_allowed")
def test_past_the_request_limit_further_requests_are_refused(matter, market, capture_browser, settings):
    settings.PORTAL_CAPTURE_MAX_REQUESTS = 2
    done = capture(matter, capture_browser, url=market.item_url("ebay", "many1"))
    assert done.requests_made == 2
    assert any("limit of 2 requests" in item["reason"] for item in done.refused_requests)


@pytest.mark.usefixtures("capture_allowed")
def test_the_same_seller_and_title_under_a_new_url_is_flagged_reappeared(matter, market, capture_browser):
    gone = listed(matter, market.item_url("aliexpress", "old1"), title="Aurora Desk Lamp LED Replica 2026")
    Listing.objects.filter(pk=gone.pk).update(status=Listing.Status.REMOVED)
    new = listing_in(matter, listing__url=market.item_url("aliexpress", "new1"), listing__seller=gone.seller, title="")
    capture(matter, capture_browser, listing=new)
    new = Listing.objects.in_matter(matter).get(pk=new.pk)
    assert (new.title, new.status) == ("Aurora Desk Lamp LED Replica 2026", Listing.Status.REAPPEARED)


@pytest.mark.usefixtures("capture_allowed")
def test_a_check_of_the_platforms_item_unavailable_page_confirms_removal(matter, market, capture_browser):
    listing = listed(matter, market.url("/unavailable/aliexpress-item.html"))
    takedown_watches_start(
        listing_ids=[listing.pk], matter=matter, filed_at=timezone.now() - datetime.timedelta(days=2)
    )
    check = capture(matter, capture_browser, listing=listing, purpose=Capture.Purpose.CHECK)
    listing.refresh_from_db()
    assert (check.http_status, check.outcome) == (200, Capture.Outcome.REMOVED)
    assert "no longer available" in check.outcome_reason and listing.status == Listing.Status.REMOVED


@pytest.mark.usefixtures("capture_allowed")
def test_contacts_written_on_the_page_are_kept_as_candidates_not_identifiers(matter, market, capture_browser):
    listing = listed(matter, market.item_url("aliexpress", "c1"))
    done = capture(matter, capture_browser, listing=listing)
    assert {"kind": "phone", "value": "+86 138 2468 1357"} in done.page_facts["contacts"]
    assert {"kind": "email", "value": "sales@glowhome-lighting.example"} in done.page_facts["contacts"]
    assert not listing.seller.identifiers.exists()


@pytest.mark.usefixtures("capture_allowed")
def test_the_capture_command_captures_a_listing_and_prints_its_record(matter, market, staff_member):
    listing = listed(matter, market.item_url("amazon", "cmd1"))
    out = io.StringIO()
    call_command("capture_listing", listing.url, matter=matter.reference, by=staff_member.email, stdout=out)
    capture_made = Capture.objects.get(listing=listing)
    assert capture_made.status == Capture.Status.DONE and capture_made.requested_by == staff_member
    assert f"record SHA-256 {capture_made.record_sha256}" in out.getvalue()


def test_the_capture_command_exits_1_with_the_reason_for_a_refused_page(matter, market, signing):
    err = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("capture_listing", market.item_url("ebay", "cmd2"), matter=matter.reference, stderr=err)
    assert stopped.value.code == 1 and "a loopback address" in err.getvalue()


def test_the_capture_command_exits_2_for_an_unknown_matter(db):
    with pytest.raises(CommandError) as refused:
        call_command("capture_listing", "https://www.ebay.com/itm/1", matter="NOPE-2026-001")
    assert refused.value.returncode == 2


def stored_wacz(done: Capture, tmp_path) -> Path:
    path = tmp_path / "capture.wacz"
    with default_storage.open(done.exhibits.get(kind=Exhibit.Kind.WEB_ARCHIVE).file.name, "rb") as stored:
        path.write_bytes(stored.read())
    return path


def authsign_verdict(signed: dict, signing_p12: Path, tsa) -> bool:
    """Webrecorder's reference verifier, trusting the firm's CA and the authority's root (by fingerprint, as its
    roots file lists them), for certificates that live longer than its default week."""
    import yaml
    from authsign.verifier import Verifier
    from cryptography import x509 as crypto_x509
    from cryptography.hazmat.primitives import hashes

    def fingerprint(pem: Path) -> str:
        return crypto_x509.load_pem_x509_certificate(pem.read_bytes()).fingerprint(hashes.SHA256()).hex()

    roots = signing_p12.with_name("authsign-roots.yaml")
    roots.write_text(yaml.safe_dump({"domain_cert_roots": [fingerprint(trust_root_path(signing_p12))],
                                     "timestamp_cert_roots": [fingerprint(tsa.root)]}))  # fmt: skip
    try:
        Verifier(str(roots), cert_duration=datetime.timedelta(days=3 * 365 + 2))(signed)
    except Exception:  # noqa: BLE001 - the verifier raises on any failed check
        return False
    return True


@pytest.mark.usefixtures("capture_allowed")
def test_with_a_timestamp_authority_the_wacz_is_signed_and_carries_its_provenance(
    matter, market, capture_browser, tsa, settings, signing, tmp_path
):
    settings.PORTAL_TSA_URL, settings.PORTAL_TSA_TRUST_ROOT = tsa.url, str(tsa.root)
    settings.PORTAL_SIGNING_TRUST_ROOT = str(trust_root_path(signing))
    done = capture(matter, capture_browser, url=market.item_url("amazon", "wacz1"))
    assert done.status == Capture.Status.DONE, done.failure_reason
    path = stored_wacz(done, tmp_path)
    valid, said = archive.validate(path)
    assert valid, said
    with zipfile.ZipFile(path) as packed:
        digest = json.loads(packed.read("datapackage-digest.json"))
        provenance = json.loads(packed.read(archive.PROVENANCE))
    assert provenance["final_url"] == market.item_url("amazon", "wacz1") and provenance["capture"] == done.pk
    assert set(provenance["files"]) == {"screenshot.png", "page.pdf"}  # all but the archive's own hash
    signed = digest["signedData"]
    assert signed["hash"] == digest["hash"] and "web archives (development)" in signed["domain"]
    assert authsign_verdict(signed, signing, tsa)


@pytest.mark.usefixtures("capture_allowed")
def test_a_wacz_with_one_byte_changed_fails_validation_and_its_signature(
    matter, market, capture_browser, tsa, settings, signing, tmp_path
):
    settings.PORTAL_TSA_URL, settings.PORTAL_TSA_TRUST_ROOT = tsa.url, str(tsa.root)
    settings.PORTAL_SIGNING_TRUST_ROOT = str(trust_root_path(signing))
    done = capture(matter, capture_browser, url=market.item_url("amazon", "wacz2"))
    assert done.status == Capture.Status.DONE, done.failure_reason
    path = stored_wacz(done, tmp_path)
    with zipfile.ZipFile(path) as packed:
        entries = {info.filename: packed.read(info) for info in packed.infolist()}
    signed = json.loads(entries["datapackage-digest.json"])["signedData"]
    changed = bytearray(entries[archive.PROVENANCE])
    changed[changed.index(b"wacz2")] = ord("W")  # one byte of the provenance record
    entries[archive.PROVENANCE] = bytes(changed)
    with zipfile.ZipFile(path, "w") as packed:
        for name, data in entries.items():
            packed.writestr(name, data)
    valid, said = archive.validate(path)
    assert not valid, said
    forged = {**signed, "hash": "sha256:" + "0" * 64}  # a datapackage rewritten to match needs a new signature
    assert not authsign_verdict(forged, signing, tsa)
