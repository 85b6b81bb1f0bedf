"""The bundle PDF, checked with independent tools: qpdf, poppler's pdftotext and pdfsig, pikepdf, pyHanko."""

import hashlib
import io
import re
import shutil
import subprocess

import pikepdf
import pytest

from portal.bundle.errors import BundleError
from portal.bundle.pdf import STRIP, build_bundle, stamp_text
from portal.bundle.signing import SigningIdentity, check_signature, load_certificate, sign_pdf_in_place
from portal.platform_rules import split_complaints
from tests.bundles.samples import bundle_input, file_input, listing
from tests.conftest import require_service
from tests.files import samples as files


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
    assert titles[3:] == ["B. Proof of ownership", "C. Test purchases", "E. Exhibit manifest"]  # no comparison: no D
    for number in (1, 2, 3, 4):
        assert any(title.startswith(f"Exhibit {number}:") for title in children)
    assert "Test-buy report: order 3089912345" in children


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


def test_301_links_for_ipp_make_two_complaints():
    links = tuple(listing(n) for n in range(301))
    complaints = split_complaints(bundle_input(listings=links, purchases=()))
    assert [len(c.listings) for c in complaints] == [300, 1]


def test_ipp_gives_each_test_buy_order_its_own_complaint():
    complaints = split_complaints(bundle_input())
    assert complaints[0].purchase.order_number == "3089912345" and len(complaints[0].listings) == 1
    assert complaints[1].purchase is None


def test_amazon_makes_one_notice_per_ip_type():
    from portal.bundle.inputs import RightInput

    rights = (
        RightInput("trademark", "Trade mark", "US", "AURORA", "Lumina"),
        RightInput("copyright", "Copyright", "US", "Aurora manual", "Lumina"),
    )
    complaints = split_complaints(bundle_input(platform="amazon", rights=rights, purchases=()))
    assert sorted(c.ip_kind for c in complaints) == ["copyright", "trademark"]


# --- signing ----------------------------------------------------------------------------------------


@pytest.fixture
def signed(built, signing_p12):
    identity = SigningIdentity(p12_path=signing_p12, passphrase=b"")
    sign_pdf_in_place(built.path, identity, signer_name="Harcourt & Vale LLP", reason="test")
    return built.path, load_certificate(identity)


def test_pdfsig_says_the_signature_is_valid_and_covers_the_whole_document(signed):
    path, _ = signed
    out = subprocess.run([tool("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out


def test_pyhanko_validation_trusts_the_firm_certificate(signed):
    path, cert = signed
    check = check_signature(path, cert)
    assert check.valid and check.covers_whole_file, check.problems


def test_one_changed_byte_breaks_the_signature(signed):
    path, cert = signed
    data = bytearray(path.read_bytes())
    data[len(data) // 3] ^= 0x01  # inside the signed content, far from the signature itself
    path.write_bytes(bytes(data))
    assert not check_signature(path, cert).valid


def test_appended_content_is_not_covered(signed):
    path, cert = signed
    with open(path, "ab") as f:
        f.write(b"\n% appended after signing\n")
    check = check_signature(path, cert)
    assert not check.valid and not check.covers_whole_file


def test_other_certificate_is_not_trusted(signed, tmp_path):
    from django.core.management import call_command

    other = tmp_path / "other.p12"
    call_command("create_signing_certificate", out=str(other), stdout=open("/dev/null", "w"))  # noqa: SIM115
    path, _ = signed
    check = check_signature(path, load_certificate(SigningIdentity(other, b"")))
    assert not check.valid and "not the portal's signing certificate" in " ".join(check.problems)
