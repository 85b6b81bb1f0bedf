"""A real RFC 3161 timestamp authority on loopback: `openssl ts -reply` behind a small HTTP server.

Like a public authority, its certificate names a CRL distribution point, served by the same server, so a
PAdES B-LT signature can embed the revocation data of its timestamp and validators find it LTV-complete.
"""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from ownership.shared.signing import issue_certificate

CONFIG = """
[ tsa ]
default_tsa = portal_test_tsa
[ portal_test_tsa ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1

digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


class TimestampAuthority:
    def __init__(self, folder: Path):
        self.folder = folder
        now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ca = issue_certificate(subject="Test TSA root", organisation="Test TSA", key=ca_key, issuer_key=ca_key,
                               issuer=None, not_before=now, days=3650, ca=True)  # fmt: skip
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = f"{base}/tsa"
        cert = issue_certificate(subject="Test TSA", organisation="Test TSA", key=key, issuer_key=ca_key, issuer=ca,
                                 not_before=now, days=3650, ca=False,
                                 extended_usages=[ExtendedKeyUsageOID.TIME_STAMPING],
                                 crl_url=f"{base}/root.crl")  # fmt: skip
        self.crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(ca.subject)
            .last_update(now)
            .next_update(now + datetime.timedelta(days=30))
            .add_extension(x509.CRLNumber(1), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER)
        )
        self.root = folder / "tsa-root.pem"
        self.root.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        (folder / "tsa.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        (folder / "tsa.key").write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(CONFIG.format(serial=folder / "serial"))
        self.requests = 0
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply(self, query: bytes) -> bytes:
        self.requests += 1
        with tempfile.TemporaryDirectory() as work:
            request, response = Path(work) / "q.tsq", Path(work) / "r.tsr"
            request.write_bytes(query)
            subprocess.run(
                [shutil.which("openssl") or "openssl", "ts", "-reply", "-config", str(self.folder / "tsa.cnf"),
                 "-queryfile", str(request), "-signer", str(self.folder / "tsa.pem"),
                 "-inkey", str(self.folder / "tsa.key"), "-chain", str(self.root), "-out", str(response)],
                check=True, capture_output=True,
            )  # fmt: skip
            return response.read_bytes()

    def _handler(self):
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-crl")
                self.send_header("Content-Length", str(len(authority.crl)))
                self.end_headers()
                self.wfile.write(authority.crl)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                reply = authority.reply(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        return Handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
