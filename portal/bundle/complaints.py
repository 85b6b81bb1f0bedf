"""A bundle's listings as the complaints each platform takes, by the rules in ``portal.platform_rules``."""

from __future__ import annotations

from dataclasses import dataclass

from portal.bundle.inputs import BundleInput, ListingInput, PurchaseInput, RightInput
from portal.platform_rules import rules_for, site_of


@dataclass(frozen=True)
class Complaint:
    """One complaint (or notice) as the platform takes it."""

    number: int
    ip_kind: str
    rights: tuple[RightInput, ...]
    site: str  # the country site ("amazon.co.uk"), where the platform has one form per site
    listings: tuple[ListingInput, ...]
    purchase: PurchaseInput | None  # IPP: the one order a test-buy complaint rests on
    order_ids: dict[str, tuple[str, ...]]  # listing URL -> test-buy order numbers (Amazon prints them)


def _chunks(items: list, size: int) -> list[tuple]:
    return [tuple(items[start : start + size]) for start in range(0, len(items), size)]


def split_complaints(bundle: BundleInput) -> list[Complaint]:
    """The bundle's listings as the platform's complaints.

    IPP: per right, the other listings in chunks of 300, after one complaint per test-buy order on the first
    right (``TestBuyRule``: an order backs one complaint while the platform's rule on reuse is unconfirmed;
    the bought listing is then an ordinary item under the other rights). Amazon and
    eBay: per kind of right and country site, chunks of 50 or 150 items, test-buy order ids beside their listing.
    """
    rules = rules_for(bundle.platform)
    rights = bundle.rights or ()
    groups: list[tuple[str, tuple[RightInput, ...]]]
    if rules.one_right_per_complaint:
        groups = [(right.kind, (right,)) for right in rights]
    else:
        kinds = sorted({right.kind for right in rights})
        groups = [(kind, tuple(r for r in rights if r.kind == kind)) for kind in kinds]
    orders: dict[str, list[str]] = {}
    for purchase in bundle.purchases:
        orders.setdefault(purchase.listing.url, []).append(purchase.order_number)
    order_ids = {url: tuple(numbers) for url, numbers in orders.items()}
    complaints: list[Complaint] = []

    def add(kind, group_rights, site, listings, purchase=None) -> None:
        ids = {} if purchase else {l.url: order_ids[l.url] for l in listings if l.url in order_ids}  # noqa: E741
        complaints.append(Complaint(len(complaints) + 1, kind, group_rights, site, listings, purchase, ids))

    for group, (kind, group_rights) in enumerate(groups):
        remaining = list(bundle.listings)
        if rules.test_buy.one_order_per_complaint and (group == 0 or rules.test_buy.order_reused_across_rights):
            for purchase in bundle.purchases:
                add(kind, group_rights, "", (purchase.listing,), purchase)
            bought = {p.listing.url for p in bundle.purchases}
            remaining = [listing for listing in remaining if listing.url not in bought]
        sites = sorted({site_of(listing.url) for listing in remaining}) if rules.one_site_per_notice else [""]
        for site in sites:
            on_site = [listing for listing in remaining if not site or site_of(listing.url) == site]
            for chunk in _chunks(on_site, rules.max_items):
                add(kind, group_rights, site, chunk)
    return complaints
