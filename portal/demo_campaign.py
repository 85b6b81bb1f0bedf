"""The demo's volume matter: about 120 listings imported across four platforms, campaigns, filings and answers.

Listings come in through the real intake (two monitoring exports a month apart, the second bringing back
listings removed in between), campaigns split them by the platforms' rules, and the complaints are filed and
answered with a mix of removals, a rejection and a counter-notice. Every step is idempotent.
"""

from __future__ import annotations

import datetime
import hashlib
import io

from django.db import transaction

from evidence.intake.importing import listings_import
from evidence.intake.reading import read_table
from evidence.models import Listing, Matter
from evidence.services import listing_set_status, matter_create
from ownership.models import IPRight, RightsHolder
from ownership.shared.choices import CHINESE_PLATFORMS
from ownership.shared.users import User
from portal.campaign_answers import Answer
from portal.models import Bundle, Campaign, ListingOutcome
from portal.services import bundle_compile
from portal.services.campaigns import campaign_create, complaint_file, complaint_outcomes_record

REFERENCE = "LUM-2026-002"
PLATFORMS = ["alibaba", "aliexpress", "amazon", "ebay"]
# (store, platform, how many listings): several stores carry many listings; "Glowhome" sells on three platforms.
STORES = [
    ("Glowhome Lighting Store", "alibaba", 12), ("Shenzhen Lumen Factory", "alibaba", 10),
    ("Nordic Lamp Outlet", "alibaba", 8), ("Glowhome Lighting Store", "aliexpress", 14),
    ("Deskglow Official", "aliexpress", 9), ("LampDirect Global", "aliexpress", 7),
    ("Glowhome Lighting Store", "amazon", 9), ("BrightDesk Direct", "amazon", 14), ("Aurora-Style Home", "amazon", 12),
    ("deskglow_uk", "ebay", 13), ("lampbargains2026", "ebay", 12),
]  # fmt: skip


def _url(platform: str, n: int, site: str) -> str:
    if platform == "alibaba":
        return f"https://www.alibaba.com/product-detail/Aurora-Desk-Lamp-Replica_{1600800000 + n}.html?spm=a2700.demo"
    if platform == "aliexpress":
        return f"https://www.aliexpress.com/item/1005007{n:06d}.html?spm=a2g0o.productlist&utm_source=monitor"
    if platform == "amazon":
        return f"https://www.{site}/Aurora-Desk-Lamp-Replica/dp/B0DEMO{n:04d}?ref=sr_1_{n}"
    return f"https://www.ebay.co.uk/itm/aurora-desk-lamp-replica/{256000000000 + n}"


def _export(rows: list[list[str]]) -> bytes:
    text = "Listing URL;Seller;Price;Currency;Title;First seen\n" + "\n".join(";".join(row) for row in rows)
    return ("\ufeff" + text + "\n").encode()


def _rows() -> list[list[str]]:
    rows, n = [], 0
    for store, platform, count in STORES:
        for _ in range(count):
            n += 1
            site = "amazon.co.uk" if n % 3 == 0 else "amazon.com"
            currency = {"amazon": "GBP" if site.endswith("uk") else "USD", "ebay": "GBP"}.get(platform, "USD")
            price = f"{18 + n % 9}.{n % 10}0"
            rows.append(
                [_url(platform, n, site), store, price, currency, f"Aurora desk lamp replica {n}", "2026-03-02"]
            )
    return rows


def _import(matter: Matter, data: bytes, name: str, by: User) -> None:
    listings_import(
        matter=matter, table=read_table(io.BytesIO(data), name), by=by, source=f"file {name}",
        sha256=hashlib.sha256(data).hexdigest(),
    )  # fmt: skip


# The demo's campaigns are requested while its certificates wait for the OCR worker (or with OCR off), so the
# compile gate finds them not yet checked; the seed overrules that in words the manifest prints.
SEEDED_UNCHECKED = (
    "Demo data: the campaigns are seeded before the OCR worker has read the certificates; "
    "the cross-checks show on the matter's proof of ownership once it has."
)


@transaction.atomic
def seed_volume_matter(*, holder: RightsHolder, staff: User) -> Matter:
    """The matter, its two imports and its campaigns (their bundles compile once this transaction commits)."""
    matter = Matter.objects.filter(reference=REFERENCE).first()
    if matter is not None:
        return matter
    matter = matter_create(
        rights_holder=holder, title="Aurora lamp replicas across marketplaces (monthly monitoring)",
        platforms=PLATFORMS, responsible=staff, opened_on=datetime.date(2026, 3, 2), reference=REFERENCE, by=staff,
    )  # fmt: skip
    rows = _rows()
    _import(matter, _export(rows), "monitoring-2026-03.csv", staff)
    # Taken down after an earlier complaint, then back online in April's export.
    back = [row[0] for row in rows[5:11]]
    for listing in Listing.objects.filter(matters=matter, url__in=[u.split("?")[0] for u in back]):
        listing_set_status(listing=listing, status=Listing.Status.REMOVED, by=staff)
    _import(matter, _export([row[:5] + ["2026-04-06"] for row in rows[5:11]]), "monitoring-2026-04.csv", staff)
    # The Chinese trade mark before IPP; the US copyright before Amazon and eBay.
    trademark = IPRight.objects.filter(rights_holder=holder, kind="trademark", jurisdiction="CN")
    copyright_us = IPRight.objects.filter(rights_holder=holder, kind="copyright", jurisdiction="US")
    for platform in PLATFORMS:
        campaign_create(
            matter=matter, platform=platform, rights=trademark if platform in CHINESE_PLATFORMS else copyright_us,
            listings=Listing.objects.filter(matters=matter, platform=platform), by=staff,
            appears_in=["product", "image"],  # as staff tick it when the platform asks (Amazon)
            overrule=SEEDED_UNCHECKED,
        )  # fmt: skip
    return matter


def file_and_answer(*, matter: Matter, staff: User) -> None:
    """Compile what is not ready, file every complaint once, and record the platforms' answers."""
    for campaign in Campaign.objects.filter(matter=matter).select_related("bundle"):
        if campaign.bundle.status != Bundle.Status.READY:
            bundle_compile(bundle_id=campaign.bundle_id)
            campaign.bundle.refresh_from_db()
        if campaign.bundle.status != Bundle.Status.READY:
            continue
        for complaint in campaign.complaints.filter(submission__isnull=True):
            complaint_file(
                complaint=complaint, platform_reference=f"{campaign.platform.upper()}-{complaint.pk:05d}",
                submitted_on=datetime.date(2026, 4, 8), by=staff,
            )  # fmt: skip
            listings = list(complaint.listings.order_by("pk"))
            answers = [
                Answer(listing.pk, ListingOutcome.Outcome.REMOVED) for listing in listings[: len(listings) * 2 // 3]
            ]
            if len(listings) > 3:
                answers.append(
                    Answer(listings[-1].pk, ListingOutcome.Outcome.REJECTED, reason="The seller supplied an invoice")
                )
                disputed = Answer(
                    listings[-2].pk, ListingOutcome.Outcome.COUNTER_NOTICE,
                    received_on=datetime.date(2026, 4, 20), answer_by=datetime.date(2026, 5, 4),
                )  # fmt: skip
                answers.append(disputed)
            complaint_outcomes_record(complaint=complaint, answers=answers, by=staff)
