"""The REST API: personal tokens, what each token's user may read, paging, refusals, audit and schema."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from evidence.services import listing_record
from ownership.shared.audit import AuditEvent
from portal.models import ApiToken
from portal.services.api_tokens import api_token_create, api_token_revoke, token_digest
from tests.evidence.factories import SellerFactory
from tests.portal.test_results import answer, filed

pytestmark = pytest.mark.django_db


def api(token: str = "") -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def token_of(user) -> str:
    return api_token_create(user=user, name="Tests")[1]


def listings_of(matter, count: int) -> list:
    seller = SellerFactory(platform="alibaba")
    return [
        listing_record(matter=matter, url=f"https://www.alibaba.com/product-detail/api_{matter.pk}_{n}.html",
                       seller=seller, title=f"Lamp {n}")[0]
        for n in range(count)
    ]  # fmt: skip


def listings_url(matter) -> str:
    return reverse("api:listing_list", args=[matter.reference])


def test_only_the_tokens_sha256_is_stored(member_a):
    api_token, token = api_token_create(user=member_a, name="Dashboard")
    stored = ApiToken.objects.filter(pk=api_token.pk).values().get()
    assert api_token.digest == token_digest(token) and token[4:] not in str(stored.values())


def test_client_token_lists_its_own_listings(member_a, matter_a):
    listings_of(matter_a, 3)
    body = api(token_of(member_a)).get(listings_url(matter_a)).json()
    assert sorted(row["title"] for row in body["results"]) == ["Lamp 0", "Lamp 1", "Lamp 2"]
    assert body["next"] is None


def test_client_token_gets_404_for_another_clients_matter(member_a, matter_b):
    listings_of(matter_b, 1)
    assert api(token_of(member_a)).get(listings_url(matter_b)).status_code == 404


def test_client_token_lists_only_its_clients_matters(member_a, matter_a, matter_b):
    body = api(token_of(member_a)).get(reverse("api:matter_list")).json()
    assert [row["reference"] for row in body["results"]] == [matter_a.reference]


def test_a_call_without_a_token_is_refused_and_told_how_to_authenticate(matter_a):
    response = api().get(reverse("api:matter_list"))
    assert response.status_code == 401 and response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_refused(member_a):
    api_token, token = api_token_create(user=member_a, name="Old")
    api_token_revoke(api_token=api_token, by=member_a)
    response = api(token).get(reverse("api:matter_list"))
    assert response.status_code == 401 and response.json()["detail"] == "This token is not valid, or it was revoked."


def test_a_session_cookie_does_not_open_the_api(client, member_a):
    client.force_login(member_a)
    assert client.get(reverse("api:matter_list")).status_code == 401


def test_staff_need_two_factor_enrolment_to_make_a_token(staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Set up two-factor sign-in before making an API token."):
        api_token_create(user=staff, name="Staff")


def test_staff_token_sees_every_client_while_enrolled(staff, matter_a, matter_b):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    token = token_of(staff)
    body = api(token).get(reverse("api:matter_list")).json()
    assert {row["reference"] for row in body["results"]} == {matter_a.reference, matter_b.reference}
    TOTPDevice.objects.filter(user=staff).delete()
    assert api(token).get(reverse("api:matter_list")).status_code == 401


def test_listings_page_through_by_cursor_without_repeats(member_a, matter_a):
    listings_of(matter_a, 5)
    seen, url, caller = [], listings_url(matter_a) + "?page_size=2", api(token_of(member_a))
    while url:
        body = caller.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == 5 == len(set(seen))


def test_listings_take_the_listings_pages_filters(member_a, matter_a):
    listings_of(matter_a, 3)
    body = api(token_of(member_a)).get(listings_url(matter_a), {"q": "Lamp 1"}).json()
    assert [row["title"] for row in body["results"]] == ["Lamp 1"]


def test_a_bad_filter_is_refused_with_the_reason(member_a, matter_a):
    response = api(token_of(member_a)).get(listings_url(matter_a), {"seen_from": "yesterday"})
    assert response.status_code == 400 and response.json()["seen_from"][0]["message"] == "Enter a valid date."


def test_a_made_up_cursor_is_refused(member_a, matter_a):
    response = api(token_of(member_a)).get(listings_url(matter_a), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["This cursor is not one the API gave; start again without it."]}


def test_more_than_1000_rows_a_page_is_refused(member_a, matter_a):
    response = api(token_of(member_a)).get(listings_url(matter_a), {"page_size": "1001"})
    assert response.json() == {"page_size": ["Give a whole number from 1 to 1000."]}


def test_complaint_outcomes_follow_the_recorded_answers(member_a, matter_a, staff):
    complaint = filed(matter_a, staff, count=2)
    answer(complaint, staff, "removed", "rejected")
    caller = api(token_of(member_a))
    body = caller.get(reverse("api:complaint_outcomes", args=[complaint.pk]), {"outcome": "removed"}).json()
    assert [row["outcome"] for row in body["results"]] == ["removed"]


def test_another_clients_complaint_is_not_found(member_b, matter_a, staff):
    complaint = filed(matter_a, staff, count=1)
    assert api(token_of(member_b)).get(reverse("api:complaint_outcomes", args=[complaint.pk])).status_code == 404


def test_results_agree_with_the_results_page(member_a, matter_a, staff):
    answer(filed(matter_a, staff, count=3), staff, "removed", "removed", "rejected")
    body = api(token_of(member_a)).get(reverse("api:results"), {"start": "2026-03", "end": "2026-03"}).json()
    assert body["totals"]["reported"] == 3 and body["totals"]["takedown_rate"] == "66.7"


def test_every_call_is_audited_as_the_tokens_user(member_a, matter_b):
    api(token_of(member_a)).get(listings_url(matter_b))
    entry = AuditEvent.objects.filter(action=AuditEvent.Action.API_CALL).get()
    assert (entry.actor_id, entry.status_code, entry.object_ref) == (
        member_a.pk,
        404,
        f"reference={matter_b.reference}",
    )


def test_a_token_is_limited_to_its_rate(member_a, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    cache.clear()
    caller = api(token_of(member_a))
    statuses = [caller.get(reverse("api:matter_list")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_schema_is_valid_openapi_3_1(client):
    from openapi_spec_validator import validate

    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    validate(schema)


def test_a_mistyped_filter_is_refused_not_ignored(member_a, matter_a):
    response = api(token_of(member_a)).get(listings_url(matter_a), {"platfrom": "amazon"})
    assert response.status_code == 400
    assert response.json()["platfrom"][0].startswith("This call has no parameter of that name: it takes cursor,")


def test_an_empty_parameter_is_refused(member_a, matter_a):
    response = api(token_of(member_a)).get(listings_url(matter_a), {"page_size": ""})
    assert response.json() == {"page_size": ["Leave the parameter out, or give it a value."]}


def staff_token(staff) -> str:
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    return token_of(staff)


def intake(caller, matter, rows):
    return caller.post(reverse("api:listing_intake", args=[matter.reference]), {"listings": rows},
                       content_type="application/json")  # fmt: skip


ROWS = [
    {"url": "https://www.alibaba.com/product-detail/api-lamp_1600000001.html", "seller_name": "Glowhome",
     "title": "Copied lamp", "price": "18.50", "currency": "USD"},
    {"url": "https://www.alibaba.com/product-detail/api-lamp_1600000002.html", "seller_name": "Glowhome"},
]  # fmt: skip


def test_staff_add_listings_and_the_same_call_again_adds_nothing(staff, matter_a):
    caller = api(staff_token(staff))
    first = intake(caller, matter_a, ROWS).json()
    again = intake(caller, matter_a, ROWS).json()
    assert (first["new"], first["known_here"]) == (2, 0) and (again["new"], again["known_here"]) == (0, 2)
    assert matter_a.listings.count() == 2


def test_intake_refuses_rows_as_the_file_import_does(staff, matter_a):
    rows = [*ROWS[:1], {"url": "ftp://example.com/lamp"}, ROWS[0]]
    body = intake(api(staff_token(staff)), matter_a, rows).json()
    assert body["new"] == 1 and [r["row"] for r in body["refused"]] == [2, 3]
    assert body["refused"][1]["reason"] == "The same listing as row 1."


def test_intake_is_audited_as_an_import_naming_the_token(staff, matter_a):
    intake(api(staff_token(staff)), matter_a, ROWS)
    entry = AuditEvent.objects.get(action=AuditEvent.Action.IMPORTED)
    assert entry.details.startswith("API call (API token “Tests”") and "2 new listings" in entry.details


def test_more_than_1000_listings_a_call_are_refused(staff, matter_a):
    rows = [{"url": f"https://www.alibaba.com/product-detail/x_{n}.html"} for n in range(1001)]
    response = intake(api(staff_token(staff)), matter_a, rows)
    assert response.status_code == 400 and "listings" in response.json() and not matter_a.listings.exists()


def test_a_field_that_is_not_a_listings_is_refused(staff, matter_a):
    response = intake(api(staff_token(staff)), matter_a, [{**ROWS[0], "colour": "red"}])
    assert response.json() == {"listings": {"0": {"colour": ["Not a listing field."]}}}


def test_a_client_token_cannot_add_listings(member_a, matter_a):
    response = intake(api(token_of(member_a)), matter_a, ROWS)
    assert response.status_code == 403 and not matter_a.listings.exists()
