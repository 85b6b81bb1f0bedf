"""Archive timestamp renewal: a copy of an issued document with a new document timestamp, entered in the registry."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from ownership.shared.registry import ArchivalCopy, IssuedDocument
from ownership.shared.signing import trust_root_path
from portal.services.archive_timestamps import archive_timestamps_renew
from portal.services.dossiers import dossier_compile, dossier_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_term(settings, signing, tsa):
    """Signing with a timestamp authority: documents are PAdES B-LTA."""
    settings.PORTAL_TSA_URL, settings.PORTAL_TSA_TRUST_ROOT = tsa.url, str(tsa.root)
    settings.PORTAL_SIGNING_TRUST_ROOT = str(trust_root_path(signing))
    return settings


@pytest.fixture
def dossier(long_term, network, staff):
    done = dossier_compile(dossier_id=dossier_request(seller=network[0], by=staff).pk)
    assert done.status == "ready", done.failure_reason
    return done


def document_timestamps(name: str) -> int:
    with default_storage.open(name, "rb") as stored:
        return len(PdfFileReader(stored).embedded_timestamp_signatures)


def test_a_document_far_from_expiry_is_noted_and_left_alone(dossier, long_term):
    long_term.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = 30  # the test authority's certificate lasts ten years
    run = archive_timestamps_renew()
    assert (run.surveyed, run.renewed, run.failed) == (1, 0, [])
    copy = ArchivalCopy.objects.get()
    assert copy.file == dossier.file.name and copy.sha256 == dossier.sha256
    assert copy.timestamp_expires_at > datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3000)


def test_a_document_near_expiry_gets_a_renewed_copy_in_the_registry(dossier, long_term, tsa):
    long_term.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = 4000  # every timestamp is "near expiry"
    requests_before = tsa.requests
    run = archive_timestamps_renew()
    assert (run.surveyed, run.renewed, run.failed) == (1, 1, [])
    assert tsa.requests > requests_before  # the authority was asked again
    original, renewed = ArchivalCopy.objects.order_by("created_at", "pk")
    assert document_timestamps(renewed.file) == document_timestamps(original.file) + 1
    entry = IssuedDocument.objects.get(kind=IssuedDocument.Kind.ARCHIVE_TIMESTAMP)
    assert entry.sha256 == renewed.sha256 and entry.object_ref == f"ownership.archivalcopy:{renewed.pk}"
    assert "new archive timestamp valid until" in entry.certifies and "Repeat-infringer dossier" in entry.certifies
    assert "registry entry" not in entry.certifies  # a stranger verifying learns nothing of how much was issued
    assert default_storage.open(original.file).read() == dossier.file.open("rb").read()  # the issued file unchanged


def test_the_next_run_renews_only_the_latest_copy(dossier, long_term):
    long_term.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = 4000
    archive_timestamps_renew()
    second = archive_timestamps_renew()
    assert (second.surveyed, second.renewed) == (0, 1)
    assert ArchivalCopy.objects.count() == 3
    assert IssuedDocument.objects.filter(kind=IssuedDocument.Kind.ARCHIVE_TIMESTAMP).count() == 2


def test_a_renewed_copy_is_genuine_at_verify(dossier, long_term, client):
    long_term.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = 4000
    archive_timestamps_renew()
    renewed = ArchivalCopy.objects.order_by("-created_at", "-pk").first()
    upload = SimpleUploadedFile(
        "dossier.pdf", default_storage.open(renewed.file).read(), content_type="application/pdf"
    )
    page = client.post(reverse("verify_bundle"), {"file": upload}).content.decode()
    assert "Genuine and unaltered" in page and "Archive timestamp renewal" in page


def test_without_the_authority_the_renewal_is_named_as_failed_and_nothing_is_recorded(dossier, long_term, tsa):
    long_term.PORTAL_ARCHIVE_TIMESTAMP_RENEW_DAYS = 4000
    tsa.stop()
    run = archive_timestamps_renew()
    assert run.renewed == 0 and len(run.failed) == 1 and "archive timestamp could not be added" in run.failed[0]
    assert ArchivalCopy.objects.count() == 1
    assert not IssuedDocument.objects.filter(kind=IssuedDocument.Kind.ARCHIVE_TIMESTAMP).exists()


def test_a_document_whose_file_is_gone_is_named_and_the_run_goes_on(dossier, long_term, tsa):
    default_storage.delete(dossier.file.name)
    run = archive_timestamps_renew()
    assert (run.surveyed, run.renewed) == (0, 0)
    assert len(run.failed) == 1 and "its file could not be read" in run.failed[0]
    assert not ArchivalCopy.objects.exists()  # noted again once the file is back
