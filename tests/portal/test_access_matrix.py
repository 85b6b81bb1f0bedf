"""Every URL of the project, requested as each kind of visitor, answers exactly as expected.

The URL list comes from the resolver, so a new URL is covered at once: ``test_every_url_has_an_expectation``
fails until a row for it is added to ``EXPECTED`` (or, under /admin/, it is covered by the admin rule).

Adding a row: key = the URL name as ``reverse`` takes it ("namespace:name"); value =
``row(anonymous, member_a, member_b, staff_unverified, staff)``, each a (GET, POST) status pair (or ``same(pair)``).
Path arguments are filled from ``path_kwargs`` with objects of rights holder A;
add a kwarg name there when a new URL takes a new one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from evidence.capture.services import capture_request
from evidence.intake.importing import listing_import_prepare
from evidence.models import Matter, SellerLink
from evidence.services import exhibit_upload, listing_record
from ownership.models import StatementDraft
from portal.models import Bundle, Campaign, Dossier, Notice
from portal.services import submission_record
from tests.conftest import verify_with_totp
from tests.evidence.factories import SellerFactory
from tests.ownership.factories import OwnershipDocumentFactory
from tests.support import files as samples

ROLES = ("anonymous", "member_a", "member_b", "staff_unverified", "staff")

R = 302  # a redirect (to sign in, to the two-factor check, or onwards after a form)
Pair = tuple[int, int]


def row(anonymous: Pair, member_a: Pair, member_b: Pair, staff_unverified: Pair, staff: Pair) -> dict[str, Pair]:
    """One URL's expected (GET, POST) statuses per role; the path names rights holder A's objects."""
    return dict(zip(ROLES, (anonymous, member_a, member_b, staff_unverified, staff), strict=True))


def same(pair: Pair) -> dict[str, Pair]:
    return dict.fromkeys(ROLES, pair)


SIGNED_IN_ONLY = row((R, R), (200, 200), (200, 200), (200, 200), (200, 200))
NONE_404 = (404, 404)
EXPECTED: dict[str, dict[str, Pair]] = {
    "healthz": same((200, 405)),
    "login": row((200, 200), (R, R), (R, R), (R, R), (R, R)),
    "logout": same((405, R)),
    "password_change": SIGNED_IN_ONLY,
    "password_change_done": row((R, R), (200, 405), (200, 405), (200, 405), (200, 405)),
    "password_reset": same((200, 200)),
    "password_reset_done": same((200, 405)),
    "password_reset_confirm": same((200, 200)),
    "password_reset_complete": same((200, 405)),
    "security:verify": row((R, R), NONE_404, NONE_404, (R, R), (200, 200)),
    "security:enrol": row((R, R), NONE_404, NONE_404, (200, 200), (R, R)),
    "security:enrol_qr": row((R, R), NONE_404, NONE_404, NONE_404, NONE_404),
    "web:dashboard": row((R, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "web:matter_detail": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "verify_bundle": row((200, 200), (200, 200), (200, 200), (R, R), (200, 200)),
    # The CA's revocation services answer any validator; unverified staff finish signing in first, as everywhere.
    "pki_ca_certificate": row((200, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "pki_crl": row((200, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "pki_ocsp": row((200, 200), (200, 200), (200, 200), (R, R), (200, 200)),
    "pki_ocsp_get": row((200, 200), (200, 200), (200, 200), (R, R), (200, 200)),
    "web:exhibit_create": row((405, R), (405, R), (405, 404), (R, R), (405, R)),
    "web:exhibit_download": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:bundle_create": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:bundle_status": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:bundle_download": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:staff_queue": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:webhook_list": row((R, R), (404, 404), (404, 404), (R, R), (200, 200)),
    "web:webhook_detail": row((R, 405), (404, 405), (404, 405), (R, R), (404, 405)),
    "web:webhook_stop": row((405, R), (405, 404), (405, 404), (R, R), (405, 404)),
    "web:client_report_new": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:client_report_download": row((R, 405), (404, 405), (404, 405), (R, R), (404, 405)),
    "web:submission_lumen": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:api_tokens": row((R, R), (200, 200), (200, 200), (R, R), (200, 200)),
    "web:api_token_revoke": row((405, R), (405, 404), (405, 404), (R, R), (405, 404)),
    # The API answers only to tokens (tests/portal/api): a session is not enough, whoever it is.
    "api:schema": row((200, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "api:matter_list": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:matter_detail": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:listing_list": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:listing_intake": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:exhibit_create": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:bundle_list": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:bundle_download": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:report_list": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:report_download": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:complaint_list": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:complaint_outcomes": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:results": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "api:not_found": row((401, 401), (401, 401), (401, 401), (R, R), (401, 401)),
    "web:results": row((R, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "web:results_csv": row((R, 405), (200, 405), (200, 405), (R, R), (200, 405)),
    "web:submission_create": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:purchase_create": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:submission_detail": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:submission_answer": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:listing_list": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:listing_export": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:campaign_new": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:campaign_detail": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:complaint_items": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:complaint_filed": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:complaint_answers": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:listing_import_new": row((R, R), NONE_404, NONE_404, (R, R), (200, 200)),
    "web:listing_import_detail": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:listing_import_start": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:capture_listing": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:capture_selection": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:capture_detail": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:capture_identifier_record": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    # A network may span clients: staff only, and a client member learns nothing, not even that it exists.
    "web:seller_network": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:seller_identifier_new": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:seller_link_decision": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:dossier_new": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:dossier_download": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:notice_new": row((R, R), (404, 404), (404, 404), (R, R), (200, 200)),
    "web:notice_wording": row((R, R), (404, 404), (404, 404), (R, R), (200, R)),
    "web:notice_detail": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:notice_download": row((R, 405), (404, 405), (404, 405), (R, R), (200, 405)),
    "web:notice_email": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:notice_platform_message": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:notice_reply": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    "web:check_overrule": row((405, R), (405, 404), (405, 404), (R, R), (405, R)),
    # A's drafts: its members read them; only the member drafted to sign may sign (others are told so).
    "web:statement_new": row((405, R), (405, 404), (405, 404), (R, R), (405, 404)),
    "web:statement_detail": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:statement_download": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:statement_signed_download": row((R, 405), (200, 405), (404, 405), (R, R), (200, 405)),
    "web:statement_sign": row((405, R), (405, R), (405, 404), (R, R), (405, R)),
    "web:statement_decision": row((405, R), (405, R), (405, 404), (R, R), (405, R)),
    "web:statement_wet_ink": row((405, R), (405, R), (405, 404), (R, R), (405, R)),
}


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name", or the route text for an unnamed pattern
    name: str | None
    route: str
    kwarg_names: tuple[str, ...]


def project_routes() -> list[Route]:
    def walk(patterns, prefix: str, namespace: str, kwargs: tuple[str, ...]):
        for pattern in patterns:
            names = kwargs + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, names)
            else:
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                route = prefix + str(pattern.pattern)
                yield Route(key=name or route, name=name, route=route, kwarg_names=names)

    return list(walk(get_resolver().url_patterns, "", "", ()))


ROUTES = project_routes()
ADMIN_ROUTES = [r for r in ROUTES if r.route.startswith("admin/")]
OTHER_ROUTES = [r for r in ROUTES if not r.route.startswith("admin/")]


def admin_model(route: Route):
    """The model an admin URL such as admin:evidence_matter_change is about, if any."""
    for model in admin.site._registry:
        if route.name and route.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


@pytest.fixture
def exhibit_a(matter_a, staff):
    upload = ContentFile(samples.pdf_bytes(), name="order.pdf")
    return exhibit_upload(matter=matter_a, upload=upload, kind="order_confirmation", uploaded_by=staff)


@pytest.fixture
def bundle_a(matter_a, staff):
    name = default_storage.save("bundles/matrix/bundle.pdf", ContentFile(b"%PDF-1.7 signed bundle"))
    return Bundle.objects.create(
        matter=matter_a, platform="alibaba", version=1, inputs_digest="x", status="ready", requested_by=staff, file=name
    )


@pytest.fixture
def campaign_a(matter_a, bundle_a, staff):
    campaign = Campaign.objects.create(matter=matter_a, platform="alibaba", bundle=bundle_a, created_by=staff)
    campaign.complaints.create(number=1, ip_kind="trademark")
    return campaign


@pytest.fixture
def listing_import_a(matter_a, staff):
    return listing_import_prepare(matter=matter_a, by=staff, text="https://www.alibaba.com/product-detail/x_8.html")


@pytest.fixture
def outcome_a(matter_a, bundle_a, staff):
    listing, _ = listing_record(
        matter=matter_a, url="https://www.alibaba.com/product-detail/x_7.html", seller=SellerFactory(platform="alibaba")
    )
    bundle_a.listings.add(listing)
    submission = submission_record(bundle=bundle_a, platform_reference="IPP-1", submitted_on=date(2026, 3, 1),
                                   submitted_by=staff)  # fmt: skip
    return submission.outcomes.get()


@pytest.fixture
def capture_a(matter_a, outcome_a, staff):
    return capture_request(matter=matter_a, listing=outcome_a.listing, by=staff, enqueue=False)


@pytest.fixture
def seller_link_a(outcome_a):
    other = SellerFactory(platform="alibaba")
    first, second = sorted((outcome_a.listing.seller_id, other.pk))
    return SellerLink.objects.create(seller_a_id=first, seller_b_id=second, kind="company", key="glowhome")


@pytest.fixture
def dossier_a(outcome_a, staff):
    name = default_storage.save("dossiers/matrix/dossier.pdf", ContentFile(b"%PDF-1.7 signed dossier"))
    return Dossier.objects.create(seller=outcome_a.listing.seller, requested_by=staff, status="ready", file=name)


@pytest.fixture
def notice_a(outcome_a, matter_a, staff):
    name = default_storage.save("notices/matrix/notice.pdf", ContentFile(b"%PDF-1.7 signed notice"))
    return Notice.objects.create(matter=matter_a, seller=outcome_a.listing.seller, requested_by=staff, status="ready",
                                 file=name, deadline=datetime.date(2030, 1, 1))  # fmt: skip


@pytest.fixture
def document_a(holder_a):
    return OwnershipDocumentFactory(rights_holder=holder_a)


@pytest.fixture
def draft_a(holder_a, staff):
    incomplete = StatementDraft.Status.INCOMPLETE
    name = default_storage.save("statements/matrix/draft.pdf", ContentFile(b"%PDF-1.7 draft"))
    return StatementDraft.objects.create(rights_holder=holder_a, kind="letter_of_authorisation", created_by=staff,
                                         status=incomplete, missing=["an expiry date"], file=name)  # fmt: skip


@pytest.fixture
def signed_draft_a(holder_a, staff, document_a):
    return StatementDraft.objects.create(
        rights_holder=holder_a, kind="letter_of_authorisation", created_by=staff, status=StatementDraft.Status.SIGNED,
        document=document_a, signed_sha256=document_a.sha256,
    )  # fmt: skip


@pytest.fixture
def path_kwargs(
    holder_a,
    member_a,
    matter_a,
    matter_b,
    member_b,
    exhibit_a,
    bundle_a,
    outcome_a,
    listing_import_a,
    campaign_a,
    capture_a,
    seller_link_a,
    dossier_a,
    notice_a,
    draft_a,
    signed_draft_a,
    document_a,
    staff,
):
    """Values for every path argument, naming rights holder A's objects (B's exist too, for contrast).

    ``pk`` means the object the URL is about: PK_OF maps a URL name to its object; the default is A's matter.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pk_of = {
        "web:exhibit_download": exhibit_a,
        "web:bundle_status": bundle_a,
        "web:bundle_download": bundle_a,
        "web:submission_detail": outcome_a.submission,
        "web:submission_answer": outcome_a.submission,
        "web:submission_lumen": outcome_a.submission,
        "web:listing_import_detail": listing_import_a,
        "web:campaign_detail": campaign_a,
        "web:complaint_items": campaign_a,
        "web:complaint_filed": campaign_a,
        "web:complaint_answers": campaign_a,
        "web:listing_import_start": listing_import_a,
        "web:capture_detail": capture_a,
        "web:capture_identifier_record": capture_a,
        "web:seller_network": outcome_a.listing.seller,
        "web:seller_identifier_new": outcome_a.listing.seller,
        "web:seller_link_decision": seller_link_a,
        "web:dossier_new": outcome_a.listing.seller,
        "web:dossier_download": dossier_a,
        "web:notice_new": outcome_a.listing.seller,
        "web:notice_detail": notice_a,
        "web:notice_download": notice_a,
        "web:notice_email": notice_a,
        "web:notice_platform_message": notice_a,
        "web:notice_reply": notice_a,
        "web:check_overrule": document_a,
        "web:statement_detail": draft_a,
        "web:statement_download": draft_a,
        "web:statement_signed_download": signed_draft_a,
        "web:statement_sign": draft_a,
        "web:statement_decision": draft_a,
        "web:statement_wet_ink": draft_a,
    }
    # django-otp's admin views take the id of a device; ids differ between databases, so make a real one.
    device_routes = {"admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"}

    def values(route: Route) -> dict[str, object]:
        model = admin_model(route)
        a_objects = {Matter: matter_a, type(holder_a): holder_a, type(member_a): member_a}
        obj = a_objects.get(model) or (model.objects.first() if model else None)
        return {
            "reference": matter_a.reference,
            "pk": (
                TOTPDevice.objects.get_or_create(user=staff, name="matrix")[0]
                if route.key in device_routes
                else pk_of.get(route.key, matter_a)
            ).pk,
            "id": member_a.pk,
            "object_id": obj.pk if obj else matter_a.pk,
            "content_type_id": ContentType.objects.get_for_model(Matter).pk,
            "app_label": "evidence",
            "uidb64": "MQ",
            "token": "set-password",
            "url": "no-such-page/",
            "file_format": "csv",
            "table": "months",
            "number": 1,
            "listing_pk": capture_a.listing_id,
            "encoded": "MAA=",  # an OCSP request, base64 (an empty one: answered "malformed request")
        }

    return values


def url_of(route: Route, values: dict[str, object]) -> str:
    kwargs = {name: values[name] for name in route.kwarg_names}
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    return "/" + route.route.replace("(?P<url>.*)$", str(values["url"])).lstrip("^")


@pytest.fixture
def client_as(staff, member_a, member_b):
    def make(role: str) -> Client:
        client = Client()
        if role == "member_a":
            client.force_login(member_a)
        elif role == "member_b":
            client.force_login(member_b)
        elif role == "staff_unverified":
            client.force_login(staff)
        elif role == "staff":
            verify_with_totp(client, staff)
        return client

    return make


def test_every_url_has_an_expectation():
    missing = [r.key for r in OTHER_ROUTES if r.key not in EXPECTED]
    assert not missing, f"Add these URLs to EXPECTED in {__name__}: {missing}"
    assert not [key for key in EXPECTED if key not in {r.key for r in OTHER_ROUTES}], (
        "EXPECTED names a URL that is gone"
    )


def test_matrix_covers_every_admin_page_of_every_registered_model():
    names = {route.name for route in ADMIN_ROUTES}
    for model in admin.site._registry:
        opts = model._meta
        for page in ("changelist", "add", "change", "delete", "history"):
            assert f"admin:{opts.app_label}_{opts.model_name}_{page}" in names


@pytest.mark.parametrize("route", OTHER_ROUTES, ids=lambda r: r.key)
def test_url_answers_each_role_as_expected(route, path_kwargs, client_as, signing):
    if route.key not in EXPECTED:
        pytest.fail(f"{route.key} has no row in EXPECTED")
    url = url_of(route, path_kwargs(route))
    actual = {}
    for role in ROLES:
        actual[role] = (client_as(role).get(url).status_code, client_as(role).post(url).status_code)
    assert actual == EXPECTED[route.key], url


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.key)
def test_admin_url_opens_only_for_verified_staff(route, path_kwargs, client_as):
    """The admin rule: no one but verified staff ever gets a 200, except on the admin's sign-in form."""
    url = url_of(route, path_kwargs(route))
    for role in ROLES:
        for method in ("get", "post"):
            response = getattr(client_as(role), method)(url)
            assert response.status_code < 500, (role, method, url)
            if role != "staff" and route.name != "admin:login":
                assert response.status_code != 200, (role, method, url)
                assert response.status_code in {302, 404, 405}, (role, method, url, response.status_code)
