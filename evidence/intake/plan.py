"""What each row of a listing table becomes, decided chunk by chunk against the database, and optionally written.

``walk`` reads the table once, a chunk of rows at a time: each row is checked on its own (``rows``), then the
chunk's listings and sellers are looked up with a handful of queries. A listing already known in this matter
adds nothing; one known in another matter of the same client is named and linked to this matter too; a
removed listing seen again is marked reappeared. A seller is recognised by its platform id, then its store URL,
then its normalised name (or an earlier name), else created once. With ``write=False`` nothing is written
(the preview); with ``write=True`` the same decisions are written (the caller holds the transaction). Only a
chunk and the set of URL keys already seen are held in memory, so memory stays flat as files grow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import JSONField, Model, Q
from django.utils import timezone
from psycopg.types.json import Jsonb

from evidence.intake.reading import Table
from evidence.intake.rows import Refused, Row, check_row
from evidence.models import Listing, ListingImport, Matter, MatterListing, Seller, SellerAlias, SellerIdentifier
from evidence.networks import seller_identifier_add
from evidence.sellers.names import normalise_name

CHUNK_ROWS = 1000
REFUSALS_KEPT = 1000  # the first ones are listed; all are counted


@dataclass
class ImportSummary:
    rows: int = 0
    new: int = 0
    known_here: int = 0
    known_elsewhere: Counter[str] = field(default_factory=Counter)  # other matters of the same client, by reference
    refused: list[tuple[int, str]] = field(default_factory=list)
    refused_count: int = 0
    sellers_linked: int = 0
    sellers_created: int = 0
    reappeared_listings: int = 0
    reappeared_sellers: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    identifiers: int = 0  # values of who is behind a store, found in accepted rows
    identifiers_recorded: bool = True  # False when no stored file could be cited as their evidence
    identifier_problems: list[tuple[int, str]] = field(default_factory=list)

    def refuse(self, number: int, reason: str) -> None:
        self.refused_count += 1
        if len(self.refused) < REFUSALS_KEPT:
            self.refused.append((number, reason))

    @property
    def accepted(self) -> int:
        return self.new + self.known_here + sum(self.known_elsewhere.values())

    @property
    def adds_nothing(self) -> bool:
        return self.new == 0 and not self.known_elsewhere and self.reappeared_listings == 0

    def lines(self) -> list[str]:
        """The summary in words, as the page and the command show it."""
        lines = [f"{self.rows} rows read: {self.new} new listings, {self.known_here} already in this matter."]
        lines += [f"{count} already known in {ref} (linked to this matter too)." for ref, count in
                  sorted(self.known_elsewhere.items())]  # fmt: skip
        lines.append(f"Sellers: {self.sellers_linked} recognised, {self.sellers_created} new.")
        if self.reappeared_listings or self.reappeared_sellers:
            lines.append(
                f"Reappeared: {self.reappeared_listings} listings removed before are online again; "
                f"{self.reappeared_sellers} sellers who had listings removed are back."
            )
        if self.identifiers:
            lines.append(
                f"Seller identifiers: {self.identifiers} found (phones, e-mails, companies…), "
                + ("recorded with this file as their evidence." if self.identifiers_recorded else
                   "not recorded: only an import through the portal keeps the file they would rest on.")
            )  # fmt: skip
        if self.identifier_problems:
            lines.append(f"{len(self.identifier_problems)} identifier values skipped (the listings are accepted):")
            lines += [f"  row {number}: {problem}" for number, problem in self.identifier_problems[:REFUSALS_KEPT]]
        if self.refused_count:
            lines.append(f"{self.refused_count} rows refused:")
            lines += [f"  row {number}: {reason}" for number, reason in self.refused]
            if self.refused_count > len(self.refused):
                lines.append(f"  … and {self.refused_count - len(self.refused)} more.")
        if self.unknown_columns:
            lines.append(f"Columns ignored (not known): {', '.join(self.unknown_columns)}.")
        if self.adds_nothing and self.rows:
            lines.append("Nothing new: every accepted listing is already in this matter.")
        return lines


def walk(
    matter: Matter, table: Table, *, write: bool, on_chunk: Callable[[int], None] | None = None,
    evidence: ListingImport | None = None,
) -> ImportSummary:  # fmt: skip
    """Every row of ``table`` decided (and written, with ``write``); ``on_chunk`` hears the rows read so far.

    Seller identifiers in the rows are recorded with ``evidence``, the kept listing file, as what showed them.
    """
    summary = ImportSummary(
        unknown_columns=table.unknown_columns, identifiers_recorded=evidence is not None or not write
    )
    seen: dict[str, int] = {}  # URL key -> the row it was first read in
    sellers = _SellerBook(write=write)
    client_matters = dict(
        Matter.objects.filter(rights_holder_id=matter.rights_holder_id).values_list("pk", "reference")
    )
    for chunk in _chunks(table.rows):
        accepted: list[Row] = []
        for number, values in chunk:
            summary.rows += 1
            try:
                row = check_row(number, values, targeted=list(matter.platforms))
            except Refused as refusal:
                summary.refuse(number, str(refusal))
                continue
            if row.url_key in seen:
                summary.refuse(number, f"The same listing as row {seen[row.url_key]}.")
                continue
            seen[row.url_key] = number
            accepted.append(row)
            summary.identifiers += len(row.identifiers)
            summary.identifier_problems += [(number, problem) for problem in row.identifier_problems]
        _decide(matter, accepted, client_matters, sellers, summary, write=write)
        if write and evidence is not None:
            _record_identifiers(accepted, sellers, evidence)
        if on_chunk:
            on_chunk(summary.rows)
    summary.sellers_linked, summary.sellers_created = len(sellers.linked), sellers.created
    summary.reappeared_sellers = sellers.reappeared
    return summary


def _chunks(rows: Iterator[tuple[int, dict[str, str]]]) -> Iterator[list[tuple[int, dict[str, str]]]]:
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


def _decide(
    matter: Matter, rows: list[Row], client_matters: dict[int, str], sellers: _SellerBook, summary: ImportSummary,
    *, write: bool,
) -> None:  # fmt: skip
    existing = {listing.url_key: listing for listing in Listing.objects.filter(url_key__in=[r.url_key for r in rows])}
    links: dict[int, set[int]] = {}
    for listing_id, matter_id in MatterListing.objects.filter(
        listing_id__in=[listing.pk for listing in existing.values()]
    ).values_list("listing_id", "matter_id"):
        links.setdefault(listing_id, set()).add(matter_id)
    new_rows = [row for row in rows if row.url_key not in existing]
    sellers.resolve([row for row in new_rows if row.has_seller])
    now = timezone.now()
    linking: dict[str, int] = {}  # url key -> id, of listings already stored that this matter does not hold yet
    reappeared = []
    for row in rows:
        listing = existing.get(row.url_key)
        if listing is None:
            continue
        in_matters = links.get(listing.pk, set())
        others = sorted(client_matters[m] for m in in_matters if m in client_matters and m != matter.pk)
        if matter.pk in in_matters:
            summary.known_here += 1
        elif others:
            summary.known_elsewhere[others[0]] += 1
        else:
            summary.new += 1  # known only to another client's matters: new to this one, and nothing is said
        if matter.pk not in in_matters:
            linking[row.url_key] = listing.pk
        if listing.status == Listing.Status.REMOVED:
            summary.reappeared_listings += 1
            reappeared.append(listing.pk)
    summary.new += len(new_rows)
    link_rows = [row for row in rows if row.url_key in linking or row.url_key not in existing]
    if not write:
        return
    sellers.create_pending()
    _bulk_insert(
        Listing,
        [
            {
                "url": row.url, "url_key": row.url_key, "platform": row.platform, "platform_item_id": row.item_id,
                "seller_id": sellers.seller_for(row), "status_changed_at": now,
            }
            for row in new_rows
        ],
    )  # fmt: skip
    listing_ids = dict(
        Listing.objects.filter(url_key__in=[row.url_key for row in new_rows]).values_list("url_key", "pk")
    )  # fmt: skip
    listing_ids.update(linking)
    _bulk_insert(MatterListing, [_link(matter, listing_ids[row.url_key], row, now) for row in link_rows])
    Listing.objects.filter(pk__in=reappeared).update(status=Listing.Status.REAPPEARED, status_changed_at=now)


def _link(matter: Matter, listing_id: int, row: Row, now: datetime) -> dict[str, Any]:
    """The matter's link to a listing, with what this row says of it (the facts are the matter's own)."""
    return {
        "listing_id": listing_id, "matter_id": matter.pk, "seller_name": row.seller_name, "title": row.title,
        "price": row.price, "currency": row.currency, "first_seen": row.first_seen or now, "notes": row.notes,
        "infringement_appears_in": list(row.appears_in),
    }  # fmt: skip


def _record_identifiers(rows: list[Row], sellers: _SellerBook, evidence: ListingImport) -> None:
    """Each row's identifiers, for the seller its listing is sold by, with the listing file as evidence."""
    rows = [row for row in rows if row.identifiers]
    if not rows:
        return
    seller_of = dict(Listing.objects.filter(url_key__in=[row.url_key for row in rows]).values_list("url_key", "seller"))
    by_id = Seller.objects.in_bulk({pk for pk in seller_of.values() if pk})
    for row in rows:
        seller = by_id.get(seller_of.get(row.url_key) or 0)
        if seller is None:
            continue  # a listing with no known seller: nobody to attach the identifier to
        for kind, value in row.identifiers:
            seller_identifier_add(seller=seller, kind=kind, value=value, listing_import=evidence,
                                  seen_at=row.first_seen or evidence.created_at)  # fmt: skip


def listing_statistics_refresh() -> None:
    """ANALYZE the tables a bulk import writes (PostgreSQL), so the next page's plan knows their size."""
    if connection.vendor != "postgresql":
        return
    models: list[type[Model]] = [Listing, MatterListing, Seller, SellerIdentifier]
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def _bulk_insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows given as field values (every other field takes its default).

    On PostgreSQL this uses COPY, the database's own bulk path and several times faster than INSERT for
    thousands of rows; elsewhere bulk_create. The values are plain Python values (text, numbers, datetimes,
    None) that psycopg adapts itself, so they skip Django's per-value preparation, which cost more than the
    COPY; the defaults are prepared by their fields, once.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows])
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    given = [field for field in fields if field.attname in rows[0]]
    defaulted = [field for field in fields if field.attname not in rows[0]]
    columns = [str(field.column) for field in (*given, *defaulted)]
    default_values = [field.get_db_prep_save(field.get_default(), connection) for field in defaulted]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)

    as_json = [isinstance(field, JSONField) for field in given]  # psycopg sends a list as an array, not JSON
    with connection.cursor() as cursor:
        statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in rows:
                values = (
                    Jsonb(row[f.attname]) if json else row[f.attname] for f, json in zip(given, as_json, strict=True)
                )
                copy.write_row([*values, *default_values])


class _SellerBook:
    """The sellers of the rows so far: found in the database, or new (created when writing), each counted once."""

    def __init__(self, *, write: bool) -> None:
        self.write = write
        self.known: dict[tuple[str, str, str], int] = {}  # (platform, "id"/"url"/"name", key) -> seller id
        self.linked: set[int] = set()
        self.created = 0
        self.reappeared = 0
        self._next_placeholder = -1
        self._pending: dict[int, Seller] = {}

    def seller_for(self, row: Row) -> int | None:
        for key in self._keys(row):
            if key in self.known:
                return self.known[key]
        return None

    def resolve(self, rows: list[Row]) -> None:
        wanted = [row for row in rows if self.seller_for(row) is None]
        if not wanted:
            return
        found = self._look_up(wanted)
        self._note_reappeared({pk for pk in found.values() if pk not in self.linked})
        self.linked.update(found.values())
        self.known.update(found)
        for row in wanted:
            if self.seller_for(row) is None:
                self._plan_new(row)

    def _keys(self, row: Row) -> Iterable[tuple[str, str, str]]:
        if row.seller_id:
            yield (row.platform, "id", row.seller_id)
        if row.store_url_key:
            yield (row.platform, "url", row.store_url_key)
        if row.seller_name_key:
            yield (row.platform, "name", row.seller_name_key)

    def _look_up(self, rows: list[Row]) -> dict[tuple[str, str, str], int]:
        wanted = {key for row in rows for key in self._keys(row)}
        by_kind: dict[str, set[tuple[str, str]]] = {"id": set(), "url": set(), "name": set()}
        for platform, kind, value in wanted:
            by_kind[kind].add((platform, value))
        query = Q(pk__in=[])
        for kind, lookup in (("id", "platform_seller_id"), ("url", "url_key"), ("name", "name_key")):
            for platform in {p for p, _ in by_kind[kind]}:
                values = [v for p, v in by_kind[kind] if p == platform]
                query |= Q(platform=platform, **{f"{lookup}__in": values})
        found: dict[tuple[str, str, str], int] = {}
        for pk, platform, seller_id, url_key, name_key in (
            Seller.objects.filter(query)
            .order_by("pk")
            .values_list("pk", "platform", "platform_seller_id", "url_key", "name_key")
        ):
            for key in ((platform, "id", seller_id), (platform, "url", url_key), (platform, "name", name_key)):
                if key[2] and key in wanted:
                    found.setdefault(key, pk)
        names = [(p, v) for p, v in by_kind["name"] if (p, "name", v) not in found]
        if names:
            aliases = SellerAlias.objects.filter(
                seller__platform__in={p for p, _ in names}, name_key__in=[v for _, v in names]
            ).values_list("seller_id", "seller__platform", "name_key")
            for pk, platform, name_key in aliases:
                found.setdefault((platform, "name", name_key), pk)
        return found

    def _note_reappeared(self, seller_ids: set[int]) -> None:
        if seller_ids:
            self.reappeared += (
                Listing.objects.filter(seller_id__in=seller_ids, removed_at__isnull=False)
                .values("seller_id").distinct().count()
            )  # fmt: skip

    def _plan_new(self, row: Row) -> None:
        """A seller none of whose keys is known yet: numbered for now, created with the chunk's others."""
        self.created += 1
        placeholder, self._next_placeholder = self._next_placeholder, self._next_placeholder - 1
        for key in self._keys(row):
            self.known[key] = placeholder
        if not self.write:
            return
        self._pending[placeholder] = Seller(
            platform=row.platform, store_name=row.seller_name or row.seller_id or row.store_url,
            store_url=row.store_url, platform_seller_id=row.seller_id,
            name_key=row.seller_name_key or normalise_name(row.seller_id or row.store_url), url_key=row.store_url_key,
        )  # fmt: skip

    def create_pending(self) -> None:
        """Create the sellers planned since the last call, and point their keys at the real rows."""
        if not self._pending:
            return
        created = dict(zip(self._pending, Seller.objects.bulk_create(self._pending.values()), strict=True))
        self.known = {key: created[pk].pk if pk in created else pk for key, pk in self.known.items()}
        self._pending = {}
