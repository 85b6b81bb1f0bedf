"""The S3 endpoint goes down (a real S3-compatible server behind a proxy the test switches off).

During an upload the user is told and nothing points at a missing object; during a compile the task retries
with backoff, then fails with a message, and no partial bundle is stored.
"""

import boto3
import pytest
from botocore.config import Config
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evidence.models import CustodyEvent, Exhibit
from evidence.services import exhibit_upload, listing_record
from portal.models import Bundle
from portal.services import bundle_request
from portal.tasks import STORAGE_RETRIES, bundle_compile_task
from tests.evidence.factories import SellerFactory, TestPurchaseFactory
from tests.ownership.factories import make_right
from tests.support import files as samples
from tests.support.bundles import OVERRULED
from tests.support.services import S3_TEST_BUCKET, S3_TEST_CREDENTIALS, SwitchableProxy, s3_storage_setting

pytestmark = pytest.mark.s3


@pytest.fixture
def s3_via_proxy(settings, s3_endpoint):
    proxy = SwitchableProxy(int(s3_endpoint.rsplit(":", 1)[1]))
    proxy.up()
    storage = s3_storage_setting(proxy.endpoint)
    # Fail fast while the endpoint is down: one attempt per call, short timeouts.
    storage["OPTIONS"]["client_config"] = Config(
        retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1, read_timeout=5
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    yield proxy
    proxy.down()


def bucket_keys(endpoint: str, prefix: str) -> list[str]:
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=S3_TEST_CREDENTIALS["access_key"], aws_secret_access_key=S3_TEST_CREDENTIALS["secret_key"],
    )  # fmt: skip
    return [o["Key"] for o in client.list_objects_v2(Bucket=S3_TEST_BUCKET, Prefix=prefix).get("Contents", [])]


def test_upload_while_s3_is_down_tells_the_user_and_records_nothing(client, member_a, matter_a, s3_via_proxy):
    client.force_login(member_a)
    s3_via_proxy.down()
    files = SimpleUploadedFile("order.pdf", samples.pdf_bytes(), "application/pdf")
    response = client.post(
        reverse("web:exhibit_create", args=[matter_a.reference]),
        {"files": files, "kind": "order_confirmation"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 503
    assert response.json()["error"].startswith("The evidence store could not be reached, so the file was not stored.")
    assert not Exhibit.objects.exists() and not CustodyEvent.objects.exists()


def test_upload_works_again_once_s3_is_back(client, member_a, matter_a, s3_via_proxy):
    client.force_login(member_a)
    s3_via_proxy.down()
    s3_via_proxy.up()
    files = SimpleUploadedFile("order.pdf", samples.pdf_bytes(), "application/pdf")
    response = client.post(
        reverse("web:exhibit_create", args=[matter_a.reference]),
        {"files": files, "kind": "order_confirmation"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201 and Exhibit.objects.count() == 1


@pytest.fixture
def compile_ready(matter_a, staff, signing, s3_via_proxy):
    make_right(matter_a.rights_holder, "CN", "trademark", title="AURORA")
    listing, _ = listing_record(
        matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=SellerFactory(platform="alibaba")
    )
    purchase = TestPurchaseFactory(matter=matter_a, listing=listing, recorded_by=staff)
    exhibit_upload(matter=matter_a, purchase=purchase, kind="order_confirmation", uploaded_by=staff,
                   upload=ContentFile(samples.pdf_bytes("Order"), name="order.pdf"))  # fmt: skip
    bundle, _ = bundle_request(matter=matter_a, platform="alibaba", requested_by=staff, overrule=OVERRULED)
    return bundle


def test_compile_while_s3_is_down_retries_with_backoff_then_fails_with_a_message(
    compile_ready, s3_via_proxy, s3_endpoint, monkeypatch
):
    countdowns = []
    retry = bundle_compile_task.retry

    def recording_retry(*args, **kwargs):
        countdowns.append(kwargs.get("countdown"))
        return retry(*args, **kwargs)

    monkeypatch.setattr(bundle_compile_task, "retry", recording_retry)
    s3_via_proxy.down()
    assert bundle_compile_task.apply(args=[compile_ready.pk]).get() == "failed"
    bundle = Bundle.objects.get(pk=compile_ready.pk)
    assert countdowns == [5 * 2**n for n in range(STORAGE_RETRIES)]  # 5, 10, 20, 40, 80 seconds
    assert bundle.status == Bundle.Status.FAILED and bundle.attempts == STORAGE_RETRIES + 1
    assert "The file storage could not be reached after 6 attempts" in bundle.error_message
    assert "request the bundle again once storage is back" in bundle.error_message
    s3_via_proxy.up()
    assert bucket_keys(s3_endpoint, "bundles/") == [] and not bundle.file


def test_compile_recovers_when_s3_comes_back_between_retries(compile_ready, s3_via_proxy, s3_endpoint, monkeypatch):
    retry = bundle_compile_task.retry

    def retry_after_outage(*args, **kwargs):
        s3_via_proxy.up()  # storage is back before the next attempt
        return retry(*args, **kwargs)

    monkeypatch.setattr(bundle_compile_task, "retry", retry_after_outage)
    s3_via_proxy.down()
    assert bundle_compile_task.apply(args=[compile_ready.pk]).get() == "ready"
    bundle = Bundle.objects.get(pk=compile_ready.pk)
    assert bundle.status == Bundle.Status.READY and bundle.attempts == 2
    assert bucket_keys(s3_endpoint, "bundles/") == [bundle.file.name]
