"""Sign-in protection: the client address, two-factor enrolment and token entry for firm staff.

Who may open staff pages at all is decided in ``portal.staff_access``.
"""

from __future__ import annotations

import io
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.staff_access import staff_before_two_factor

ENROLMENT_DEVICE_NAME = "Authenticator app"


def client_address(request: HttpRequest) -> str:
    """The address of the client: the proxy's last X-Forwarded-For entry behind a proxy, else REMOTE_ADDR.

    Only the entry the trusted proxy appended is believed; anything before it came from the client.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


def sign_in_name(request: HttpRequest, credentials: dict | None) -> str | None:
    """The e-mail address a sign-in attempt was for, case-folded, so "A@x" and "a@x" share one lockout."""
    name = (credentials or {}).get("username") or request.POST.get("username")
    return name.strip().casefold() if name else None


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, device: TOTPDevice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(_("That code is not valid. Enter the code your authenticator app shows now."))
        return token


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "web:staff_queue"


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)


@never_cache
@staff_before_two_factor
def verify(request: HttpRequest) -> HttpResponse:
    """Token entry: a staff member with a confirmed device proves it once per session."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(reverse("security:enrol") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "security/verify.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@staff_before_two_factor
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code, then confirm with a first code. Only staff without a device may enrol."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("security:verify")
    device = _pending_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(
        request,
        "security/enrol.html",
        {"form": form, "secret": _base32(device), "next": request.GET.get("next", "")},
    )


@never_cache
@staff_before_two_factor
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The pending device's otpauth URI as an SVG QR code (an image: no inline script)."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        raise Http404
    buffer = io.BytesIO()
    qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


def _base32(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()
