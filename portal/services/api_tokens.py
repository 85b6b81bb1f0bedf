"""Personal API tokens: made and revoked by their owner, audited in the same transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device

from ownership.shared import access
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.users import User
from portal.models import ApiToken

TOKEN_PREFIX = "ipt_"  # noqa: S105 - not a secret: marks a portal token, so a secret scanner or a person recognises one that leaked


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``, and the token itself, which is never stored and cannot be shown again. Staff
    see every client's data, so a staff token needs two-factor enrolment, as staff pages do."""
    if access.is_firm_staff(user) and not user_has_device(user, confirmed=True):
        raise ValidationError("Set up two-factor sign-in before making an API token.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[: len(TOKEN_PREFIX) + 4]
    api_token = ApiToken(user=user, name=name.strip(), prefix=prefix, digest=token_digest(token))
    api_token.full_clean()
    api_token.save()
    audit_change(action=AuditEvent.Action.ADDED, actor=user, obj=api_token, fields=["name"])
    return api_token, token


@transaction.atomic
def api_token_revoke(*, api_token: ApiToken, by: User) -> None:
    if api_token.revoked_at is None:
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=api_token, fields=["revoked_at"])


USE_RECORDED_EVERY = datetime.timedelta(minutes=5)  # "last used" to within minutes: not a write per call


def api_token_used(*, api_token: ApiToken) -> None:
    """Note when the token was last used (shown on its owner's page); the calls themselves are audited."""
    now = timezone.now()
    if api_token.last_used_at is None or now - api_token.last_used_at > USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        api_token.last_used_at = now
