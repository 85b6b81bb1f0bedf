"""How an API call proves who makes it: ``Authorization: Bearer <token>``, and how often a token may call."""

from __future__ import annotations

import functools
import logging

from django_otp import devices_for_user
from django_otp.middleware import is_verified
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.throttling import SimpleRateThrottle

from ownership.shared import access
from portal.models import ApiToken
from portal.services.api_tokens import api_token_used, token_digest

logger = logging.getLogger(__name__)


class BearerTokenAuthentication(BaseAuthentication):
    """A personal token (``portal.models.ApiToken``) acts as its owner, who sees exactly what they see in the
    pages. A staff member's token was made in a two-factor session and works only while they stay enrolled;
    the call then counts as verified, as their pages would be."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != b"bearer":
            return None
        if len(words) != 2:
            raise AuthenticationFailed("Send the token as “Authorization: Bearer <token>”.")
        digest = token_digest(words[1].decode("latin-1"))
        api_token = ApiToken.objects.active().select_related("user").filter(digest=digest).first()
        if api_token is None:
            raise AuthenticationFailed("This token is not valid, or it was revoked.")
        user = api_token.user
        if access.is_firm_staff(user):
            user.otp_device = next(iter(devices_for_user(user, confirmed=True)), None)
            if user.otp_device is None:
                raise AuthenticationFailed("A staff token works only while two-factor sign-in is set up.")
            user.is_verified = functools.partial(is_verified, user)
        api_token_used(api_token=api_token)
        return user, api_token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class TokenRateThrottle(SimpleRateThrottle):
    """Calls per token (``PORTAL_API_RATE``). The counts live in the cache; with the cache down, calls are let
    through and the outage is logged, so a Redis failure never stops the firm's systems."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        return f"api-throttle-{request.auth.pk}" if isinstance(request.auth, ApiToken) else None

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("API rate limit not applied: the cache did not answer", exc_info=True)
            return True
