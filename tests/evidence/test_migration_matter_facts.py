"""Migration 0017: each matter keeps what its listings showed before the facts moved to the matter's link."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("evidence", "0016_job_lifecycle")]
AFTER = [("evidence", "0017_matter_listing_facts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_confidentiality_migration_copies_every_fact_to_every_matter_link():
    old = migrate(BEFORE)
    holder = old.get_model("ownership", "RightsHolder").objects.create(name="Lumina", code="LUM", country="GB")
    Matter = old.get_model("evidence", "Matter")
    first, second = (
        Matter.objects.create(reference=f"LUM-2026-00{n}", rights_holder=holder, title=f"Matter {n}",
                              platforms=["alibaba"], opened_on=datetime.date(2026, 3, 1))
        for n in (1, 2)
    )  # fmt: skip
    seen = datetime.datetime(2026, 3, 4, 9, tzinfo=datetime.UTC)
    listing = old.get_model("evidence", "Listing").objects.create(
        url="https://www.alibaba.com/product-detail/x_1.html", url_key="alibaba.com/product-detail/x_1.html",
        platform="alibaba", title="Aurora lamp", seller_name="Glowhome", price=Decimal("18.50"), currency="USD",
        first_seen=seen, notes="bought twice", infringement_appears_in=["product"],
    )  # fmt: skip
    listing.matters.add(first, second)

    new = migrate(AFTER)
    links = new.get_model("evidence", "MatterListing").objects.order_by("matter_id")
    assert [
        (link.title, link.seller_name, link.price, link.currency, link.first_seen, link.notes,
         link.infringement_appears_in)
        for link in links
    ] == [("Aurora lamp", "Glowhome", Decimal("18.50"), "USD", seen, "bought twice", ["product"])] * 2  # fmt: skip
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest, for the next test
