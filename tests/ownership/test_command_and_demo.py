"""The demo's three rights in both states, seen through ``manage.py readiness``."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from ownership.models import IPRight, OwnershipDocument

pytestmark = pytest.mark.django_db

# The demo's marks were registered in 2019 and 2020: from their tenth anniversary on, readiness rightly asks for
# a renewal certificate. These tests describe the demo as seeded in late 2026, so they run on a fixed clock.
DEMO_CLOCK = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fixed_clock(time_machine):
    time_machine.move_to(DEMO_CLOCK)


@pytest.fixture
def demo():
    call_command("seed_demo", allow_production=True)


def test_a_ready_matter_prints_ready_and_exits_0(demo, capsys):
    call_command("readiness", "BPA-2026-001")
    out = capsys.readouterr().out
    assert "Target platforms: Taobao / Tmall (IPP), Alibaba.com (IPP)" in out
    assert "[SATISFIED] CNIPA registration certificate (cn.trademark.certificate)" in out
    assert out.rstrip().endswith("READY: Ready")


def test_a_matter_missing_a_statement_says_what_to_do_and_exits_1(demo, capsys):
    with pytest.raises(CommandError) as caught:
        call_command("readiness", "LUM-2026-001")
    assert caught.value.returncode == 1
    assert str(caught.value) == "LUM-2026-001 is not ready: 1 item missing."
    out = capsys.readouterr().out
    assert "[MISSING] Signed witness statement (gb.copyright.statement)" in out
    assert "Upload a witness statement or statutory declaration, signed by the author" in out
    assert "[MISSING] Test-buy report for order 3089981234: IPP asks for it signed or sealed" in out


def test_an_unknown_matter_is_refused(db):
    with pytest.raises(CommandError, match="No matter with the reference 'LUM-2026-999'"):
        call_command("readiness", "LUM-2026-999")


def test_the_demo_rights_are_recorded_once(demo):
    call_command("seed_demo", allow_production=True)
    assert sorted(IPRight.objects.values_list("rights_holder__code", "jurisdiction", "kind")) == [
        ("BPA", "CN", "trademark"),
        ("LUM", "CN", "trademark"),
        ("LUM", "GB", "copyright"),
        ("LUM", "US", "copyright"),
    ]
    assert OwnershipDocument.objects.count() == 15


def test_every_demo_document_names_who_uploaded_it_and_the_authorisation_names_the_firm(demo, settings):
    from ownership.models import OwnershipDocument

    assert not OwnershipDocument.objects.filter(uploaded_by__isnull=True).exists()
    authorisations = OwnershipDocument.objects.filter(description__startswith="Letter of authorisation for")
    assert [document.description for document in authorisations] == [
        f"Letter of authorisation for {settings.PORTAL_FIRM_NAME}"
    ]


def test_the_compile_gate_lets_a_ready_matter_through_and_refuses_an_unready_one_naming_what_is_missing(
    ocr_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the OCR worker reads the certificates
        call_command("seed_demo", allow_production=True)
    from evidence.models import Matter
    from ownership.shared.users import User
    from portal.bundle.errors import BundleNotReady
    from portal.services import bundle_request

    staff = User.objects.filter(is_staff=True).first()
    ready = Matter.objects.get(reference="BPA-2026-001")
    bundle, created = bundle_request(matter=ready, platform="alibaba", requested_by=staff)
    assert created and not bundle.overrule_reason
    with pytest.raises(BundleNotReady) as refused:
        bundle_request(matter=Matter.objects.get(reference="LUM-2026-001"), platform="alibaba", requested_by=staff)
    missing = " ".join(refused.value.missing)
    assert "Signed witness statement" in missing and "Test-buy report for order" in missing


def test_compile_bundle_refuses_an_unready_matter_and_overrules_with_a_reason(demo, capsys):
    from portal.models import Bundle

    with pytest.raises(CommandError, match="LUM-2026-001 is not ready for Alibaba.com"):
        call_command("compile_bundle", "LUM-2026-001", platform="alibaba")
    assert not Bundle.objects.filter(matter__reference="LUM-2026-001").exists()
