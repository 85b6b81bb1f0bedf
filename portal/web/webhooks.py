"""Webhook subscriptions (staff): made for one client or the whole firm, each with its deliveries and attempts."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ownership.models import RightsHolder
from ownership.shared.events import EVENT_TYPES
from portal.models import WebhookDelivery, WebhookSubscription
from portal.services.webhooks import webhook_subscription_create, webhook_subscription_stop
from portal.staff_access import staff_required

DELIVERIES_SHOWN = 50


class WebhookSubscriptionForm(forms.Form):
    rights_holder = forms.ModelChoiceField(
        label=_("Client"), queryset=RightsHolder.objects.order_by("name"), required=False,
        empty_label=_("Every client (the firm's own systems)"),
    )  # fmt: skip
    url = forms.URLField(label=_("Endpoint URL"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("Events"), widget=forms.CheckboxSelectMultiple,
        choices=[(name, f"{name}: {meaning}") for name, meaning in EVENT_TYPES.items()],
    )  # fmt: skip
    description = forms.CharField(label=_("What receives it"), max_length=200, required=False)


@require_http_methods(["GET", "POST"])
@staff_required
def webhook_list(request: HttpRequest) -> HttpResponse:
    form = WebhookSubscriptionForm(request.POST or None)
    if form.is_valid():
        try:
            subscription = webhook_subscription_create(**form.cleaned_data, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(subscription)
    subscriptions = WebhookSubscription.objects.select_related("rights_holder")[:200]
    return render(request, "portal/web/webhooks.html", {"form": form, "subscriptions": subscriptions},
                  status=400 if form.errors else 200)  # fmt: skip


@require_GET
@staff_required
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(WebhookSubscription.objects.select_related("rights_holder"), pk=pk)
    deliveries = list(
        WebhookDelivery.objects.filter(subscription=subscription).prefetch_related("attempts_made")[:DELIVERIES_SHOWN]
    )
    context = {"subscription": subscription, "deliveries": deliveries, "shown": DELIVERIES_SHOWN}
    return render(request, "portal/web/webhook.html", context)


@require_POST
@staff_required
def webhook_stop(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(WebhookSubscription, pk=pk)
    webhook_subscription_stop(subscription=subscription, by=request.user)
    messages.success(request, _("No more events will be sent to %(url)s.") % {"url": subscription.url})
    return redirect(subscription)
