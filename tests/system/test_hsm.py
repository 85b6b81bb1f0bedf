"""Signing with a key that never leaves an HSM: PKCS#11 through pyHanko, against a real SoftHSM2 token."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ownership.shared.signing import (
    Pkcs11Key,
    SigningError,
    SigningIdentity,
    certificate_fingerprint,
    check_signature,
    load_certificate,
    sign_pdf_in_place,
    trust_root_path,
    trust_roots,
)
from portal.bundle.pdf import build_bundle
from tests.conftest import require_service
from tests.support.bundles import bundle_input

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"


@pytest.fixture
def token(tmp_path, signing_p12, monkeypatch):
    """A fresh SoftHSM2 token holding the firm's key and certificate (imported once, as a firm would)."""
    require_service(Path(MODULE).exists() and shutil.which("softhsm2-util") is not None, "softhsm2 is not installed")
    require_service(shutil.which("pkcs11-tool") is not None, "opensc's pkcs11-tool is not installed")
    (tmp_path / "tokens").mkdir()
    config = tmp_path / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(config))
    key, cert, _ = pkcs12.load_key_and_certificates(signing_p12.read_bytes(), b"")
    key_pem, cert_der = tmp_path / "key.pem", tmp_path / "cert.der"
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))  # fmt: skip
    cert_der.write_bytes(cert.public_bytes(serialization.Encoding.DER))
    env = {**os.environ, "SOFTHSM2_CONF": str(config)}
    run = lambda *args: subprocess.run(args, check=True, capture_output=True, env=env)  # noqa: E731
    run("softhsm2-util", "--init-token", "--free", "--label", "firm", "--pin", PIN, "--so-pin", "13579111")
    run("softhsm2-util", "--import", str(key_pem), "--token", "firm", "--label", "portal-signing", "--id", "01",
        "--pin", PIN)  # fmt: skip
    run("pkcs11-tool", "--module", MODULE, "--token-label", "firm", "--login", "--pin", PIN, "--write-object",
        str(cert_der), "--type", "cert", "--label", "portal-signing", "--id", "01")  # fmt: skip
    key_pem.unlink()  # the key now lives only in the token
    return SigningIdentity(
        p12_path=tmp_path / "no-such.p12",
        passphrase=b"",
        trust_roots=(trust_root_path(signing_p12),),
        pkcs11=Pkcs11Key(module=MODULE, token="firm", pin=PIN, key_label="portal-signing", cert_label="portal-signing"),
    ), cert


def test_a_bundle_signed_through_pkcs11_validates_as_the_firms(tmp_path, token):
    identity, cert = token
    built = build_bundle(bundle_input(files_=()), tmp_path)
    fingerprint = sign_pdf_in_place(built.path, identity, signer_name="Harcourt & Vale LLP", reason="test")
    assert fingerprint == certificate_fingerprint(cert)
    result = check_signature(built.path, trust_roots(identity), load_certificate(identity))
    assert result.valid and result.covers_whole_file, result.problems


def test_a_wrong_pin_fails_with_a_message_naming_the_token(tmp_path, token):
    identity, _ = token
    wrong = SigningIdentity(**{**identity.__dict__, "pkcs11": Pkcs11Key(MODULE, "firm", "000000", "portal-signing",
                                                                         "portal-signing")})  # fmt: skip
    built = build_bundle(bundle_input(files_=()), tmp_path)
    with pytest.raises(SigningError, match="The HSM token 'firm' could not be opened"):
        sign_pdf_in_place(built.path, wrong, signer_name="Harcourt & Vale LLP", reason="test")
