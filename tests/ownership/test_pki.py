"""The development CA's revocation services and what signing and checking do with them."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.core.management import call_command
from django.urls import reverse

from ownership.shared import pki
from ownership.shared.signing import (
    SigningError,
    SigningIdentity,
    check_signature,
    load_certificate,
    sign_pdf_in_place,
    trust_root_path,
)
from portal.services.signing_certificates import certificate_revoke
from tests.conftest import require_service
from tests.support import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm_ca(settings, tmp_path):
    """A fresh development CA and signing certificate (revocations must not leak between tests)."""
    path = tmp_path / "signing" / "firm.p12"
    call_command("create_signing_certificate", out=str(path), stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.PORTAL_SIGNING_P12 = path
    settings.PORTAL_SIGNING_TRUST_ROOT = trust_root_path(path)
    settings.PORTAL_SIGNING_PASSPHRASE = ""
    return pki.local_ca()


def ocsp_request(ca: pki.LocalCA) -> bytes:
    """As OpenSSL and NSS ask: the certificate's ID hashed with SHA-1 (RFC 6960 CertID)."""
    builder = ocsp.OCSPRequestBuilder().add_certificate(
        ca.signing_certificate,
        ca.certificate,
        hashes.SHA1(),  # noqa: S303 - what validators send
    )
    return builder.build().public_bytes(serialization.Encoding.DER)


def test_the_signing_certificate_names_the_portals_crl_and_ocsp(firm_ca, settings):
    cert = firm_ca.signing_certificate
    points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert points[0].full_name[0].value == f"{settings.PORTAL_BASE_URL}/pki/ca.crl"
    assert access[0].access_location.value == f"{settings.PORTAL_BASE_URL}/pki/ocsp"


def test_the_crl_is_signed_by_the_ca_and_lists_a_revoked_certificate(firm_ca, client):
    before = x509.load_der_x509_crl(client.get(reverse("pki_crl")).content)
    assert before.is_signature_valid(firm_ca.certificate.public_key()) and len(before) == 0
    certificate_revoke(firm_ca, reason=pki.Reason.KEY_COMPROMISE)
    after = x509.load_der_x509_crl(client.get(reverse("pki_crl")).content)
    entry = after.get_revoked_certificate_by_serial_number(firm_ca.signing_certificate.serial_number)
    assert entry is not None
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.key_compromise


def test_ocsp_answers_good_then_revoked_by_post_and_by_get(firm_ca, client):
    request = ocsp_request(firm_ca)
    answer = ocsp.load_der_ocsp_response(
        client.post(reverse("pki_ocsp"), request, content_type="application/ocsp-request").content
    )
    assert answer.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert answer.certificate_status == ocsp.OCSPCertStatus.GOOD
    firm_ca.certificate.public_key().verify(
        answer.signature, answer.tbs_response_bytes, *_rsa_padding(answer)
    )  # signed by the CA itself
    certificate_revoke(firm_ca, reason=pki.Reason.SUPERSEDED)
    encoded = base64.b64encode(request).decode()
    answer = ocsp.load_der_ocsp_response(client.get(reverse("pki_ocsp_get", args=[encoded])).content)
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason == x509.ReasonFlags.superseded


def _rsa_padding(answer: ocsp.OCSPResponse):
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), answer.signature_hash_algorithm


def test_ocsp_refuses_a_malformed_request_and_another_cas_certificate(firm_ca, client, tmp_path):
    garbage = client.post(reverse("pki_ocsp"), b"not a request", content_type="application/ocsp-request")
    assert ocsp.load_der_ocsp_response(garbage.content).response_status == ocsp.OCSPResponseStatus.MALFORMED_REQUEST
    other = tmp_path / "other.p12"
    call_command("create_signing_certificate", out=str(other), stdout=open(os.devnull, "w"))  # noqa: SIM115
    stranger = pki.local_ca(other, b"")
    answer = client.post(reverse("pki_ocsp"), ocsp_request(stranger), content_type="application/ocsp-request")
    assert ocsp.load_der_ocsp_response(answer.content).response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED


def test_with_a_providers_certificate_the_portal_serves_no_revocation_data(firm_ca, client):
    pki.ca_key_path(firm_ca.revocations_path.with_name("firm.p12")).unlink()  # as when a provider issued it
    assert client.get(reverse("pki_crl")).status_code == 404
    assert client.post(reverse("pki_ocsp"), b"", content_type="application/ocsp-request").status_code == 404


def test_revoking_twice_is_refused_with_a_message(firm_ca):
    call_command("revoke_signing_certificate", reason="key_compromise", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with pytest.raises(Exception, match="revoked already"):
        call_command("revoke_signing_certificate", reason="key_compromise")


def identity(settings) -> SigningIdentity:
    return SigningIdentity(p12_path=settings.PORTAL_SIGNING_P12, passphrase=b"",
                           trust_roots=(settings.PORTAL_SIGNING_TRUST_ROOT,))  # fmt: skip


def test_a_revoked_certificate_cannot_sign(firm_ca, settings, tmp_path):
    certificate_revoke(firm_ca, reason=pki.Reason.KEY_COMPROMISE)
    path = tmp_path / "doc.pdf"
    path.write_bytes(files.pdf_bytes("Notice"))
    with pytest.raises(SigningError, match="has been revoked"):
        sign_pdf_in_place(path, identity(settings), signer_name="Harcourt & Vale LLP", reason="test")


def test_a_signature_without_a_timestamp_by_a_since_revoked_certificate_is_refused(firm_ca, settings, tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(files.pdf_bytes("Notice"))
    sign_pdf_in_place(path, identity(settings), signer_name="Harcourt & Vale LLP", reason="test")
    firm = load_certificate(identity(settings))
    assert check_signature(path, [firm_ca.certificate], firm, tuple(firm_ca.revocations())).valid
    certificate_revoke(firm_ca, reason=pki.Reason.KEY_COMPROMISE)
    result = check_signature(path, [firm_ca.certificate], firm, tuple(firm_ca.revocations()))
    assert not result.valid
    assert "no timestamp proves the signature came first" in " ".join(result.problems)


def test_openssl_reads_the_crl_as_signed_by_the_ca(firm_ca, client, tmp_path):
    openssl = shutil.which("openssl")
    require_service(openssl is not None, "openssl is not installed")
    (tmp_path / "ca.crl").write_bytes(client.get(reverse("pki_crl")).content)
    out = subprocess.run([openssl, "crl", "-inform", "DER", "-in", str(tmp_path / "ca.crl"), "-noout", "-CAfile",
                          str(trust_root_path(firm_ca.revocations_path.with_name("firm.p12")))],
                         capture_output=True, text=True)  # fmt: skip
    assert "verify OK" in out.stderr + out.stdout


def test_revoking_is_audited_with_the_certificate_and_reason(firm_ca):
    from ownership.shared.audit import AuditEvent

    call_command("revoke_signing_certificate", reason="superseded", stdout=open(os.devnull, "w"))  # noqa: SIM115
    entry = AuditEvent.objects.get(object_ref=f"certificate:{firm_ca.signing_certificate.serial_number:x}")
    assert "revoked (superseded)" in entry.object_label and "evidence portal (development)" in entry.object_label


def test_keeping_an_older_certificate_adds_the_missing_web_archive_certificate_from_the_same_ca(firm_ca, settings):
    from cryptography.hazmat.primitives.serialization import pkcs12

    from ownership.shared.archive_signing import archive_key_path

    archive = archive_key_path(settings.PORTAL_SIGNING_P12)
    archive.unlink()  # as on a portal set up before web archives were signed
    call_command("create_signing_certificate", out=str(settings.PORTAL_SIGNING_P12), keep_existing=True,
                 stdout=open(os.devnull, "w"))  # noqa: SIM115  # fmt: skip
    _, cert, _ = pkcs12.load_key_and_certificates(archive.read_bytes(), None)
    assert cert.issuer == firm_ca.certificate.subject
    cert.verify_directly_issued_by(firm_ca.certificate)
