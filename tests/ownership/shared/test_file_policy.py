"""The file policy: what it accepts by content, what it refuses and with which words, and that a refused
file leaves nothing behind."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ownership.shared.files.allowed import FileRejected
from ownership.shared.files.policy import clean_original_name
from ownership.shared.files.storage import sha256_of_stored, store_upload
from tests.support import files as samples


def upload(data: bytes, name: str) -> ContentFile:
    return ContentFile(data, name=name)


def stored_names() -> set[str]:
    names = set()

    def walk(path: str) -> None:
        directories, files = default_storage.listdir(path)
        names.update(f"{path}/{f}".lstrip("/") for f in files)
        for directory in directories:
            walk(f"{path}/{directory}".lstrip("/"))

    walk("")
    return names


ACCEPTED = [
    ("order.pdf", samples.pdf_bytes, "application/pdf"),
    ("parcel.jpg", lambda: samples.image_bytes("JPEG"), "image/jpeg"),
    ("parcel.JPEG", lambda: samples.image_bytes("JPEG"), "image/jpeg"),
    ("listing.png", lambda: samples.image_bytes("PNG"), "image/png"),
    ("label.webp", lambda: samples.image_bytes("WEBP"), "image/webp"),
    ("unboxing.heic", lambda: samples.image_bytes("HEIF"), "image/heic"),
    ("unboxing.mp4", samples.mp4_bytes, "video/mp4"),
    ("unboxing.mov", samples.mov_bytes, "video/quicktime"),
    ("capture.warc", lambda: samples.WARC_RECORD, "application/warc"),
    ("capture.warc.gz", samples.warc_gz_bytes, "application/warc"),
    ("capture.wacz", samples.wacz_bytes, "application/wacz"),
    ("notes.txt", lambda: "卖家旺旺: 明峰数码 — chat log".encode(), "text/plain"),
    ("owner-locked.pdf", lambda: samples.encrypted_pdf_bytes(user_password=""), "application/pdf"),
]


@pytest.mark.parametrize(("name", "make", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_stored_with_their_sniffed_type(settings, name, make, content_type):
    stored = store_upload(upload(make(), name), folder="exhibits")
    assert stored.content_type == content_type


def test_stored_bytes_are_exactly_the_uploaded_bytes_and_hash_is_right():
    data = samples.pdf_bytes(pages=3)
    stored = store_upload(upload(data, "order.pdf"), folder="exhibits")
    with default_storage.open(stored.name, "rb") as f:
        assert f.read() == data
    assert stored.sha256 == hashlib.sha256(data).hexdigest() == sha256_of_stored(stored.name)
    assert stored.size == len(data)


def test_file_is_stored_under_a_generated_key_never_the_clients_name():
    stored = store_upload(upload(samples.pdf_bytes(), "../../etc/passwd.pdf"), folder="exhibits")
    assert stored.name.startswith("exhibits/")
    assert "passwd" not in stored.name and ".." not in stored.name
    assert stored.original_name == "passwd.pdf"


def test_two_uploads_with_the_same_name_are_two_files():
    first = store_upload(upload(samples.pdf_bytes("one"), "order.pdf"), folder="exhibits")
    second = store_upload(upload(samples.pdf_bytes("two"), "order.pdf"), folder="exhibits")
    assert first.name != second.name
    assert first.sha256 != second.sha256


REJECTED = [
    ("empty.pdf", lambda: b"", "empty", "The file is empty (0 bytes)."),
    ("report.pdf.exe", samples.pdf_bytes, "extension_mismatch", "ends in .exe, but its contents are a PDF document"),
    ("photo.png", samples.pdf_bytes, "extension_mismatch", "ends in .png, but its contents are a PDF document"),
    ("page.pdf", lambda: b"<!DOCTYPE html><html><body>hi</body></html>", "markup", "web page or SVG markup"),
    ("logo.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "markup", "web page or SVG markup"),
    ("logo.svg", lambda: b'<?xml version="1.0"?>\n<svg width="1"/>', "markup", "web page or SVG markup"),
    ("x.pdf", lambda: b"<script>alert(1)</script>", "markup", "web page or SVG markup"),
    ("app.pdf", lambda: b"window.location='https://evil.example'", "extension_mismatch", "plain text"),
    ("poly.png", lambda: samples.png_with_text_chunk(b"<html><script>x</script>"), "markup", "markup"),
    ("bomb.png", lambda: samples.png_declaring_size(50_000, 50_000), "too_many_pixels", "pixels"),
    ("locked.pdf", lambda: samples.encrypted_pdf_bytes(user_password="open-sesame"), "encrypted_pdf", "password"),
    ("blob.bin", lambda: bytes(range(256)) * 4, "unknown_type", "could not be recognised"),
    ("tools.zip", samples.plain_zip_bytes, "unknown_type", "could not be recognised"),
    ("broken.jpg", lambda: samples.image_bytes("JPEG")[:40], "damaged", "damaged"),
    ("broken.pdf", lambda: b"%PDF-1.7\n garbage", "damaged", "damaged"),
]


@pytest.mark.parametrize(("name", "make", "code", "words"), REJECTED, ids=[r[0] for r in REJECTED])
def test_policy_refuses_with_a_clear_reason_and_stores_nothing(name, make, code, words):
    before = stored_names()
    with pytest.raises(FileRejected) as exc:
        store_upload(upload(make(), name), folder="exhibits")
    assert exc.value.code == code
    assert words in exc.value.message
    assert stored_names() == before


def test_file_over_the_size_limit_is_refused_with_both_sizes(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 1024 * 1024
    data = samples.pdf_bytes() + b"%" * (2 * 1024 * 1024)
    with pytest.raises(FileRejected) as exc:
        store_upload(upload(data, "big.pdf"), folder="exhibits")
    assert exc.value.code == "too_large"
    assert exc.value.message == "The file is 2.0 MB; the largest file accepted is 1.0 MB."


def test_one_byte_over_the_limit_never_reads_as_equal(settings):
    settings.PORTAL_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    data = samples.pdf_bytes()
    data += b"%" * (2 * 1024 * 1024 + 1 - len(data))
    with pytest.raises(FileRejected) as exc:
        store_upload(upload(data, "big.pdf"), folder="exhibits")
    assert exc.value.message == "The file is 2,097,153 bytes; the largest file accepted is 2,097,152 bytes."


def test_file_exactly_at_the_limit_is_accepted(settings):
    data = samples.pdf_bytes()
    settings.PORTAL_MAX_UPLOAD_BYTES = len(data)
    assert store_upload(upload(data, "edge.pdf"), folder="exhibits").size == len(data)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../x.pdf", "x.pdf"),
        ("C:\\Users\\me\\x.pdf", "x.pdf"),
        ('in"voice\r\nSet-Cookie: a=b.pdf', 'in"voiceSet-Cookie: a=b.pdf'),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("", "unnamed"),
        ("商标注册证.pdf", "商标注册证.pdf"),
    ],
)
def test_original_names_lose_paths_and_control_characters(raw, clean):
    assert clean_original_name(raw) == clean
