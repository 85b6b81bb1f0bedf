import pytest
from django.core.files.base import ContentFile

from evidence.networks import seller_identifier_add
from evidence.services import exhibit_upload, listing_record, seller_record
from tests.ownership.factories import make_right
from tests.support import files as samples


@pytest.fixture
def right_a(matter_a):
    return make_right(matter_a.rights_holder, "CN", "trademark", title="A")


@pytest.fixture
def sent(monkeypatch):
    """The bundle ids handed to the broker, without running a compile."""
    ids: list[int] = []
    monkeypatch.setattr("portal.tasks.bundle_compile_task.apply_async", lambda args: ids.append(args[0]))
    return ids


@pytest.fixture
def network(matter_a, matter_b, staff):
    """The same Alibaba store in both clients' matters, tied by a phone to an AliExpress store in A's."""
    matter_a.platforms = ["alibaba", "aliexpress"]
    matter_a.save()
    shared, _ = seller_record(platform="alibaba", store_name="Glowhome Lighting Store", platform_seller_id="2201234")
    other, _ = seller_record(platform="aliexpress", store_name="Deskglow Official")
    listing_record(matter=matter_a, seller=shared, url="https://www.alibaba.com/product-detail/i_1.html",
                   seller_name="Glowhome Lighting Store")  # fmt: skip
    listing_record(matter=matter_b, seller=shared, url="https://www.alibaba.com/product-detail/i_2.html",
                   seller_name="明峰数码旗舰店")  # fmt: skip
    listing_record(matter=matter_a, seller=other, url="https://www.aliexpress.com/item/1005001.html",
                   seller_name="Deskglow Official")  # fmt: skip
    label = exhibit_upload(matter=matter_a, upload=ContentFile(samples.pdf_bytes("Parcel label"), name="label.pdf"),
                           kind="parcel_photo", uploaded_by=staff)  # fmt: skip
    seller_identifier_add(seller=shared, kind="phone", value="+86 138 2468 1357", exhibit=label, by=staff)
    seller_identifier_add(seller=other, kind="phone", value="13824681357", exhibit=label, by=staff)
    return shared, other, label
