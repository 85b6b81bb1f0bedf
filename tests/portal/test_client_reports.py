"""Monthly client reports: compiled from recorded answers, signed, checked by independent tools, e-mailed to
the client's members only, downloadable by them and staff, and verifiable."""

import datetime
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from ownership.shared.audit import AuditEvent
from ownership.shared.signing import check_signature, load_certificate, signing_identity, trust_roots
from portal.models import ClientReport
from portal.services.client_reports import client_report_compile, client_report_request, client_reports_monthly
from tests.evidence.factories import SellerFactory
from tests.portal.test_results import answer, filed

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def march(matter_a, matter_b, staff, member_a, member_b):
    """Alpha's March: three items filed, two removed, one rejected; Beta's own complaint beside it."""
    answer(filed(matter_a, staff, count=3, seller=SellerFactory(platform="alibaba")), staff,
           "removed", "removed", "rejected")  # fmt: skip
    filed(matter_b, staff, count=5, tag="beta")
    return matter_a


def compiled(holder, signing, next_steps="") -> ClientReport:
    report = client_report_request(rights_holder=holder, month=MARCH, by=None, next_steps=next_steps)
    return client_report_compile(report_id=report.pk)  # what the worker runs (at once here, with no broker)


def saved(report, tmp_path):
    path = tmp_path / "report.pdf"
    with report.file.open("rb") as stream:
        path.write_bytes(stream.read())
    return path


def text_of(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_report_states_the_months_figures_and_is_signed(march, holder_a, signing, tmp_path):
    report = compiled(holder_a, signing, next_steps="File against the two new stores in April.")
    assert report.status == ClientReport.Status.READY, report.failure_reason
    path = saved(report, tmp_path)
    text = " ".join(text_of(path).split())
    assert "Monthly enforcement report" in text and "Alpha Brands Ltd · March 2026" in text
    assert "Listings reported 3" in text and "Removed 2" in text and "Takedown rate (removed of answered) 66.7%" in text
    assert "File against the two new stores in April." in text
    identity = signing_identity()
    check = check_signature(path, trust_roots(identity) or [load_certificate(identity)], load_certificate(identity))
    assert check.valid and check.covers_whole_file, check.problems


def test_the_report_tells_nothing_of_another_client(march, holder_a, signing, tmp_path):
    text = text_of(saved(compiled(holder_a, signing), tmp_path))
    assert "Beta" not in text and "beta" not in text


def test_the_report_passes_the_layout_check_and_qpdf(march, holder_a, signing, tmp_path):
    from tests.support.layout import layout_problems

    path = saved(compiled(holder_a, signing), tmp_path)
    assert layout_problems(path) == []
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_the_report_is_emailed_to_the_clients_members_only(march, holder_a, member_a, member_b, signing):
    report = compiled(holder_a, signing)
    assert report.emailed_to == 1 and [m.to for m in mail.outbox] == [[member_a.email]]
    assert reverse("web:client_report_download", args=[report.pk]) in mail.outbox[0].body
    assert mail.outbox[0].subject.endswith("enforcement report for Alpha Brands Ltd, March 2026")


def test_the_verify_page_names_the_report(march, holder_a, signing, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = compiled(holder_a, signing)
    with report.file.open("rb") as stream:
        upload = SimpleUploadedFile("report.pdf", stream.read(), content_type="application/pdf")
    page = client.post(reverse("verify_bundle"), {"file": upload}).content.decode()
    assert "Genuine and unaltered" in page and "Monthly client report" in page
    assert "Monthly enforcement report of Alpha Brands Ltd for March 2026: 3 listings reported, 2 removed" in page


def test_a_member_downloads_their_report_and_the_download_is_audited(client, march, holder_a, member_a, signing):
    report = compiled(holder_a, signing)
    client.force_login(member_a)
    response = client.get(reverse("web:client_report_download", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REPORT_DOWNLOADED, actor=member_a).exists()


def test_another_clients_member_cannot_download_it(client, march, holder_a, member_b, signing):
    report = compiled(holder_a, signing)
    client.force_login(member_b)
    assert client.get(reverse("web:client_report_download", args=[report.pk])).status_code == 404


def test_a_month_not_yet_begun_is_refused(holder_a):
    with pytest.raises(ValidationError, match="has not begun"):
        client_report_request(rights_holder=holder_a, month=datetime.date(2099, 1, 1), by=None)


def test_the_schedule_makes_last_months_report_for_each_client_with_a_matter_once(matter_a, holder_b, signing):
    made = client_reports_monthly(today=datetime.date(2026, 4, 1))
    assert [(r.rights_holder_id, r.month) for r in made] == [(matter_a.rights_holder_id, MARCH)]
    assert client_reports_monthly(today=datetime.date(2026, 4, 1)) == []


@pytest.mark.django_db(transaction=True)  # the command's request commits, and the in-process worker runs then
def test_the_command_makes_the_report(march, holder_a, signing, capsys, in_process_worker):
    call_command("client_report", "ALP", "2026-03")
    assert "of Alpha Brands Ltd for March 2026 is ready: SHA-256" in capsys.readouterr().out


def test_the_command_names_the_known_clients_for_an_unknown_code(holder_a):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"No client has the code 'XYZ' \(known: ALP\)"):
        call_command("client_report", "XYZ", "2026-03")


def test_staff_ask_for_a_report_on_the_results_page(staff_client, march, holder_a, signing):
    asked = {"rights_holder": holder_a.pk, "month": "2026-03", "next_steps": "Keep going."}
    page = staff_client.post(reverse("web:client_report_new"), asked, follow=True)
    assert "Monthly report of Alpha Brands Ltd for March 2026 (queued (waiting for a worker))." in page.content.decode()
    report = client_report_compile(report_id=ClientReport.objects.get().pk)  # what the worker runs
    assert (
        reverse("web:client_report_download", args=[report.pk])
        in staff_client.get(reverse("web:results")).content.decode()
    )
