"""The webhooks pages: staff subscribe an endpoint and follow its deliveries; clients never see them."""

import pytest
from django.urls import reverse

from portal.models import WebhookSubscription

pytestmark = pytest.mark.django_db

URL = "/webhooks/"


def test_staff_subscribe_a_client_endpoint_and_see_its_secret(staff_client, holder_a):
    response = staff_client.post(URL, {"rights_holder": holder_a.pk, "url": "https://hooks.alpha.example/portal",
                                       "events": ["listing.removed", "bundle.ready"]}, follow=True)  # fmt: skip
    subscription = WebhookSubscription.objects.get()
    page = response.content.decode()
    assert subscription.secret in page and "Events of Alpha Brands Ltd" in page
    assert subscription.events == ["bundle.ready", "listing.removed"]


def test_an_endpoint_without_events_is_refused_plainly(staff_client):
    response = staff_client.post(URL, {"url": "https://hooks.example/portal"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_plain_http_is_refused_with_the_reason(staff_client, settings):
    settings.PORTAL_WEBHOOK_HTTP_HOSTS = []
    response = staff_client.post(URL, {"url": "http://hooks.example/portal", "events": ["bundle.ready"]})
    assert "Give an https:// address: events carry your clients&#x27; facts." in response.content.decode()


def test_stopping_says_so(staff_client, staff):
    from portal.services.webhooks import webhook_subscription_create

    subscription = webhook_subscription_create(rights_holder=None, url="https://hooks.example/x",
                                               events=["bundle.ready"], description="", by=staff)  # fmt: skip
    page = staff_client.post(reverse("web:webhook_stop", args=[subscription.pk]), follow=True).content.decode()
    assert "No more events will be sent to https://hooks.example/x." in page and "Stopped" in page


def test_client_members_are_not_told_the_page_exists(client, member_a):
    client.force_login(member_a)
    assert client.get(URL).status_code == 404
