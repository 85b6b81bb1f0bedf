"""The bundle PDF, checked with independent tools: qpdf, poppler's pdftotext and pdfsig, pikepdf, pyHanko."""

import dataclasses
import hashlib
import io
import re
import shutil
import subprocess

import pikepdf
import pytest
from cryptography import x509

from ownership.shared.signing import (
    SigningError,
    SigningIdentity,
    check_signature,
    load_certificate,
    sign_pdf_in_place,
    trust_root_path,
    trust_roots,
)
from portal.bundle.errors import BundleError
from portal.bundle.pdf import STRIP, build_bundle, stamp_text
from tests.conftest import require_service
from tests.support import files
from tests.support.bundles import bundle_input, file_input


def tool(name: str) -> str:
    path = shutil.which(name)
    require_service(path is not None, f"{name} is not installed")
    return path


@pytest.fixture
def built(tmp_path):
    return build_bundle(bundle_input(), tmp_path)


def test_qpdf_finds_no_errors(built):
    result = subprocess.run([tool("qpdf"), "--check", str(built.path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_page_carries_its_stamp_and_number(built):
    for page in range(1, built.page_count + 1):
        text = subprocess.run(
            [tool("pdftotext"), "-f", str(page), "-l", str(page), str(built.path), "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        assert stamp_text("LUM", page) in text
        assert f"Page {page} of {built.page_count}" in text


def stamp_positions(path) -> list[dict]:
    """Per page, as displayed: the page size and the box of its stamp word (pdftotext -bbox, top-left origin)."""
    html = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    with pikepdf.open(path) as pdf:
        rotations = [int(page.obj.get("/Rotate", 0)) % 360 for page in pdf.pages]
    pages = []
    found = re.findall(r'<page width="([^"]+)" height="([^"]+)">(.*?)</page>', html, re.S)
    for rotate, (width, height, body) in zip(rotations, found, strict=True):
        words = re.findall(r'xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" yMax="([^"]+)">([^<]+)</word>', body)
        stamp = next(tuple(map(float, w[:4])) for w in words if re.fullmatch(r"LUM-\d{6}", w[4]))
        if rotate in (90, 270):  # poppler gives the page's own size but the words' boxes as displayed
            width, height = height, width
        pages.append({"width": float(width), "height": float(height), "rotate": rotate, "stamp": stamp})
    return pages


def test_every_page_is_a4_with_its_stamp_in_the_bottom_strip(built):
    for page in stamp_positions(built.path):
        x_min, y_min, x_max, y_max = page["stamp"]
        assert sorted((round(page["width"]), round(page["height"]))) == [595, 842]
        assert y_min > page["height"] - STRIP
        assert page["width"] / 2 < x_min < x_max <= page["width"]


def rotated_pdf(rotate: int) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(files.pdf_bytes("Rotated listing capture"))) as pdf:
        pdf.pages[0].obj.Rotate = rotate
        pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_stamp_on_a_rotated_page_sits_at_its_bottom_as_displayed_and_reads_across(tmp_path, rotate):
    built = build_bundle(bundle_input(files_=[file_input(1, rotated_pdf(rotate), "application/pdf")]), tmp_path)
    positions = stamp_positions(built.path)
    rotated = [p for p in positions if p["rotate"] == rotate]
    assert len(rotated) == 1, "the rotated exhibit page is in the bundle"
    for page in rotated:
        x_min, y_min, x_max, y_max = page["stamp"]
        assert y_min > page["height"] - STRIP
        assert x_max - x_min > y_max - y_min  # horizontal, as displayed


def test_an_exhibit_that_leaves_its_graphics_state_changed_does_not_move_the_stamp(tmp_path):
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595.28, 841.89))
        pdf.pages[0].Contents = pdf.make_stream(b"0.2 0 0 0.2 0 0 cm 1 0 0 rg 0 0 100 100 re f")
        pdf.save(out)
    built = build_bundle(bundle_input(files_=[file_input(1, out.getvalue(), "application/pdf")]), tmp_path)
    for page in stamp_positions(built.path):
        x_min, y_min, x_max, y_max = page["stamp"]
        assert y_min > page["height"] - STRIP
        assert y_max - y_min > 5  # full size, not shrunk by the exhibit's leftover transformation


def test_outline_has_every_section_and_exhibit(built):
    with pikepdf.open(built.path) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        children = [child.title for item in outline.root for child in item.children]
    assert titles[:3] == ["Index", "Complaint letter 投诉函", "A. Rights holder and authority"]
    assert titles[3:] == ["B. Proof of ownership", "C. Test purchases and other evidence", "E. Exhibit manifest"]
    for number in (1, 2, 3, 4):
        assert any(title.startswith(f"Exhibit {number}:") for title in children)
    assert "Test-buy report: order 3089912345" in children


def _section_titles(path) -> list[str]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        return [item.title for item in outline.root if item.title.startswith("C.")]


def test_section_c_without_a_test_purchase_is_named_for_the_listing_and_seller_evidence_it_holds(tmp_path):
    sheet = file_input(1, files.pdf_bytes("Seller contact sheet"), "application/pdf", kind="Other")
    built = build_bundle(bundle_input(platform="amazon", purchases=(), files_=(sheet,)), tmp_path)
    assert _section_titles(built.path) == ["C. Listing and seller evidence"]
    text = subprocess.run([tool("pdftotext"), str(built.path), "-"], capture_output=True, text=True).stdout
    assert "Test purchases" not in text and "Listing and seller evidence" in text


def test_section_c_with_purchases_and_other_evidence_says_both(tmp_path):
    sheet = file_input(9, files.pdf_bytes("Seller contact sheet"), "application/pdf", kind="Other")
    built = build_bundle(dataclasses.replace(bundle_input(), files=(*bundle_input().files, sheet)), tmp_path)
    assert _section_titles(built.path) == ["C. Test purchases and other evidence"]


def test_index_links_land_on_the_pages_they_name(built):
    with pikepdf.open(built.path) as pdf:
        index = pdf.pages[1]
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        targets = [pages[annot.Dest[0].objgen] for annot in index.Annots]
    text = subprocess.run(
        [tool("pdftotext"), "-f", "2", "-l", "2", "-layout", str(built.path), "-"], capture_output=True, text=True
    ).stdout
    printed = [int(m) for m in re.findall(r"\s(\d+)\s*$", text, re.MULTILINE)][: len(targets)]
    assert targets == printed
    exhibit_3 = next(line for line in text.splitlines() if "Exhibit 3:" in line)
    page_of_exhibit_3 = int(exhibit_3.split()[-1])
    page_text = subprocess.run(
        [tool("pdftotext"), "-f", str(page_of_exhibit_3), "-l", str(page_of_exhibit_3), str(built.path), "-"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert "Exhibit 3" in page_text and "front.jpg" in page_text


def test_chinese_text_is_embedded_and_searchable(built):
    text = subprocess.run([tool("pdftotext"), str(built.path), "-"], capture_output=True, text=True).stdout
    assert "知识产权侵权投诉" in text and "明峰数码旗舰店" in text
    fonts = subprocess.run([tool("pdffonts"), str(built.path)], capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYi" in line or "PortalCJK" in line or "Micro" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded


def test_same_inputs_give_the_same_unsigned_bytes(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = build_bundle(bundle_input(), tmp_path / "one")
    second = build_bundle(bundle_input(), tmp_path / "two")
    assert first.unsigned_sha256 == second.unsigned_sha256
    assert hashlib.sha256(first.path.read_bytes()).hexdigest() == first.unsigned_sha256


def test_user_password_pdf_is_refused_naming_the_exhibit(tmp_path):
    locked = file_input(7, files.encrypted_pdf_bytes(user_password="x"), "application/pdf", name="locked-invoice.pdf")
    with pytest.raises(BundleError, match=r"Exhibit 7 \(locked-invoice.pdf\) is a PDF protected by a password"):
        build_bundle(bundle_input(files_=(locked,)), tmp_path)


def test_owner_password_only_pdf_is_merged_decrypted(tmp_path):
    owner_only = file_input(1, files.encrypted_pdf_bytes(user_password=""), "application/pdf", name="o.pdf")
    built = build_bundle(bundle_input(files_=(owner_only,)), tmp_path)
    with pikepdf.open(built.path) as pdf:
        assert not pdf.is_encrypted


def test_large_image_is_downsampled_to_300_dpi_and_small_one_not_upscaled(tmp_path):
    big = file_input(1, files.image_bytes("JPEG", (6000, 4000)), "image/jpeg", name="big.jpg")
    small = file_input(2, files.image_bytes("PNG", (60, 40)), "image/png", name="small.png")
    built = build_bundle(bundle_input(files_=(big, small)), tmp_path)
    listing_ = subprocess.run([tool("pdfimages"), "-list", str(built.path)], capture_output=True, text=True).stdout
    widths = sorted(int(line.split()[3]) for line in listing_.splitlines()[2:])
    assert widths[0] == 60  # never upscaled
    assert widths[-1] <= int((595.27 - 2 * 56.69) / 72 * 300) + 1  # at most 300 dpi across the printable width


# --- signing ----------------------------------------------------------------------------------------


def identity_for(p12, **kwargs) -> SigningIdentity:
    return SigningIdentity(p12_path=p12, passphrase=b"", trust_roots=(trust_root_path(p12),), **kwargs)


@pytest.fixture
def signed(built, signing_p12):
    identity = identity_for(signing_p12)
    sign_pdf_in_place(built.path, identity, signer_name="Harcourt & Vale LLP", reason="test")
    return built.path, identity


def check(path, identity):
    return check_signature(path, trust_roots(identity), load_certificate(identity))


def test_signing_certificate_is_an_end_entity_for_document_signing_issued_by_the_dev_ca(signing_p12):
    cert = load_certificate(identity_for(signing_p12))
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    purposes = list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value)
    assert purposes[0] == x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")  # document signing (RFC 9336)
    ca = trust_roots(identity_for(signing_p12))[0]
    assert cert.issuer == ca.subject and cert.issuer != cert.subject


@pytest.fixture
def nss_trusting_dev_ca(tmp_path, signing_p12):
    database = tmp_path / "nss"
    database.mkdir()
    certutil = tool("certutil")
    subprocess.run([certutil, "-N", "-d", f"sql:{database}", "--empty-password"], check=True, capture_output=True)
    subprocess.run([certutil, "-A", "-d", f"sql:{database}", "-n", "portal-dev-ca", "-t", "C,C,C",
                    "-i", str(trust_root_path(signing_p12))], check=True, capture_output=True)  # fmt: skip
    return database


def test_pdfsig_with_the_dev_ca_trusted_calls_signature_and_certificate_valid(signed, nss_trusting_dev_ca):
    path, _ = signed
    # The certificate names the portal's OCSP responder, which no server answers here: tests/system/
    # test_pki_server.py runs this check with the responder served.
    out = subprocess.run([tool("pdfsig"), "-no-ocsp", "-nssdir", f"sql:{nss_trusting_dev_ca}", str(path)],
                         capture_output=True, text=True).stdout  # fmt: skip
    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out, out
    assert "Total document signed" in out


def test_pyhanko_validation_trusts_the_firm_certificate(signed):
    path, identity = signed
    result = check(path, identity)
    assert result.valid and result.covers_whole_file, result.problems


def test_visible_signature_box_names_firm_and_certification_without_a_timestamp_claim(signed):
    path, _ = signed
    text = subprocess.run([tool("pdftotext"), "-f", "1", "-l", "1", str(path), "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "Digitally signed for Harcourt & Vale LLP" in text
    assert "Certified: any change invalidates this document" in text
    assert "Timestamp" not in text
    fonts = subprocess.run([tool("pdffonts"), "-l", "1", str(path)], capture_output=True, text=True).stdout
    assert all(" yes " in row for row in fonts.splitlines()[2:]), fonts  # the box's font is embedded too


def test_one_changed_byte_breaks_the_signature(signed):
    path, identity = signed
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01  # inside the signed content, far from the signature itself
    path.write_bytes(bytes(data))
    result = check(path, identity)
    assert not result.valid and "Altered after signing" in " ".join(result.problems)


def test_appended_content_is_not_covered(signed):
    path, identity = signed
    with open(path, "ab") as f:
        f.write(b"\n% appended after signing\n")
    result = check(path, identity)
    assert not result.valid and not result.covers_whole_file
    assert "content was added to the file after the signature" in " ".join(result.problems)


def test_other_certificate_is_named_as_another_certificate(signed, tmp_path):
    from django.core.management import call_command

    other = tmp_path / "other.p12"
    call_command("create_signing_certificate", out=str(other), stdout=open("/dev/null", "w"))  # noqa: SIM115
    path, _ = signed
    result = check(path, identity_for(other))
    assert not result.valid and "Signed with another certificate" in " ".join(result.problems)


def test_a_file_that_is_not_a_pdf_is_named_so(tmp_path, signing_p12):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"GIF89a not a pdf at all")
    assert check(path, identity_for(signing_p12)).problems == ("The file is not a PDF.",)


def test_with_a_tsa_the_signature_carries_a_timestamp_and_validation_material(built, signing_p12, tsa):
    identity = identity_for(signing_p12, tsa_url=tsa.url)
    identity = SigningIdentity(**{**identity.__dict__, "trust_roots": (*identity.trust_roots, tsa.root)})
    sign_pdf_in_place(built.path, identity, signer_name="Harcourt & Vale LLP", reason="test")
    assert tsa.requests >= 1
    result = check(built.path, identity)
    assert result.timestamped and result.valid, result.problems
    with pikepdf.open(built.path) as pdf:
        assert "/DSS" in pdf.Root and len(pdf.Root.DSS.Certs) >= 2  # the chains, embedded for later validation
    text = subprocess.run([tool("pdftotext"), "-f", "1", "-l", "1", str(built.path), "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "timestamp by an RFC 3161 authority" in text
    out = subprocess.run([tool("pdfsig"), str(built.path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in out  # poppler agrees, the DSS update after it included


# --- e-bundle layout ----------------------------------------------------------------------------------


def test_manifest_hash_is_a_fingerprint_of_the_evidence_alone():
    from portal.bundle.pdf.pages import manifest_digest

    first = bundle_input()
    assert manifest_digest(first) == manifest_digest(dataclasses.replace(first, bundle_id="B-000999", version=7))


def test_the_file_opens_on_page_one_at_100_percent_and_every_link_and_bookmark_keeps_100_percent(built):
    with pikepdf.open(built.path) as pdf:
        opening = pdf.Root.OpenAction
        assert opening[0].objgen == pdf.pages[0].objgen and opening[1] == pikepdf.Name.XYZ and float(opening[4]) == 1
        destinations = [annot.Dest for annot in pdf.pages[1].Annots]
        with pdf.open_outline() as outline:
            destinations += [item.destination for item in outline.root]
    assert destinations and all(d[1] == pikepdf.Name.XYZ and float(d[4]) == 1 for d in destinations)


def test_every_page_of_a_pdf_exhibit_names_its_exhibit(tmp_path):
    exhibit = file_input(5, files.pdf_bytes("Order confirmation", pages=3), "application/pdf",
                         name="scan.pdf", kind="Order confirmation")  # fmt: skip
    exhibit = dataclasses.replace(exhibit, title="Order confirmation from the seller")
    built = build_bundle(bundle_input(files_=(exhibit,), purchases=()), tmp_path)
    text = subprocess.run([tool("pdftotext"), str(built.path), "-"], capture_output=True, text=True).stdout
    pages_ = [page for page in text.split("\f") if "Order confirmation (page" in page]
    assert len(pages_) == 3
    assert all("Exhibit 5 · Order confirmation from the seller" in page for page in pages_)


def test_generated_pages_embed_every_font(built):
    # pdffonts lists every font; exhibits bring their own, so check the bundle's own pages (cover to index)
    out = subprocess.run([tool("pdffonts"), "-l", "2", str(built.path)], capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), out


def test_mixed_english_and_chinese_wraps_latin_words_at_spaces():
    from portal.bundle.pdf.layout import font_for, wrap

    text = "Registration date 注册日期 " * 6
    lines = wrap(text, font_for(text), 10, 200)
    for line in lines:
        for token in re.sub(r"[\u4e00-\u9fff]", " ", line).split():
            assert token in {"Registration", "date"}, lines


def test_chinese_punctuation_never_starts_a_line():
    from portal.bundle.pdf.layout import font_for, wrap

    text = "立即停止许诺销售、销售、宣传及进口侵权商品；删除下列链接及其他所有销售该类商品的链接；" * 4
    lines = wrap(text, font_for(text), 10, 100)
    assert len(lines) > 3 and not [line for line in lines if line[0] in "，。、；："], lines


def test_a_key_file_without_a_certificate_is_refused_with_what_to_do(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import NoEncryption, pkcs12

    keyless = tmp_path / "key-only.p12"
    key = ec.generate_private_key(ec.SECP256R1())
    keyless.write_bytes(pkcs12.serialize_key_and_certificates(b"firm", key, None, None, NoEncryption()))
    with pytest.raises(SigningError, match="holds a key but no certificate"):
        load_certificate(SigningIdentity(p12_path=keyless, passphrase=b""))


MIXED = (
    "Missing: Power of attorney for the firm: upload a power of attorney or letter of authorisation appointing "
    "the firm; CNIPA registration certificate: upload the CNIPA trade mark registration certificate (商标注册证); "
    "Class and goods pages: upload the certificate's pages listing the class and the goods or services."
)


def words_outside(path, left: float, right: float) -> list[str]:
    html = subprocess.run([tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    return [
        word for x_min, x_max, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<',
                                                 html)
        if float(x_min) < left - 0.5 or float(x_max) > right + 0.5
    ]  # fmt: skip


def test_mixed_latin_and_chinese_text_stays_within_the_margins(tmp_path):
    from portal.bundle.pdf.layout import MARGIN, PAGE_W, Writer

    writer = Writer(tmp_path / "mixed.pdf", "Mixed")
    writer.text(MIXED, size=9, bold=True)
    writer.text(MIXED, size=10)
    writer.finish()
    assert words_outside(tmp_path / "mixed.pdf", MARGIN, PAGE_W - MARGIN) == []


def test_each_column_of_a_bilingual_row_stays_in_its_column(tmp_path):
    from portal.bundle.pdf.layout import GUTTER, MARGIN, PAGE_W, Writer

    writer = Writer(tmp_path / "columns.pdf", "Columns")
    writer.columns(MIXED, "上述权利 " + MIXED, size=9)
    writer.finish()
    half = (PAGE_W - 2 * MARGIN - GUTTER) / 2
    html = subprocess.run([tool("pdftotext"), "-bbox", str(tmp_path / "columns.pdf"), "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', html)
    straddling = [(a, b) for a, b in words if float(a) < MARGIN + half + 0.5 and float(b) > MARGIN + half + 0.5]
    assert straddling == [] and words_outside(tmp_path / "columns.pdf", MARGIN, PAGE_W - MARGIN) == []


@pytest.mark.parametrize("platform", ["alibaba", "amazon"])  # the letter bilingual, then English alone
def test_a_signed_bundle_passes_the_layout_check(tmp_path, signing_p12, platform):
    from tests.support.layout import layout_problems

    built = build_bundle(bundle_input(platform=platform), tmp_path)
    sign_pdf_in_place(built.path, identity_for(signing_p12), signer_name="Harcourt & Vale LLP",
                      reason=f"Complaint bundle LUM-2026-001 for {platform}, version 1")  # fmt: skip
    assert layout_problems(built.path) == []


def _scan_pdf(pixels: tuple[int, int], page_points: tuple[float, float]) -> bytes:
    """One page of ``page_points`` showing a photo-like JPEG of ``pixels`` over the whole page."""
    from PIL import Image

    image = files.image_bytes("JPEG", pixels)
    with Image.open(io.BytesIO(image)) as decoded:
        width, height = decoded.size
    out = io.BytesIO()
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=page_points)
        page = pdf.pages[0]
        stream = pikepdf.Stream(pdf, image, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=width,
                                Height=height, ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8,
                                Filter=pikepdf.Name.DCTDecode)  # fmt: skip
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=stream))
        page.Contents = pdf.make_stream(f"q {page_points[0]} 0 0 {page_points[1]} 0 0 cm /Im0 Do Q".encode())
        pdf.save(out)
    return out.getvalue()


def _image_sizes(path) -> list[tuple[int, int]]:
    with pikepdf.open(path) as pdf:
        return [(int(raw.Width), int(raw.Height)) for page in pdf.pages for raw in page.get_images().values()]


def test_an_image_above_300_dpi_goes_into_the_bundle_at_300_dpi_and_the_original_is_untouched(tmp_path):
    from portal.bundle.pdf.exhibits import prepare_exhibit

    scan = _scan_pdf((1200, 1800), (144, 216))  # 2 × 3 inches at 600 dpi
    prepared = prepare_exhibit(file_input(5, scan, "application/pdf"), tmp_path)
    assert prepared.optimised == 1
    assert _image_sizes(prepared.path) == [(600, 900)]  # 300 dpi over the page
    assert file_input(5, scan, "application/pdf").sha256 == hashlib.sha256(scan).hexdigest()


def test_an_image_at_or_below_300_dpi_is_left_as_it_is(tmp_path):
    from portal.bundle.pdf.exhibits import prepare_exhibit

    prepared = prepare_exhibit(file_input(5, _scan_pdf((600, 900), (144, 216)), "application/pdf"), tmp_path)
    assert prepared.optimised == 0 and _image_sizes(prepared.path) == [(600, 900)]


def test_the_manifest_says_the_bundle_copy_was_optimised(tmp_path):
    scan = file_input(5, _scan_pdf((1200, 1800), (144, 216)), "application/pdf", name="certificate-scan.pdf")
    built = build_bundle(dataclasses.replace(bundle_input(), files=(*bundle_input().files, scan)), tmp_path)
    text = " ".join(subprocess.run([tool("pdftotext"), str(built.path), "-"], capture_output=True,
                                   text=True).stdout.split())  # fmt: skip
    assert ("Optimised rendition: 1 image above 300 dpi re-encoded at 300 dpi in the bundle copy; the original is "
            f"kept unaltered, SHA-256 {scan.sha256}.") in text  # fmt: skip
