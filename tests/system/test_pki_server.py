"""The firm's signatures judged by independent validators, with the portal serving its CA's revocation data.

A live server runs the portal, and the development CA's certificate names its CRL and OCSP URLs, so OpenSSL,
NSS (poppler's ``pdfsig``) and pyHanko's command line fetch them as a platform or a court would. The timestamp
authority is a real ``openssl ts`` on loopback publishing its own CRL.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps

from ownership.shared import pki
from ownership.shared.signing import SigningIdentity, check_signature, sign_pdf_in_place, trust_root_path
from portal.services.signing_certificates import certificate_revoke
from tests.conftest import require_service
from tests.support import files
from tests.support.tsa import TimestampAuthority

pytestmark = pytest.mark.django_db(transaction=True)


def tool(name: str) -> str:
    path = shutil.which(name)
    require_service(path is not None, f"{name} is not installed")
    return path


@pytest.fixture
def served_ca(live_server, settings, tmp_path):
    settings.PORTAL_BASE_URL = live_server.url
    path = tmp_path / "signing" / "firm.p12"
    call_command("create_signing_certificate", out=str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_PASSPHRASE = path, ""
    settings.PORTAL_SIGNING_TRUST_ROOT = trust_root_path(path)
    return pki.local_ca()


@pytest.fixture
def nss(tmp_path, served_ca, tsa):
    """An NSS database trusting the firm's CA and the authority's root, as a reviewer sets up once."""
    database = tmp_path / "nss"
    database.mkdir()
    certutil = tool("certutil")
    subprocess.run([certutil, "-N", "-d", f"sql:{database}", "--empty-password"], check=True, capture_output=True)
    for name, pem in (("firm-ca", trust_root_path(served_ca.revocations_path.with_name("firm.p12"))),
                      ("tsa-root", tsa.root)):  # fmt: skip
        subprocess.run([certutil, "-A", "-d", f"sql:{database}", "-n", name, "-t", "C,C,C", "-i", str(pem)],
                       check=True, capture_output=True)  # fmt: skip
    return database


def identity(settings, tsa) -> SigningIdentity:
    return SigningIdentity(p12_path=settings.PORTAL_SIGNING_P12, passphrase=b"", tsa_url=tsa.url,
                           trust_roots=(settings.PORTAL_SIGNING_TRUST_ROOT, tsa.root))  # fmt: skip


def pem_of(cert, path: Path) -> Path:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def document(tmp_path: Path, name: str = "notice.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(files.pdf_bytes("Notice to the seller", pages=2))
    return path


def adesverify(path: Path, ca_pem: Path, tsa: TimestampAuthority) -> subprocess.CompletedProcess:
    pyhanko = Path(sys.executable).with_name("pyhanko")  # pyhanko-cli, installed beside the tests' Python
    require_service(pyhanko.exists(), "pyhanko-cli is not installed")
    return subprocess.run([str(pyhanko), "sign", "adesverify", "--trust-replace", "--trust", str(ca_pem),
                           "--trust", str(tsa.root), str(path)], capture_output=True, text=True)  # fmt: skip


def pdfsig(path: Path, nss: Path) -> str:
    return subprocess.run([tool("pdfsig"), "-nssdir", f"sql:{nss}", str(path)], capture_output=True, text=True).stdout


def openssl_ocsp(served_ca: pki.LocalCA, live_server, tmp_path: Path) -> str:
    ca = pem_of(served_ca.certificate, tmp_path / "ca.pem")
    cert = pem_of(served_ca.signing_certificate, tmp_path / "signer.pem")
    result = subprocess.run([tool("openssl"), "ocsp", "-issuer", str(ca), "-cert", str(cert), "-CAfile", str(ca),
                             "-url", f"{live_server.url}/pki/ocsp"], capture_output=True, text=True)  # fmt: skip
    return result.stdout + result.stderr


def test_openssl_asks_the_portals_ocsp_responder_and_hears_good_then_revoked(served_ca, live_server, tmp_path):
    out = openssl_ocsp(served_ca, live_server, tmp_path)
    assert "Response verify OK" in out and "signer.pem: good" in out, out
    certificate_revoke(served_ca, reason=pki.Reason.KEY_COMPROMISE)
    out = openssl_ocsp(served_ca, live_server, tmp_path)
    assert "signer.pem: revoked" in out and "Reason: keyCompromise" in out, out


def test_a_long_term_signature_validates_with_pyhanko_pdfsig_and_from_its_own_data(
    served_ca, settings, tsa, nss, tmp_path
):
    path = document(tmp_path)
    sign_pdf_in_place(path, identity(settings, tsa), signer_name="Harcourt & Vale LLP", reason="test")
    # adesverify requires revocation data for every certificate and fetches none: it validates from what the
    # file carries (PAdES B-LTA), the timestamp authority's certificate included.
    result = adesverify(path, pem_of(served_ca.certificate, tmp_path / "ca.pem"), tsa)
    assert result.returncode == 0, result
    assert ":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,EXTENDED_WITH_LTA_UPDATES," in result.stdout
    out = pdfsig(path, nss)
    assert "Signature Validation: Signature is Valid." in out and "Certificate is Trusted." in out, out


def test_a_signature_made_after_revocation_is_refused_by_every_validator(served_ca, settings, tsa, nss, tmp_path):
    certificate_revoke(served_ca, reason=pki.Reason.KEY_COMPROMISE)
    path = document(tmp_path, "forged.pdf")  # signed with the revoked key outside the portal, which refuses
    signer = signers.SimpleSigner.load_pkcs12(str(settings.PORTAL_SIGNING_P12))
    meta = signers.PdfSignatureMetadata(field_name="FirmSignature", md_algorithm="sha256")
    with open(path, "rb") as stream:
        signed = signers.PdfSigner(meta, signer, timestamper=timestamps.HTTPTimeStamper(tsa.url)).sign_pdf(
            IncrementalPdfFileWriter(stream)
        )
    path.write_bytes(signed.getvalue())
    ca_pem = pem_of(served_ca.certificate, tmp_path / "ca.pem")
    assert ":INTACT:TRUSTED" not in adesverify(path, ca_pem, tsa).stdout
    assert "Certificate has been Revoked." in pdfsig(path, nss)
    revocations = tuple(served_ca.revocations())
    check = check_signature(path, [served_ca.certificate], served_ca.signing_certificate, revocations)
    assert "Signed after the firm's certificate was revoked" in " ".join(check.problems)
