"""A complaint exported as a Lumen notice, in the fields Lumen's public code accepts."""

import datetime
import json

import pytest
from django.urls import reverse

from portal.lumen import LumenComplaint, LumenRight, action_taken, lumen_notice
from tests.portal.test_results import answer, filed

# From github.com/berkmancenter/lumendatabase, app/controllers/notices_controller.rb (notice_params and
# entity_params, work_params): the fields a notice submitted through Lumen's API may carry; and the notice types
# and roles of app/models (counterfeit.rb, trademark.rb, dmca.rb, notice.rb).
LUMEN_NOTICE_FIELDS = {
    "title",
    "subject",
    "body",
    "date_sent",
    "date_received",
    "source",
    "tag_list",
    "jurisdiction_list",
    "regulation_list",
    "language",
    "action_taken",
    "request_type",
    "mark_registration_number",
    "url_count",
    "webform",
    "counternotice_for_id",
    "counternotice_for_sid",
    "case_id_number",
    "topic_ids",
    "file_uploads_attributes",
    "entity_notice_roles_attributes",
    "works_attributes",
    "type",  # read by get_notice_type before the other fields are permitted
}
LUMEN_WORK_FIELDS = {"description", "kind", "infringing_urls_attributes", "copyrighted_urls_attributes"}
LUMEN_ENTITY_FIELDS = {"name", "kind", "address_line_1", "address_line_2", "city", "state", "zip", "country_code",
                       "phone", "email", "url", "full_notice_only_researchers"}  # fmt: skip
LUMEN_COUNTERFEIT_ROLES = {"submitter", "recipient", "sender", "principal"}
LUMEN_TYPES = {"DMCA", "Trademark", "Counterfeit", "Other"}
LUMEN_ACTIONS = {"Yes", "No", "Partial", "Unspecified"}


def complaint(**changes) -> LumenComplaint:
    fields = {
        "title": "Alibaba.com (IPP) complaint IPP-1 for Lumina Design Ltd", "date_sent": "2026-03-05",
        "sender": "Harcourt & Vale LLP", "principal": "Lumina Design Ltd", "principal_country": "GB",
        "recipient": "Alibaba.com (IPP)",
        "rights": (LumenRight(kind="trademark", title="AURORA", jurisdiction="CN", registration_number="12345678"),),
        "infringing_urls": ("https://www.alibaba.com/product-detail/x_1.html",), "counterfeit_goods_shown": True,
        "answered": 2, "removed": 1,
    }  # fmt: skip
    return LumenComplaint(**{**fields, **changes})


def test_every_field_is_one_lumen_accepts():
    notice = lumen_notice(complaint())["notice"]
    assert set(notice) <= LUMEN_NOTICE_FIELDS and notice["type"] in LUMEN_TYPES
    for work in notice["works_attributes"]:
        assert set(work) <= LUMEN_WORK_FIELDS and all(set(url) == {"url"} for url in work["infringing_urls_attributes"])
    for role in notice["entity_notice_roles_attributes"]:
        assert role["name"] in LUMEN_COUNTERFEIT_ROLES and set(role["entity_attributes"]) <= LUMEN_ENTITY_FIELDS
    assert notice["action_taken"] in LUMEN_ACTIONS


def test_a_trademark_complaint_with_a_test_purchase_is_a_counterfeit_notice_naming_the_mark():
    notice = lumen_notice(complaint())["notice"]
    assert notice["type"] == "Counterfeit" and notice["mark_registration_number"] == "12345678"
    assert notice["works_attributes"][0]["infringing_urls_attributes"] == [
        {"url": "https://www.alibaba.com/product-detail/x_1.html"}
    ]


def test_without_a_test_purchase_it_is_a_trademark_notice():
    assert lumen_notice(complaint(counterfeit_goods_shown=False))["notice"]["type"] == "Trademark"


def test_a_copyright_complaint_is_lumens_dmca_type():
    right = LumenRight(kind="copyright", title="Aurora lamp photographs", jurisdiction="GB", registration_number="")
    notice = lumen_notice(complaint(rights=(right,)))["notice"]
    assert notice["type"] == "DMCA" and "mark_registration_number" not in notice


def test_action_taken_follows_the_answers():
    assert [action_taken(0, 0), action_taken(3, 3), action_taken(3, 0), action_taken(3, 1)] == [
        "Unspecified", "Yes", "No", "Partial",
    ]  # fmt: skip


@pytest.mark.django_db
def test_staff_download_a_complaint_as_a_lumen_notice(staff_client, matter_a, staff):
    from tests.ownership.factories import make_right

    submission = filed(matter_a, staff, count=2, on=datetime.date(2026, 3, 5))
    submission.bundle.rights.add(make_right(matter_a.rights_holder, "CN", "trademark", title="ALPHA"))
    answer(submission, staff, "removed", "removed")
    response = staff_client.get(reverse("web:submission_lumen", args=[submission.pk]))
    notice = json.loads(response.content)["notice"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert notice["action_taken"] == "Yes" and notice["date_sent"] == "2026-03-05"
    assert sorted(u["url"] for u in notice["works_attributes"][0]["infringing_urls_attributes"]) == sorted(
        o.listing.url for o in submission.outcomes.all()
    )


@pytest.mark.django_db
def test_client_members_cannot_export_it(client, member_a, matter_a, staff):
    submission = filed(matter_a, staff, count=1)
    client.force_login(member_a)
    assert client.get(reverse("web:submission_lumen", args=[submission.pk])).status_code == 404
