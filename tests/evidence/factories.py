import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from evidence.models import Listing, MatterListing, Seller, TestPurchase
from tests.factories import MatterFactory, StaffFactory


class SellerFactory(DjangoModelFactory):
    class Meta:
        model = Seller

    platform = "alibaba"
    store_name = factory.Sequence(lambda n: f"Seller Number{n} Trading")


class ListingFactory(DjangoModelFactory):
    class Meta:
        model = Listing

    seller = factory.SubFactory(SellerFactory)
    platform = factory.SelfAttribute("seller.platform")
    url = factory.Sequence(lambda n: f"https://www.alibaba.com/product-detail/lamp_{1600000000 + n}.html")


class MatterListingFactory(DjangoModelFactory):
    """A listing in a matter, with what that matter recorded of it."""

    class Meta:
        model = MatterListing

    matter = factory.SubFactory(MatterFactory)
    listing = factory.SubFactory(ListingFactory)
    title = "Aurora desk lamp"
    seller_name = factory.LazyAttribute(lambda o: o.listing.seller.store_name if o.listing.seller else "")


class TestPurchaseFactory(DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestPurchase
        skip_postgeneration_save = True

    matter = factory.SubFactory(MatterFactory)
    listing = factory.SubFactory(ListingFactory)
    order_number = factory.Sequence(lambda n: f"2026030{n:06d}")
    order_date = datetime.date(2026, 3, 3)
    amount = Decimal("24.90")
    currency = "USD"
    purchaser_alias = "J. Moreau"
    recorded_by = factory.SubFactory(StaffFactory)

    @factory.post_generation
    def in_the_matter(obj, create, extracted, **kwargs):
        """A purchase's listing is one of its matter's listings."""
        if create and not obj.listing.matters.filter(pk=obj.matter_id).exists():
            MatterListingFactory(matter=obj.matter, listing=obj.listing)


def listing_in(matter, **fields) -> Listing:
    """A listing in ``matter`` (``listing__*`` for the shared row, the rest for the matter's facts), read as the
    pages read it: through the matter."""
    link = MatterListingFactory(matter=matter, **fields)
    return Listing.objects.in_matter(matter).select_related("seller").get(pk=link.listing_id)
