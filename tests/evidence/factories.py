import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from evidence.models import Listing, Seller, TestPurchase
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
    title = "Aurora desk lamp"
    seller_name = factory.LazyAttribute(lambda o: o.seller.store_name if o.seller else "")


class TestPurchaseFactory(DjangoModelFactory):
    __test__ = False

    class Meta:
        model = TestPurchase

    matter = factory.SubFactory(MatterFactory)
    listing = factory.SubFactory(ListingFactory)
    order_number = factory.Sequence(lambda n: f"2026030{n:06d}")
    order_date = datetime.date(2026, 3, 3)
    amount = Decimal("24.90")
    currency = "USD"
    purchaser_alias = "J. Moreau"
    recorded_by = factory.SubFactory(StaffFactory)
