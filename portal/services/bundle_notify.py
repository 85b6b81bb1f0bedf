"""Telling the matter's client members that its bundle is ready."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from ownership.shared.users import User
from portal.models import Bundle

logger = logging.getLogger(__name__)


def bundle_ready_notify(*, bundle_id: int) -> int:
    """E-mail the matter's client members that the bundle is ready; returns how many were sent.

    One message per person, so no client sees another's address. A mail failure is logged, never undoes
    the bundle.
    """
    bundle = Bundle.objects.select_related("matter__rights_holder").get(pk=bundle_id)
    recipients = User.objects.filter(
        is_active=True, memberships__rights_holder=bundle.matter.rights_holder_id
    ).distinct()
    matter_url = settings.PORTAL_BASE_URL + reverse("web:matter_detail", args=[bundle.matter.reference]) + "#bundles"
    sent = 0
    for user in recipients:
        context = {"bundle": bundle, "user": user, "matter_url": matter_url, "firm_name": settings.PORTAL_FIRM_NAME}
        subject = " ".join(render_to_string("portal/email/bundle_ready_subject.txt", context).split())
        try:
            sent += send_mail(subject, render_to_string("portal/email/bundle_ready.txt", context), None, [user.email])
        except Exception:
            logger.warning("Could not e-mail %s that bundle %s is ready.", user.email, bundle_id, exc_info=True)
    return sent
