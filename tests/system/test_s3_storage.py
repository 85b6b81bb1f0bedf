"""The same file intake on S3 (django-storages + boto3 against a real S3-compatible server)."""

import hashlib

import boto3
import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ownership.shared.files.allowed import FileRejected
from ownership.shared.files.storage import sha256_of_stored, store_upload
from tests.support import files as samples
from tests.support.services import S3_TEST_BUCKET, S3_TEST_CREDENTIALS

pytestmark = pytest.mark.s3


def bucket_keys(endpoint: str) -> set[str]:
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_TEST_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_TEST_CREDENTIALS["secret_key"],
    )
    return {o["Key"] for o in client.list_objects_v2(Bucket=S3_TEST_BUCKET).get("Contents", [])}


def test_upload_to_s3_stores_exact_bytes_with_one_pass_hash(s3_storage):
    data = samples.pdf_bytes(pages=4)
    stored = store_upload(ContentFile(data, name="order.pdf"), folder="exhibits")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    with default_storage.open(stored.name, "rb") as f:
        assert f.read() == data
    assert sha256_of_stored(stored.name) == stored.sha256


def test_large_upload_to_s3_goes_multipart_and_still_hashes_right(s3_storage):
    data = samples.pdf_bytes() + bytes(range(256)) * (40 * 1024 * 4)  # ~40 MB: above boto3's multipart threshold
    stored = store_upload(ContentFile(data, name="video-capture.pdf"), folder="exhibits")
    assert stored.sha256 == hashlib.sha256(data).hexdigest() == sha256_of_stored(stored.name)


def test_rejected_upload_leaves_no_object_in_the_bucket(s3_storage, s3_endpoint):
    before = bucket_keys(s3_endpoint)
    with pytest.raises(FileRejected):
        store_upload(ContentFile(b"<html><script></script></html>", name="x.pdf"), folder="exhibits")
    assert bucket_keys(s3_endpoint) == before


def test_objects_are_private_and_presigned_urls_expire_within_five_minutes(s3_storage, s3_endpoint):
    stored = store_upload(ContentFile(samples.pdf_bytes(), name="order.pdf"), folder="exhibits")
    assert requests.get(f"{s3_endpoint}/{S3_TEST_BUCKET}/{stored.name}", timeout=5).status_code == 403
    url = default_storage.url(stored.name)
    assert "X-Amz-Expires=300" in url
    assert requests.get(url, timeout=5).content == samples.pdf_bytes()
