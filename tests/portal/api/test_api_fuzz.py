"""Schemathesis sends generated calls to every operation of the API's OpenAPI document (as drf-spectacular
builds it for ``/api/v1/schema/``): no answer may be a server error, and every answer must match the document
(status codes, content type, body schema)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from portal.services.api_tokens import api_token_create
from tests.portal.test_results import answer, filed

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = get_wsgi_application()


@pytest.fixture(params=["client", "staff"])
def token(request, member_a, matter_a, staff, settings):
    """A client's token, or a staff member's (who may also add listings), over a matter with a complaint and
    answers. Calls go to the WSGI app in this process, inside the test's transaction; as Django's test client
    does, the app leaves the test's connection open."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis calls the app as localhost
    answer(filed(matter_a, staff, count=3), staff, "removed", "rejected")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    if request.param == "staff":
        TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    yield api_token_create(user=staff if request.param == "staff" else member_a, name="Fuzz")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_within_its_schema(case, token):
    # Cursors and client ids are values the API gives out: a made-up one the schema allows is refused with a
    # 400 that the document describes, so schemathesis's "schema-valid data is accepted" check does not apply.
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance])
