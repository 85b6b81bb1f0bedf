"""Webhooks: subscriptions, the deliveries an event makes, and sending them signed per Standard Webhooks.

Each delivery is a job (``ownership.shared.jobs``): written in the transaction that caused the event, sent by a
worker after it commits, tried again after a pause when the endpoint fails, and given up after the last pause.
The body is signed with the subscription's secret by the ``standardwebhooks`` library (HMAC-SHA256 over
``webhook-id.webhook-timestamp.body``, in the ``webhook-signature`` header, per standardwebhooks.com).
"""

from __future__ import annotations

import base64
import datetime
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from ownership.models import RightsHolder
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.events import EVENT_TYPES, event_recorded
from ownership.shared.jobs import job_claim, job_dispatch, job_finish, job_release
from ownership.shared.users import User
from portal.models import WebhookAttempt, WebhookDelivery, WebhookSubscription

# Pauses before each retry; the delivery is given up after the last. The portal's own choice, modelled on
# Svix's schedule (docs.svix.com/retries: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), the Standard Webhooks
# authors' service; the first pause is a minute because the sweep that sends retries runs every minute.
RETRY_PAUSES = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 30, 120, 300, 600, 600))
USER_AGENT = "IP-Enforcement-Evidence-Portal-Webhooks/1"


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in settings.PORTAL_WEBHOOK_HTTP_HOSTS):
        return
    raise ValidationError({"url": "Give an https:// address: events carry your clients' facts."})


@transaction.atomic
def webhook_subscription_create(
    *, rights_holder: RightsHolder | None, url: str, events: list[str], description: str, by: User
) -> WebhookSubscription:
    """A subscription of one client's events (``rights_holder``) or every client's (None), with a new secret."""
    _check_url(url)
    unknown = sorted(set(events) - set(EVENT_TYPES))
    if not events or unknown:
        raise ValidationError({"events": "Choose at least one event." if not events else f"Unknown: {unknown}"})
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    subscription = WebhookSubscription(rights_holder=rights_holder, url=url, events=sorted(events),
                                       description=description.strip(), secret=secret, created_by=by)  # fmt: skip
    subscription.full_clean()
    subscription.save()
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=subscription, fields=["url", "events", "rights_holder"])
    return subscription


@transaction.atomic
def webhook_subscription_stop(*, subscription: WebhookSubscription, by: User) -> None:
    """No more events to it; what was already made is still delivered."""
    if subscription.active:
        subscription.active = False
        subscription.save(update_fields=["active"])
        audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=subscription, fields=["active"])


@receiver(event_recorded, dispatch_uid="webhook-deliveries")
def webhook_deliveries_create(*, event_type: str, rights_holder_id: int, data: dict[str, Any], **_kwargs) -> None:
    """One delivery per subscription that takes this event of this client, written in the caller's transaction
    and sent once it commits."""
    subscriptions = [
        subscription for subscription in WebhookSubscription.objects.for_client(rights_holder_id)
        if event_type in subscription.events
    ]  # fmt: skip
    if not subscriptions:
        return
    payload = {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}
    deliveries = WebhookDelivery.objects.bulk_create([
        WebhookDelivery(subscription=subscription, event_type=event_type, payload=payload,
                        message_id=f"msg_{uuid.uuid4().hex}")
        for subscription in subscriptions
    ])  # fmt: skip
    job_dispatch(*deliveries)


def signed_request(delivery: WebhookDelivery, *, at: datetime.datetime) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one attempt (a new timestamp and signature each time; the same webhook-id)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    at = at.replace(microsecond=0)
    signature = Webhook(delivery.subscription.secret).sign(msg_id=delivery.message_id, timestamp=at, data=body)
    return body, {
        "content-type": "application/json", "user-agent": USER_AGENT, "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())), "webhook-signature": signature,
    }  # fmt: skip


def webhook_deliver(*, delivery_id: int) -> str:
    """Try the delivery once: delivered on a 2xx answer, else queued again after the next pause, or given up."""
    token = job_claim(WebhookDelivery, delivery_id)
    if token is None:
        return "not-ours"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    body, headers = signed_request(delivery, at=timezone.now())
    started, status_code, error = time.monotonic(), None, ""
    try:
        response = requests.post(delivery.subscription.url, data=body, headers=headers, allow_redirects=False,
                                 timeout=settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS)  # fmt: skip
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"The endpoint answered {status_code}."
    except requests.RequestException as exc:
        error = f"The endpoint could not be reached ({type(exc).__name__})."
    now = timezone.now()
    WebhookAttempt.objects.create(delivery=delivery, attempted_at=now, status_code=status_code, error=error,
                                  duration_ms=round((time.monotonic() - started) * 1000))  # fmt: skip
    if not error:
        job_finish(delivery, status=WebhookDelivery.Status.DELIVERED, token=token, delivered_at=now)
        return "delivered"
    if delivery.attempts > len(RETRY_PAUSES):
        job_finish(delivery, status=WebhookDelivery.Status.FAILED, token=token,
                   error=f"Given up after {delivery.attempts} attempts; the last: {error}")  # fmt: skip
        return "failed"
    pause = RETRY_PAUSES[delivery.attempts - 1]
    job_release(WebhookDelivery, delivery.pk, token, reason=error, next_attempt_at=now + pause)
    return "retry"
