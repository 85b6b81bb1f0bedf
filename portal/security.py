"""Sign-in protection: the client address, two-factor enrolment and token entry for firm staff."""

from __future__ import annotations

import io
from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ownership import access

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


def _staff_only(request: HttpRequest) -> None:
    if not access.is_firm_staff(request.user):
        raise Http404


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "web:staff_queue"


def _pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """Token entry: a staff member with a confirmed device proves it once per session."""
    _staff_only(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(reverse("security:enrol") + "?" + urlencode({"next": _next_url(request)}))
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_url(request))
    return render(request, "security/verify.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code, then confirm with a first code. Only staff without a device may enrol."""
    _staff_only(request)
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
@login_required
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The pending device's otpauth URI as an SVG QR code (an image: no inline script)."""
    _staff_only(request)
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


class StaffTwoFactorMiddleware:
    """Staff who signed in with a password only are sent to the two-factor check before any other page.

    Staff see every client's data through ``visible_to``; without this a stolen staff password alone would
    open every matter on the client pages. Sign-in, sign-out, password, two-factor and admin-login pages stay
    reachable so the staff member can finish signing in.
    """

    # The admin refuses unverified staff itself (OTPAdminSite) and sends them to its own login with a code.
    OPEN_PREFIXES = ("/accounts/", "/security/", "/static/", "/healthz", "/admin/")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            access.is_firm_staff(request.user)
            and not access.is_verified_staff(request.user)
            and not request.path.startswith(self.OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path(), reverse("security:verify"))
        return self.get_response(request)
