"""The capture record: what the portal saw and how, as JSON (hashed, and timestamped by an RFC 3161 authority
when ``PORTAL_TSA_URL`` is set) and as a PDF page carrying that JSON, sealed with the firm's PAdES signature.

The PDF leads the capture's exhibits, so a bundle opens each capture with its record. The JSON and the
timestamp token are attached inside the PDF, so anyone holding it can re-hash the record and check the token.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from cryptography import x509
from django.conf import settings
from pyhanko.sign import timestamps
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from evidence.capture.browser import CaptureFailed, PageCapture
from ownership.shared.signing import SIGNATURE_BOX, SigningError, sign_pdf_in_place, signing_identity

FONT = "CaptureRecordSans"
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm


@dataclass(frozen=True)
class Timestamp:
    token: bytes
    time: datetime.datetime


def certificate_facts(der: bytes) -> dict[str, str]:
    cert = x509.load_der_x509_certificate(der)
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
        "sha256": hashlib.sha256(der).hexdigest(),
    }


def record_data(page: PageCapture, *, capture_id: int, matter: str, requested_by: str,
                files: dict[str, str]) -> dict:  # fmt: skip
    """Everything the record states, as plain JSON values; ``files`` maps each file made to its SHA-256."""
    assert page.finished_at is not None
    return {
        "capture": capture_id,
        "matter": matter,
        "requested_url": page.requested_url,
        "final_url": page.final_url,
        "redirects": page.redirects,
        "http_status": page.status,
        "response_headers": [[name, value] for name, value in page.headers],
        "server_ip": page.server_ip,
        "tls_certificates": [certificate_facts(der) for der in page.certificates],
        "started_at": page.started_at.astimezone(datetime.UTC).isoformat(),
        "finished_at": page.finished_at.astimezone(datetime.UTC).isoformat(),
        "browser": page.browser,
        "user_agent": page.user_agent,
        "viewport": page.viewport,
        "portal_version": settings.PORTAL_VERSION,
        "requested_by": requested_by,
        "requests_made": page.requests_made,
        "bytes_received": page.bytes_received,
        "requests_refused": page.refused,
        "files": files,
    }


def canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def timestamp(record: bytes) -> Timestamp | None:
    """An RFC 3161 timestamp over the record's SHA-256 from ``PORTAL_TSA_URL`` (pyHanko's client, which also
    checks the answer's nonce and imprint), or None when no authority is set."""
    if not settings.PORTAL_TSA_URL:
        return None
    stamper = timestamps.HTTPTimeStamper(settings.PORTAL_TSA_URL, timeout=30)
    try:
        token = asyncio.run(stamper.async_timestamp(hashlib.sha256(record).digest(), "sha256"))
    except Exception as exc:  # noqa: BLE001 - network, HTTP and ASN.1 errors alike: say what failed
        raise CaptureFailed(f"The timestamp authority {settings.PORTAL_TSA_URL} did not answer: {exc}") from None
    info = token["content"]["encap_content_info"]["content"].parsed
    return Timestamp(token=token.dump(), time=info["gen_time"].native)


def record_pdf(data: dict, digest: str, stamp: Timestamp | None, path: Path, *, record: bytes) -> Path:
    """The record as a signed PDF: its lines, the record's SHA-256 and timestamp, the JSON attached."""
    _draw(data, digest, stamp, path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _attach(pdf, "capture-record.json", record, "application/json", "The capture record the hash covers")
        if stamp is not None:
            # A token, not a TSA's whole reply: named .tst and typed as the CMS SignedData it is, so that
            # `openssl ts -verify -token_in -in capture-record.tst` reads it as what it is.
            _attach(pdf, "capture-record.tst", stamp.token, "application/pkcs7-mime",
                    "RFC 3161 timestamp token over the SHA-256 of capture-record.json")  # fmt: skip
        pdf.save(path)
    try:
        sign_pdf_in_place(
            path, signing_identity(), signer_name=settings.PORTAL_FIRM_NAME,
            reason=f"Capture record {data['capture']} of {data['requested_url'][:200]}",
        )  # fmt: skip
    except SigningError as exc:
        raise CaptureFailed(f"The capture record could not be signed: {exc}") from None
    return path


def _attach(pdf: pikepdf.Pdf, name: str, data: bytes, mime_type: str, description: str) -> None:
    pdf.attachments[name] = pikepdf.AttachedFileSpec(
        pdf, data, description=description, filename=name, mime_type=mime_type, creation_date="", mod_date=""
    )


def _lines(data: dict, digest: str, stamp: Timestamp | None) -> list[tuple[str, str]]:
    rows = [
        ("Capture", f"#{data['capture']} for matter {data['matter']}, requested by {data['requested_by']}"),
        ("Requested URL", data["requested_url"]),
        ("Final URL", data["final_url"]),
        ("Redirects", " → ".join(f"{hop['status']} {hop['url']}" for hop in data["redirects"]) or "none"),
        ("HTTP status", str(data["http_status"])),
        ("Server IP address", data["server_ip"]),
        ("Started (UTC)", data["started_at"]),
        ("Finished (UTC)", data["finished_at"]),
        ("Browser", f"{data['browser']}; viewport {data['viewport']}"),
        ("User agent", data["user_agent"]),
        ("Portal version", data["portal_version"]),
        ("Requests", f"{data['requests_made']} made, {data['bytes_received']:,} bytes received, "
                     f"{len(data['requests_refused'])} refused"),
    ]  # fmt: skip
    for n, cert in enumerate(data["tls_certificates"], 1):
        rows.append((f"TLS certificate {n}", f"{cert['subject']}; issued by {cert['issuer']}; valid "
                     f"{cert['not_before']} to {cert['not_after']}; SHA-256 {cert['sha256']}"))  # fmt: skip
    if not data["tls_certificates"]:
        rows.append(("TLS", "none: the page was served over plain HTTP"))
    rows += [(f"File {name}", f"SHA-256 {sha}") for name, sha in data["files"].items()]
    rows += [("Record SHA-256", digest)]
    rows.append(("Timestamp", f"{stamp.time.isoformat()} (RFC 3161, token attached)" if stamp else "none configured"))
    rows += [(f"Response header {n}", f"{name}: {value}") for n, (name, value) in
             enumerate(data["response_headers"], 1)]  # fmt: skip
    return rows


def _draw(data: dict, digest: str, stamp: Timestamp | None, path: Path) -> None:
    font = Path(settings.PORTAL_CJK_FONT)
    if not font.exists():
        raise CaptureFailed(f"The font {font} is missing: install Debian's fonts-wqy-microhei or set PORTAL_CJK_FONT.")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(font), subfontIndex=0))
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1, initialFontName=FONT)  # never Helvetica
    pdf.setTitle(f"Capture record {data['capture']}")
    pdf.setAuthor(settings.PORTAL_FIRM_NAME)
    pdf.setCreator("Evidence Portal")
    label_w, size = 42 * mm, 8.5
    value_w = PAGE_W - 2 * MARGIN - label_w
    first_page_floor = SIGNATURE_BOX[3] + 10  # the firm's signature box sits at the foot of page 1
    y = PAGE_H - MARGIN
    pdf.setFont(FONT, 15)
    pdf.drawString(MARGIN, y - 15, "Capture record")
    pdf.setFont(FONT, 9)
    pdf.drawString(MARGIN, y - 30, f"{settings.PORTAL_FIRM_NAME}: what the portal's browser received and recorded.")
    y -= 48
    floor = first_page_floor
    for label, value in _lines(data, digest, stamp):
        wrapped = simpleSplit(str(value), FONT, size, value_w) or [""]
        height = len(wrapped) * (size + 2.5) + 3
        if y - height < floor:
            pdf.showPage()
            y, floor = PAGE_H - MARGIN, MARGIN
        pdf.setFont(FONT, size)
        pdf.setFillGray(0.35)
        pdf.drawString(MARGIN, y - size, label)
        pdf.setFillGray(0)
        for n, line in enumerate(wrapped):
            pdf.drawString(MARGIN + label_w, y - size - n * (size + 2.5), line)
        y -= height
    pdf.save()
