"""Events the firm's and its clients' systems may subscribe to (webhooks), announced by the services that
cause them, inside their transaction.

The services of every app announce through ``event_record``; the portal's webhook service listens and writes a
delivery for each subscription that may see the event, in the same transaction, so an event is delivered if and
only if what caused it was committed. An event names the client (rights holder) whose matter it belongs to:
only that client's subscriptions and the firm-wide ones receive it.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

# The event types, with what each means to a subscriber.
EVENT_TYPES: dict[str, str] = {
    "bundle.ready": "A complaint bundle was compiled, signed and stored; it can be downloaded.",
    "listing.removed": "The platform answered that it removed listings of a complaint.",
    "listing.reappeared": "A listing that was removed is online again.",
    "counter_notice.received": "The seller answered a complaint with a counter-notice; it must be answered by a date.",
    "statement.signed": "A client member signed a statement or test-buy report in the portal.",
    "capture.failed": "A forensic capture of a listing failed; nothing of it was stored.",
}

event_recorded = Signal()  # sent with event_type, rights_holder_id and data


def event_record(*, event_type: str, rights_holder_id: int, data: dict[str, Any]) -> None:
    """Announce an event of the client ``rights_holder_id``; ``data`` is JSON that names only that client's
    facts (matter references, listing URLs, complaint references), never another client's."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"Unknown event type {event_type!r}")
    event_recorded.send(sender=None, event_type=event_type, rights_holder_id=rights_holder_id, data=data)
