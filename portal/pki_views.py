"""The development CA's public revocation services (RFC 5280 CRL, RFC 6960 OCSP) and its certificate, served
to any validator: pyHanko when it signs, NSS (``pdfsig``) and Adobe Reader when they check a signature.

They answer 404 when the signing certificate is not the portal's own CA's (a provider's, or a key in an HSM):
that provider serves its own.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives import serialization
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.request import RawPostDataException
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ownership.shared import pki

MAX_OCSP_REQUEST = 10_000  # bytes: a request names a few certificates; anything larger is not one


def _ca() -> pki.LocalCA:
    ca = pki.local_ca()
    if ca is None:
        raise Http404("The signing certificate is not issued by the portal's own CA.")
    return ca


@require_GET
def ca_certificate(request: HttpRequest) -> HttpResponse:
    cert = _ca().certificate.public_bytes(serialization.Encoding.DER)
    return HttpResponse(cert, content_type="application/pkix-cert")


@require_GET
def certificate_revocation_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse(pki.certificate_revocation_list(_ca()), content_type="application/pkix-crl")


@csrf_exempt  # validators POST a DER request with no session or token (RFC 6960 appendix A)
@require_http_methods(["GET", "POST"])
def ocsp(request: HttpRequest, encoded: str = "") -> HttpResponse:
    """POST carries the DER request as the body; GET carries it base64-encoded in the path (RFC 6960 A.1)."""
    ca = _ca()
    if request.method == "POST":
        if int(request.headers.get("Content-Length") or 0) > MAX_OCSP_REQUEST:
            return HttpResponseBadRequest("An OCSP request is a few hundred bytes.")
        try:
            body = request.body
        except RawPostDataException:  # a form, already read as one by the middleware: not an OCSP request
            body = b""
    else:
        try:
            body = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            body = b""
    return HttpResponse(pki.ocsp_response(ca, body), content_type="application/ocsp-response")
