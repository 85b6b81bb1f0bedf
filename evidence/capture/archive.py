"""The capture's web archive: a WARC of every request and response (warcio), packed as a WACZ (py-wacz).

The WARC also holds, as resource records, the DOM as rendered (``urn:view:`` plus the page URL, the naming
Webrecorder's crawler uses) and the screenshot, so the WACZ carries the page as the browser showed it beside the
bytes the server sent. ``pack`` writes the WACZ with its pages list, index and datapackage, adds the capture's
provenance record (``provenance/capture-record.json``: what the signed capture record states, less the WACZ's
own hash, which it cannot hold), and, with a web-archive key and a timestamp authority configured, signs
``datapackage-digest.json`` as the WACZ signing spec asks (``ownership.shared.archive_signing``). ``validate``
runs the WACZ validator on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from evidence.capture.fetching import Fetched
from ownership.shared import archive_signing

PROVENANCE = "provenance/capture-record.json"


class WarcRecorder:
    """Writes a gzipped WARC, record by record, as the browser's requests are answered."""

    def __init__(self, path: Path, *, software: str, description: str):
        self.path = path
        self._stream = open(path, "wb")  # noqa: SIM115 - closed by close()
        self._writer = WARCWriter(self._stream, gzip=True)
        info = self._writer.create_warcinfo_record(
            path.name, {"software": software, "format": "WARC File Format 1.1", "description": description}
        )
        self._writer.write_record(info)

    def exchange(self, *, method: str, request_headers: dict[str, str], request_body: bytes | None,
                 fetched: Fetched) -> None:  # fmt: skip
        """One request and the response it got, linked to each other."""
        parts = urlsplit(fetched.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_line = StatusAndHeaders(
            f"{method} {target} HTTP/1.1", [("Host", parts.netloc), *request_headers.items()],
            is_http_request=True,
        )  # fmt: skip
        request = self._writer.create_warc_record(
            fetched.url, "request", payload=io.BytesIO(request_body or b""), http_headers=request_line
        )
        response_line = StatusAndHeaders(f"{fetched.status} {fetched.reason}", fetched.headers, protocol="HTTP/1.1")
        response = self._writer.create_warc_record(
            fetched.url, "response", payload=io.BytesIO(fetched.body), http_headers=response_line,
            warc_headers_dict={"WARC-IP-Address": fetched.address},
        )  # fmt: skip
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(request)
        self._writer.write_record(response)

    def resource(self, uri: str, content_type: str, payload: bytes) -> None:
        record = self._writer.create_warc_record(
            uri, "resource", payload=io.BytesIO(payload), warc_content_type=content_type
        )
        self._writer.write_record(record)

    def close(self) -> None:
        self._stream.close()


def pack(warc: Path, out: Path, *, url: str, title: str, captured_at, provenance: bytes) -> Path:
    """The WACZ of ``warc``, with the captured page as its one page and the provenance record inside, signed
    when the firm has a web-archive key and a timestamp authority."""
    from wacz.main import main as wacz_main

    pages = warc.with_name("pages.jsonl")
    lines = [
        {"format": "json-pages-1.0", "id": "pages", "title": "Captured page"},
        {"id": "capture", "url": url, "ts": datetime_to_iso_date(captured_at), "title": title or url},
    ]
    pages.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()) as said:
        code = wacz_main(["create", "-o", str(out), "-p", str(pages), "-c", str(warc)])
    if code:
        raise RuntimeError(f"The WACZ could not be written: {said.getvalue()[-500:]}")
    try:
        _seal(out, provenance, archive_signing.archive_signer())
    except archive_signing.ArchiveSigningError as exc:
        raise RuntimeError(f"The WACZ could not be signed: {exc}") from None
    return out


def _seal(wacz: Path, provenance: bytes, signer: archive_signing.ArchiveSigner | None) -> None:
    """Add the provenance record to the archive and its datapackage, then write the datapackage's digest,
    signed when ``signer`` is given. The archive is rewritten beside itself and replaces it whole."""
    with zipfile.ZipFile(wacz) as source:
        package = json.loads(source.read("datapackage.json"))
        checksum = f"sha256:{hashlib.sha256(provenance).hexdigest()}"
        package["resources"].append(
            {"name": "capture-record.json", "path": PROVENANCE, "hash": checksum, "bytes": len(provenance)}
        )
        package_bytes = json.dumps(package, indent=2).encode()
        package_checksum = f"sha256:{hashlib.sha256(package_bytes).hexdigest()}"
        digest: dict[str, object] = {"path": "datapackage.json", "hash": package_checksum}
        if signer is not None:
            digest["signedData"] = archive_signing.signed_data(package_checksum, package["created"], signer)
        rewritten = wacz.with_suffix(".sealing")
        with zipfile.ZipFile(rewritten, "w") as target:
            for info in source.infolist():
                if info.filename in ("datapackage.json", "datapackage-digest.json"):
                    continue
                with source.open(info) as stream, target.open(info, "w") as copy:
                    shutil.copyfileobj(stream, copy, 1024 * 1024)
            target.writestr(PROVENANCE, provenance, compress_type=zipfile.ZIP_STORED)
            target.writestr("datapackage.json", package_bytes, compress_type=zipfile.ZIP_STORED)
            target.writestr("datapackage-digest.json", json.dumps(digest, indent=2), compress_type=zipfile.ZIP_STORED)
    rewritten.replace(wacz)


def validate(wacz: Path) -> tuple[bool, str]:
    """Whether the WACZ validator accepts the file, and what it said."""
    from wacz.main import main as wacz_main

    with contextlib.redirect_stdout(io.StringIO()) as said:
        code = wacz_main(["validate", "-f", str(wacz)])
    return code == 0, said.getvalue()
