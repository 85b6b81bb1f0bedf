"""The results page and its CSV downloads: figures a client sees of their own matters only."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse

from portal.campaign_answers import Answer
from portal.services import submission_answers_record
from tests.portal.test_results import answer, filed

pytestmark = pytest.mark.django_db

URL = "/results/"
MARCH = {"start": "2026-03", "end": "2026-03"}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response).decode("utf-8-sig"))))


def test_url_is_results():
    assert reverse("web:results") == URL


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(URL).url.startswith(reverse("login"))


def test_client_sees_their_figures_and_not_another_clients(client, member_a, matter_a, matter_b, staff):
    answer(filed(matter_a, staff, count=3), staff, "removed", "removed", "rejected")
    filed(matter_b, staff, count=40, tag="b")
    client.force_login(member_a)
    content = client.get(URL, MARCH).content.decode()
    summary = content[content.index('id="summary"') :].split("</section>", 1)[0]
    assert "<dt>Reported</dt><dd>3</dd>" in summary and "<dt>Removed</dt><dd>2</dd>" in summary
    assert "40" not in summary and matter_b.rights_holder.name not in content


def test_client_cannot_name_another_clients_matter(client, member_a, matter_a, matter_b):
    client.force_login(member_a)
    content = client.get(URL, {"matter": matter_b.reference}).content.decode()
    assert f"No matter of yours has the reference “{matter_b.reference}”." in content


def test_staff_filter_by_client(staff_client, matter_a, matter_b, staff):
    filed(matter_a, staff, count=2)
    filed(matter_b, staff, count=5, tag="b")
    content = staff_client.get(URL, {**MARCH, "rights_holder": matter_b.rights_holder_id}).content.decode()
    assert "<dt>Reported</dt><dd>5</dd>" in content


def test_chart_is_svg_with_the_figures_and_no_script(staff_client, matter_a, staff):
    answer(filed(matter_a, staff, count=3), staff, "removed", "removed", "rejected")
    content = staff_client.get(URL, MARCH).content.decode()
    chart = content[content.index('id="monthly-chart"') :].split("</figure>", 1)[0]
    assert "<svg" in chart and "<title>Mar 2026: Removed 2</title>" in chart and "<script" not in chart
    assert re.findall(r'<script src="([^"]+)"', content) == ["/static/portal/js/portal.js"]  # nothing from outside
    table = content[content.index('id="monthly-table"') :].split("</table>", 1)[0]
    # found 0: the listings were first seen today, not in March
    assert '<th scope="row">Mar 2026</th><td>0</td><td>3</td><td>2</td><td>1</td>' in table


def test_takedown_rate_chart_draws_the_programmes_line(staff_client, matter_a, staff):
    answer(filed(matter_a, staff, count=2), staff, "removed", "rejected")
    chart = staff_client.get(URL, MARCH).content.decode().split('id="rate-chart"')[1].split("</figure>")[0]
    assert "Alibaba.com (IPP): 50.0% removed of 2 answered" in chart
    assert "Alibaba IPP Good-faith Takedown Mechanism: takedown rate at least 90%" in chart


@time_machine.travel(datetime.datetime(2026, 4, 2, 9, tzinfo=datetime.UTC), tick=False)
def test_a_crossed_programme_line_is_shown_with_its_source(staff_client, matter_a, staff):
    answer(filed(matter_a, staff, count=4), staff, "removed", "removed", "removed", "rejected")
    section = staff_client.get(URL).content.decode().split('id="standing"')[1].split("</section>")[0]
    assert "Below the line" in section and "Takedown rate at least 90%: <strong>75.0%</strong>" in section
    assert "FAQ of Good-faith Takedown Mechanism of Alibaba" in section


def test_months_csv_agrees_with_the_table(staff_client, matter_a, staff):
    answer(filed(matter_a, staff, count=3), staff, "removed", "counter_notice")
    response = staff_client.get(reverse("web:results_csv", args=["months"]), MARCH)
    assert response["Content-Disposition"] == 'attachment; filename="results-months-2026-03-to-2026-03.csv"'
    assert csv_rows(response) == [
        ["month", "found", "reported", "removed", "rejected", "counter_notices", "awaiting_answer", "reappeared"],
        ["2026-03", "0", "3", "1", "0", "1", "1", "0"],  # found 0: the listings were first seen today
    ]


def test_store_names_in_csv_cannot_run_as_formulas(staff_client, matter_a, staff):
    from tests.evidence.factories import SellerFactory

    seller = SellerFactory(platform="alibaba")
    complaint = filed(matter_a, staff, count=2, seller=seller)
    matter_a.listing_links.update(seller_name='=HYPERLINK("x")')
    rows = csv_rows(staff_client.get(reverse("web:results_csv", args=["stores"]), MARCH))
    assert rows[1][0] == '\'=HYPERLINK("x")' and complaint.outcomes.count() == 2


def test_an_unknown_table_is_not_found(staff_client):
    assert staff_client.get(reverse("web:results_csv", args=["everything"])).status_code == 404


def test_a_period_ending_before_it_starts_is_refused_plainly(staff_client):
    content = staff_client.get(URL, {"start": "2026-05", "end": "2026-02"}).content.decode()
    assert "The last month comes after the first." in content
    assert "The figures below ignore the filters until they are corrected." in content


def test_a_period_over_three_years_is_refused(staff_client):
    assert "Choose at most 36 months." in staff_client.get(URL, {"start": "2020-01", "end": "2026-01"}).content.decode()


def test_client_sees_store_names_without_links_to_the_staff_network_page(client, member_a, matter_a, staff):
    from tests.evidence.factories import SellerFactory

    seller = SellerFactory(platform="alibaba")
    filed(matter_a, staff, count=2, seller=seller)
    client.force_login(member_a)
    section = client.get(URL, MARCH).content.decode().split('id="stores"')[1].split("</section>")[0]
    assert f"Store {seller.pk}" in section and reverse("web:seller_network", args=[seller.pk]) not in section


def test_every_user_has_a_link_to_results(client, member_a):
    client.force_login(member_a)
    assert f'href="{URL}"' in client.get(reverse("web:dashboard")).content.decode()


def test_query_count_stays_flat_as_complaints_grow(staff_client, matter_a, staff, django_assert_max_num_queries):
    answer(filed(matter_a, staff, count=2), staff, "removed")
    with django_assert_max_num_queries(40) as few:
        staff_client.get(URL, MARCH)
    for n in range(5):
        answer(filed(matter_a, staff, count=6, tag=f"more{n}"), staff, "removed", "rejected")
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(URL, MARCH)


def test_figures_are_kept_between_views_and_an_answer_refreshes_them(
    staff_client, matter_a, staff, django_capture_on_commit_callbacks
):
    from portal.models import ListingOutcome

    complaint = filed(matter_a, staff, count=2)
    assert "<dt>Removed</dt><dd>0</dd>" in staff_client.get(URL, MARCH).content.decode()
    first, second = complaint.outcomes.order_by("pk")
    ListingOutcome.objects.filter(pk=first.pk).update(outcome="removed")  # not through a service: kept figures stand
    assert "<dt>Removed</dt><dd>0</dd>" in staff_client.get(URL, MARCH).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # an answer recorded: the next view recomputes
        submission_answers_record(submission=complaint, by=staff,
                                  answers=[Answer(listing_id=second.listing_id, result="removed")])  # fmt: skip
    assert "<dt>Removed</dt><dd>2</dd>" in staff_client.get(URL, MARCH).content.decode()


def test_the_page_title_is_results_alone(staff_client):
    content = staff_client.get(URL).content.decode()
    title = content.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Results") and "<" not in title and content.count('id="reports"') == 1
