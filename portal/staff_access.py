"""Staff-only access, in one place: which requests firm staff must be verified for, and what others get.

Staff see every client's data, so a staff page needs a staff member who also passed two-factor verification
this session (``ownership.shared.access.is_verified_staff``). Client users get 404 on staff pages, so they do not learn
the pages exist; anonymous users are sent to sign in.

- ``staff_required``: a staff page;
- ``staff_before_two_factor``: the two-factor pages themselves, open to staff not yet verified;
- ``StaffTwoFactorMiddleware``: staff signed in with a password only are sent to the two-factor check before
  any other page, except the pages they need to finish signing in.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from ownership.shared import access

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """Verified firm staff only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_firm_staff(request.user):
            raise Http404
        if not access.is_verified_staff(request.user):
            return redirect_to_login(request.get_full_path(), reverse("security:verify"))
        return view(request, *args, **kwargs)

    return wrapper


def staff_before_two_factor(view: View) -> View:
    """Firm staff, verified or not: the enrolment and token-entry pages."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.is_firm_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _open_prefixes() -> tuple[str, ...]:
    """Where unverified staff may go: signing in and out, the two-factor pages, the admin (OTPAdminSite sends
    them to its own login with a code), static files and the health check."""
    return (
        reverse("login").rsplit("login/", 1)[0],
        reverse("security:verify").rsplit("verify/", 1)[0],
        reverse("admin:index"),
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
        reverse("healthz"),
    )


class StaffTwoFactorMiddleware:
    """Staff who signed in with a password only are sent to the two-factor check before any other page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.open_prefixes: tuple[str, ...] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if access.is_firm_staff(request.user) and not access.is_verified_staff(request.user):
            if self.open_prefixes is None:
                self.open_prefixes = _open_prefixes()
            if not request.path.startswith(self.open_prefixes):
                return redirect_to_login(request.get_full_path(), reverse("security:verify"))
        return self.get_response(request)
