"""Seller networks: every write to seller identifiers and links, and the networks they make.

Sellers sharing a strong identifier (``evidence.sellers.identifiers``) are in one network, transitively and on
any platform; a weak identifier shared (a company name, an address) only suggests a link, which joins the
networks once staff confirm it. A network is named by the lowest seller id in it (``Seller.network_id``) and is
kept up to date on every change: adding an identifier merges networks with one UPDATE of the smaller side;
withdrawing one, or rejecting a link, recomputes only the network it belonged to (union-find over its
members' identifiers). ``networks_rebuild`` recomputes every network from scratch.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from evidence.models import Capture, Exhibit, ListingImport, Seller, SellerIdentifier, SellerLink
from evidence.sellers.identifiers import STRONG_KINDS, InvalidIdentifier, identifier_key
from ownership.shared.audit import AuditEvent, audit_change
from ownership.shared.users import User


@transaction.atomic
def seller_identifier_add(
    *, seller: Seller, kind: str, value: str, exhibit: Exhibit | None = None, capture: Capture | None = None,
    listing_import: ListingImport | None = None, seen_at: datetime.datetime | None = None, by: User | None = None,
) -> SellerIdentifier:  # fmt: skip
    """Record an identifier the evidence shows for ``seller`` and update the networks; the same identifier
    already recorded for the seller is returned as it is."""
    try:
        key = identifier_key(kind, value)
    except InvalidIdentifier as exc:
        raise ValidationError({"value": str(exc)}) from None
    found = SellerIdentifier.objects.current().filter(seller=seller, kind=kind, key=key).first()
    if found is not None:
        return found
    identifier = SellerIdentifier(
        seller=seller, kind=kind, value=value.strip(), exhibit=exhibit, capture=capture,
        listing_import=listing_import, seen_at=seen_at or timezone.now(), added_by=by,
    )  # fmt: skip
    identifier.full_clean()
    identifier.save()
    audit_change(action=AuditEvent.Action.ADDED, actor=by, obj=identifier, fields=["kind", "value"])
    others = set(
        SellerIdentifier.objects.current().filter(kind=kind, key=key).exclude(seller=seller)
        .values_list("seller_id", flat=True)
    )  # fmt: skip
    if kind in STRONG_KINDS:
        _unite({seller.pk, *others})
    else:
        for other in others:
            first, second = sorted((seller.pk, other))
            SellerLink.objects.get_or_create(seller_a_id=first, seller_b_id=second, kind=kind, key=key)
    return identifier


@transaction.atomic
def seller_identifier_withdraw(*, identifier: SellerIdentifier, by: User | None, reason: str) -> SellerIdentifier:
    """Withdraw an identifier recorded in error; the network it tied together is recomputed."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the identifier is withdrawn."})
    identifier.withdrawn_at, identifier.withdrawal_reason = timezone.now(), reason.strip()
    identifier.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    audit_change(
        action=AuditEvent.Action.CHANGED, actor=by, obj=identifier, fields=["withdrawn_at", "withdrawal_reason"]
    )
    network = Seller.objects.filter(pk=identifier.seller_id).values_list("network_id", flat=True).first()
    if network is not None:
        _recompute(Seller.objects.filter(network_id=network).values_list("pk", flat=True))
    return identifier


@transaction.atomic
def seller_link_decide(*, link: SellerLink, decision: str, by: User) -> SellerLink:
    """Confirm or reject a suggested link; confirming joins the two networks, rejecting a confirmed link
    recomputes theirs."""
    if decision not in (SellerLink.Decision.CONFIRMED, SellerLink.Decision.REJECTED):
        raise ValidationError({"decision": "Confirm or reject the link."})
    was_confirmed = link.decision == SellerLink.Decision.CONFIRMED
    link.decision, link.decided_by, link.decided_at = decision, by, timezone.now()
    link.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_change(action=AuditEvent.Action.CHANGED, actor=by, obj=link, fields=["decision"])
    if decision == SellerLink.Decision.CONFIRMED:
        _unite({link.seller_a_id, link.seller_b_id})
    elif was_confirmed:
        networks = Seller.objects.filter(pk__in=[link.seller_a_id, link.seller_b_id]).values_list("network_id")
        _recompute(Seller.objects.filter(network_id__in=networks).values_list("pk", flat=True))
    return link


def _unite(seller_ids: set[int]) -> None:
    """Put these sellers, and every network one of them is in, into one network."""
    if len(seller_ids) < 2:
        return
    rows = list(Seller.objects.filter(pk__in=seller_ids).values_list("pk", "network_id"))
    networks = {network for _, network in rows if network is not None}
    target = min(networks | {pk for pk, _ in rows})
    Seller.objects.filter(Q(pk__in=seller_ids) | Q(network_id__in=networks)).exclude(network_id=target).update(
        network_id=target
    )


def _components(seller_ids: Iterable[int], *, whole: bool = False) -> dict[int, int | None]:
    """Each seller's network (the lowest id of its component, None alone) from current strong identifiers and
    confirmed links, among ``seller_ids`` (or every seller with ``whole``)."""
    ids = None if whole else set(seller_ids)
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    identifiers = SellerIdentifier.objects.current().strong()
    links = SellerLink.objects.filter(decision=SellerLink.Decision.CONFIRMED)
    if ids is not None:
        identifiers, links = identifiers.filter(seller_id__in=ids), links.filter(seller_a_id__in=ids)
    groups: dict[tuple[str, str], int] = {}
    for seller_id, kind, key in identifiers.values_list("seller_id", "kind", "key").iterator(chunk_size=20000):
        first = groups.setdefault((kind, key), seller_id)
        union(first, seller_id)
    for a, b in links.values_list("seller_a_id", "seller_b_id"):
        union(a, b)
    size: dict[int, int] = defaultdict(int)
    for member in list(parent):
        size[find(member)] += 1
    members = parent.keys() if ids is None else ids
    return {pk: (find(pk) if size.get(find(pk), 0) > 1 else None) for pk in members}


def _recompute(seller_ids: Iterable[int]) -> None:
    _write_networks(_components(seller_ids))


def networks_rebuild() -> int:
    """Recompute every network from the identifiers and links; returns how many sellers changed network."""
    with transaction.atomic():
        wanted = _components((), whole=True)
        current = dict(Seller.objects.exclude(network_id=None).values_list("pk", "network_id").iterator(50000))
        changed = {pk: wanted.get(pk) for pk in set(wanted) | set(current) if wanted.get(pk) != current.get(pk)}
        _write_networks(changed)
    return len(changed)


def _write_networks(networks: dict[int, int | None]) -> None:
    """Set each seller's network; on PostgreSQL many rows go through COPY into a temporary table and one UPDATE."""
    if not networks:
        return
    if connection.vendor != "postgresql" or len(networks) < 500:
        by_network: dict[int | None, list[int]] = defaultdict(list)
        for pk, network in networks.items():
            by_network[network].append(pk)
        for network, pks in by_network.items():
            Seller.objects.filter(pk__in=pks).update(network_id=network)
        return
    table = Seller._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS seller_network")
        cursor.execute("CREATE TEMPORARY TABLE seller_network (id bigint PRIMARY KEY, network bigint) ON COMMIT DROP")
        with cursor.cursor.copy("COPY seller_network (id, network) FROM STDIN") as copy:
            for pk, network in networks.items():
                copy.write_row((pk, network))
        cursor.execute(
            f'UPDATE "{table}" AS s SET network_id = n.network FROM seller_network AS n WHERE s.id = n.id'  # noqa: S608
        )
