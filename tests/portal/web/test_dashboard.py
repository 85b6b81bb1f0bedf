import datetime
import zoneinfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from evidence.models import Matter
from evidence.services import exhibit_upload, exhibit_withdraw
from portal.models import Bundle
from tests.evidence.factories import TestPurchaseFactory
from tests.factories import MatterFactory, MembershipFactory
from tests.ownership.factories import make_right
from tests.support import files as samples

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_member_sees_own_matters_with_reference_title_platforms_and_status(client, member_a, matter_a):
    client.force_login(member_a)
    content = client.get(reverse("web:dashboard")).content.decode()
    assert matter_a.reference in content
    assert matter_a.title in content
    assert "Alibaba.com (IPP)" in content
    assert "Investigating" in content
    assert reverse("web:matter_detail", args=[matter_a.reference]) in content


def test_member_does_not_see_other_clients_matters(client, member_a, matter_a, matter_b):
    client.force_login(member_a)
    content = client.get(reverse("web:dashboard")).content.decode()
    assert matter_b.reference not in content
    assert matter_b.title not in content


def test_member_of_two_holders_sees_both(client, member_a, holder_b, matter_a, matter_b):
    MembershipFactory(user=member_a, rights_holder=holder_b)
    client.force_login(member_a)
    content = client.get(reverse("web:dashboard")).content.decode()
    assert matter_a.reference in content and matter_b.reference in content


def test_staff_see_every_matter_with_its_client(staff_client, staff, matter_a, matter_b):
    content = staff_client.get(reverse("web:dashboard")).content.decode()
    assert matter_a.reference in content and matter_b.reference in content
    assert "Alpha Brands Ltd" in content and "Beta Goods Co" in content


def test_user_without_matters_is_told_so(client, member_a):
    client.force_login(member_a)
    assert "There are no matters yet" in client.get(reverse("web:dashboard")).content.decode()


def add_exhibit(matter, staff, purchase=None):
    upload = ContentFile(samples.pdf_bytes(), name="order.pdf")
    return exhibit_upload(matter=matter, purchase=purchase, upload=upload, kind="other", uploaded_by=staff)


def row_of(content: str, reference: str) -> str:
    start = content.index(f'data-reference="{reference}"')
    return content[start : content.index("</tr>", start)]


def test_row_shows_readiness_evidence_counts_and_latest_bundle(client, member_a, matter_a, staff):
    make_right(matter_a.rights_holder, "CN", "trademark", title="A")
    purchases = TestPurchaseFactory.create_batch(2, matter=matter_a)
    for purchase in purchases:
        add_exhibit(matter_a, staff, purchase)
    exhibit_withdraw(exhibit=add_exhibit(matter_a, staff), by=staff, reason="Duplicate")  # not counted
    for version, status in [(1, "failed"), (2, "ready")]:
        Bundle.objects.create(matter=matter_a, platform="alibaba", version=version, inputs_digest=str(version),
                              status=status, requested_by=staff)  # fmt: skip
    client.force_login(member_a)
    row = row_of(client.get(reverse("web:dashboard")).content.decode(), matter_a.reference)
    assert "items missing" in row  # the CN mark has no certificate on file
    assert "2 test purchases" in row and "2 exhibits" in row
    assert "v2 · Ready" in row


def test_matter_without_rights_or_evidence_says_so(client, member_a, matter_a):
    client.force_login(member_a)
    row = row_of(client.get(reverse("web:dashboard")).content.decode(), matter_a.reference)
    assert "No IP right recorded" in row and "0 test purchases" in row and "No bundle yet" in row


def matter_with_evidence(holder, staff) -> None:
    matter = MatterFactory(rights_holder=holder, responsible=staff)
    make_right(holder, "CN", "trademark", title=f"Mark {matter.pk}")
    purchase = TestPurchaseFactory(matter=matter)
    for _ in range(2):
        add_exhibit(matter, staff, purchase)
    Bundle.objects.create(matter=matter, platform="alibaba", version=1, inputs_digest="x", requested_by=staff)


def test_query_count_stays_flat_as_matters_grow(client, member_a, holder_a, staff, django_assert_max_num_queries):
    client.force_login(member_a)
    matter_with_evidence(holder_a, staff)
    with django_assert_max_num_queries(7) as one_row:
        client.get(reverse("web:dashboard"))
    for _ in range(15):
        matter_with_evidence(holder_a, staff)
    with django_assert_max_num_queries(len(one_row.captured_queries)):
        response = client.get(reverse("web:dashboard"))
    assert response.content.decode().count('class="matter-row"') == 16


def test_dates_are_shown_in_the_users_time_zone(client, member_a, matter_a):
    member_a.time_zone = "Asia/Shanghai"
    member_a.save()
    moment = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)
    Matter.objects.filter(pk=matter_a.pk).update(updated_at=moment)
    client.force_login(member_a)
    content = client.get(reverse("web:matter_detail", args=[matter_a.reference])).content.decode()
    assert "3 Mar 2026, 07:30" in content
    assert "Times are shown in Asia/Shanghai." in content


def test_time_zone_does_not_leak_to_the_next_request(client, member_a):
    member_a.time_zone = "Asia/Shanghai"
    member_a.save()
    client.force_login(member_a)
    client.get(reverse("web:dashboard"))
    assert timezone.get_current_timezone() == zoneinfo.ZoneInfo("Europe/London")


def test_the_dashboard_counts_unsigned_test_buy_reports_as_the_matter_page_does(client, member_a, matter_a):
    from evidence.readiness import purchase_readiness
    from ownership.models import IPRight
    from ownership.readiness import readiness_for_matter

    matter_a.platforms = ["alibaba"]
    matter_a.save()
    make_right(matter_a.rights_holder, "CN", "trademark", title="A")
    TestPurchaseFactory.create_batch(2, matter=matter_a)
    rights = list(IPRight.objects.filter(rights_holder=matter_a.rights_holder))
    ownership = readiness_for_matter(rights_holder=matter_a.rights_holder, platforms=matter_a.platforms, rights=rights)
    missing = len(ownership.open_items) + len(purchase_readiness(matter_a))
    assert len(purchase_readiness(matter_a)) == 2
    client.force_login(member_a)
    row = row_of(client.get(reverse("web:dashboard")).content.decode(), matter_a.reference)
    assert f"{missing} items missing" in row
