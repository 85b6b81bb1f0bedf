"""Webhooks: an event makes a delivery per subscription that may see it, sent signed per Standard Webhooks to a
receiver on loopback that checks the signature, retried after a pause when the receiver fails."""

import base64
import hashlib
import hmac
import http.server
import threading

import pytest
from django.core.exceptions import ValidationError
from standardwebhooks.webhooks import Webhook

from ownership.shared.events import event_record
from ownership.shared.jobs import jobs_sweep
from portal.campaign_answers import Answer
from portal.models import WebhookDelivery
from portal.services import submission_answers_record
from portal.services.webhooks import RETRY_PAUSES, webhook_deliver, webhook_subscription_create
from tests.portal.test_results import filed


def answer(submission, staff, *results):
    """The platform's answers (removed or rejected) to the complaint's items in order, recorded now."""
    ids = submission.outcomes.order_by("pk").values_list("listing_id", flat=True)
    answers = [Answer(listing_id=listing_id, result=result, reason="Not persuaded" if result == "rejected" else "")
               for listing_id, result in zip(ids, results, strict=False)]  # fmt: skip
    submission_answers_record(submission=submission, answers=answers, by=staff)


pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("in_process_worker")]


class Receiver:
    """An HTTP endpoint on loopback that keeps what it was sent and answers ``status``."""

    def __init__(self, status: int = 204):
        self.status, self.received = status, []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.received.append((dict(self.headers), body))
                self.send_response(owner.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"


@pytest.fixture
def receiver(settings):
    settings.PORTAL_WEBHOOK_HTTP_HOSTS = ["127.0.0.1"]
    endpoint = Receiver()
    yield endpoint
    endpoint.server.shutdown()


def subscribe(url, staff, holder=None, events=("listing.removed",)):
    return webhook_subscription_create(rights_holder=holder, url=url, events=list(events), description="", by=staff)


def signature_ok(secret: str, headers: dict, body: bytes) -> bool:
    """The Standard Webhooks check written out from the spec, beside the library's: base64 HMAC-SHA256 with the
    secret's decoded bytes, over ``id.timestamp.body``, sent as ``v1,<signature>``."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, headers["webhook-signature"])


def test_recording_a_removal_sends_a_signed_listing_removed_event(receiver, matter_a, staff):
    subscription = subscribe(receiver.url, staff, matter_a.rights_holder)
    complaint = filed(matter_a, staff, count=2)
    answer(complaint, staff, "removed", "rejected")  # the in-process worker delivers after the commit
    [(headers, body)] = receiver.received
    headers = {name.lower(): value for name, value in headers.items()}
    assert signature_ok(subscription.secret, headers, body)
    event = Webhook(subscription.secret).verify(body, headers)
    removed = complaint.outcomes.get(outcome="removed").listing
    assert event["type"] == "listing.removed"
    assert event["data"]["listings"] == [{"id": removed.pk, "url": removed.url}]
    assert event["data"]["complaint"]["platform_reference"] == complaint.platform_reference
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_another_clients_subscription_hears_nothing(receiver, matter_a, holder_b, staff):
    subscribe(receiver.url, staff, holder_b)
    answer(filed(matter_a, staff, count=1), staff, "removed")
    assert receiver.received == [] and not WebhookDelivery.objects.exists()


def test_a_firm_wide_subscription_hears_every_client(receiver, matter_a, matter_b, staff):
    subscribe(receiver.url, staff)
    answer(filed(matter_a, staff, count=1), staff, "removed")
    answer(filed(matter_b, staff, count=1, tag="b"), staff, "removed")
    assert len(receiver.received) == 2


def test_an_event_not_subscribed_to_is_not_sent(receiver, matter_a, staff):
    subscribe(receiver.url, staff, matter_a.rights_holder, events=["bundle.ready"])
    answer(filed(matter_a, staff, count=1), staff, "removed")
    assert receiver.received == []


def test_a_failing_endpoint_is_tried_again_after_a_pause(receiver, matter_a, staff):
    receiver.status = 503
    subscribe(receiver.url, staff, matter_a.rights_holder)
    answer(filed(matter_a, staff, count=1), staff, "removed")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.QUEUED and delivery.error == "The endpoint answered 503."
    assert delivery.next_attempt_at - delivery.attempts_made.get().attempted_at == RETRY_PAUSES[0]
    assert jobs_sweep()["portal.webhookdelivery"] == 0  # not yet due
    receiver.status = 200
    jobs_sweep(now=delivery.next_attempt_at)  # due: sent again, and the in-process worker delivers it
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [a.status_code for a in delivery.attempts_made.all()] == [503, 200]
    assert len({headers["webhook-id"] for headers, _body in receiver.received}) == 1  # the same message, again


def test_a_delivery_is_given_up_after_the_last_pause(receiver, matter_a, staff):
    receiver.status = 500
    subscribe(receiver.url, staff, matter_a.rights_holder)
    answer(filed(matter_a, staff, count=1), staff, "removed")
    delivery = WebhookDelivery.objects.get()
    for _ in RETRY_PAUSES:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=None)
        webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == len(RETRY_PAUSES) + 1
    assert delivery.error.startswith(f"Given up after {len(RETRY_PAUSES) + 1} attempts")


def test_an_unreachable_endpoint_is_recorded_as_such(settings, matter_a, staff):
    settings.PORTAL_WEBHOOK_HTTP_HOSTS = ["127.0.0.1"]
    subscribe("http://127.0.0.1:9/hooks", staff, matter_a.rights_holder)  # the discard port: nothing listens
    answer(filed(matter_a, staff, count=1), staff, "removed")
    attempt = WebhookDelivery.objects.get().attempts_made.get()
    assert attempt.status_code is None and attempt.error == "The endpoint could not be reached (ConnectionError)."


def test_plain_http_is_refused_outside_the_allowed_hosts(staff, settings):
    settings.PORTAL_WEBHOOK_HTTP_HOSTS = []
    with pytest.raises(ValidationError, match="Give an https:// address"):
        subscribe("http://example.com/hooks", staff)


def test_every_announced_event_type_is_known():
    with pytest.raises(ValueError, match="Unknown event type"):
        event_record(event_type="listing.vanished", rights_holder_id=1, data={})


def test_an_event_is_not_sent_when_what_caused_it_is_rolled_back(receiver, matter_a, staff):
    from django.db import transaction

    subscribe(receiver.url, staff, matter_a.rights_holder)
    with pytest.raises(RuntimeError), transaction.atomic():
        event_record(event_type="listing.removed", rights_holder_id=matter_a.rights_holder_id, data={})
        raise RuntimeError("the answer failed")
    assert not WebhookDelivery.objects.exists() and receiver.received == []
