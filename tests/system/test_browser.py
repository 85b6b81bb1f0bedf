"""The portal in a real headless Chromium (Debian's package), driven by Playwright against the live server.

Screenshots of each page go to test-artifacts/screenshots/ (not committed).
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect, sync_playwright

from tests.conftest import require_service
from tests.factories import TEST_PASSWORD
from tests.ownership.factories import make_right
from tests.support.bundles import OVERRULED
from tests.support.files import image_bytes, pdf_bytes

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# The policy the security work will send: no inline script or style, nothing from other origins.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


@pytest.fixture(scope="module")
def browser():
    require_service(CHROMIUM.exists(), f"{CHROMIUM} is missing (Debian package chromium)")

    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Runs before the page's own scripts (Playwright injects it, outside the page's policy): reports each violation.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline code"}`);
});
"""


def new_page(browser, **options):
    """A page whose documents all arrive with STRICT_CSP; every violation is recorded in page.csp_violations."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 860}, **options})

    def with_strict_csp(route):
        if route.request.resource_type != "document":
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    context.route("**/*", with_strict_csp)
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: message.text.startswith("CSP violation") and page.csp_violations.append(message.text),
    )
    return page


@pytest.fixture
def page(browser):
    page = new_page(browser)
    yield page
    page.context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_client_signs_in_and_sees_only_their_matters(page, live_server, member_a, matter_a, matter_b):
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "login")
    sign_in(page, live_server.url, member_a.email)
    rows = page.locator("#matters tr.matter-row")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-reference") == matter_a.reference
    assert matter_b.reference not in page.content()
    assert page.locator("#account").inner_text().count(member_a.full_name) == 1
    screenshot(page, "dashboard-client")

    page.click(f"text={matter_a.reference}")
    page.wait_for_url(f"{live_server.url}/matters/{matter_a.reference}/")
    assert page.locator("h1").inner_text() == matter_a.title
    screenshot(page, "matter-client")
    assert page.csp_violations == []


def test_client_is_refused_another_clients_matter(page, live_server, member_a, matter_b):
    sign_in(page, live_server.url, member_a.email)
    response = page.goto(f"{live_server.url}/matters/{matter_b.reference}/")
    assert response.status == 404
    assert matter_b.title not in page.content()


def sign_in_staff(page, base_url: str, email: str) -> None:
    """Password, then (first time) two-factor enrolment with the key shown on the page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/security/two-factor/**")
    assert page.evaluate("document.querySelector('#enrol-heading ~ img').naturalWidth") > 0
    screenshot(page, "two-factor-enrolment")
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_token", f"{TOTP(base64.b32decode(secret)).token():06d}")
    page.click("#enrol-form button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def test_staff_enrol_two_factor_then_see_the_work_queue(page, live_server, staff, matter_a, matter_b):
    sign_in_staff(page, live_server.url, staff.email)
    page.click("text=Work queue")
    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.locator("#queue-matters tr.matter-row").count() == 2
    screenshot(page, "staff-queue")
    assert page.csp_violations == []


def test_narrow_screen_keeps_the_dashboard_readable(browser, live_server, member_a, matter_a):
    page = new_page(browser, viewport={"width": 390, "height": 800})
    sign_in(page, live_server.url, member_a.email)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "dashboard-phone")
    page.context.close()


DROPPED = [
    ("order-confirmation.pdf", "application/pdf", pdf_bytes("Order 2026-0001")),
    ("payment-receipt.pdf", "application/pdf", pdf_bytes("Receipt 2026-0001")),
    ("parcel.png", "image/png", image_bytes("PNG")),
    ("listing.pdf", "application/pdf", b"<html><body>not a pdf</body></html>"),
]

DROP_SCRIPT = """(files) => {
  const transfer = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], f.name, { type: f.type }));
  }
  return transfer;
}"""


@pytest.mark.urls("tests.support.urls")
def test_dropped_files_each_show_progress_then_hash_or_reason(page, live_server, member_a):
    sign_in(page, live_server.url, member_a.email)
    page.goto(f"{live_server.url}/test/upload/page/")
    page.wait_for_selector("form[data-enhanced=true]")
    assert page.locator("#upload-plain").is_hidden()

    files = [{"name": n, "type": t, "data": base64.b64encode(b).decode()} for n, t, b in DROPPED]
    transfer = page.evaluate_handle(DROP_SCRIPT, files)
    page.dispatch_event("#upload-dropzone", "drop", {"dataTransfer": transfer})
    rows = page.locator("#upload-list li.upload-row")
    assert rows.count() == 4
    rows.nth(2).locator(".upload-row__kind").select_option("product")
    rows.nth(2).locator(".upload-row__description").fill("Parcel as delivered")
    page.click("#upload-submit")

    expect(page.locator("#upload-list li[data-state=done]")).to_have_count(3)
    expect(page.locator("#upload-list li[data-state=error]")).to_have_count(1)
    for index, (name, _type, data) in enumerate(DROPPED[:3]):
        row = rows.nth(index)
        assert row.get_attribute("data-state") == "done", name
        assert row.locator(".upload-row__progress").evaluate("p => p.value") == 100
        assert row.locator(".upload-row__hash").inner_text() == hashlib.sha256(data).hexdigest()
    refused = rows.nth(3)
    assert refused.get_attribute("data-state") == "error"
    assert "web page or SVG markup" in refused.locator(".upload-row__error").inner_text()
    assert page.locator("#upload-status").inner_text() == "3 file(s) stored, 1 refused."
    screenshot(page, "upload-dropped")
    assert page.csp_violations == []


@pytest.mark.urls("tests.support.urls")
def test_each_file_s_kind_is_guessed_for_checking_and_an_unguessed_one_waits_to_be_chosen(page, live_server, member_a):
    sign_in(page, live_server.url, member_a.email)
    page.goto(f"{live_server.url}/test/upload/page/")
    page.wait_for_selector("form[data-enhanced=true]")
    files = [("front.png", "image/png", image_bytes("PNG")), ("scan-0001.pdf", "application/pdf", pdf_bytes())]
    transfer = page.evaluate_handle(DROP_SCRIPT, [{"name": n, "type": t, "data": base64.b64encode(b).decode()}
                                                  for n, t, b in files])  # fmt: skip
    page.dispatch_event("#upload-dropzone", "drop", {"dataTransfer": transfer})
    rows = page.locator("#upload-list li.upload-row")
    assert rows.nth(0).locator(".upload-row__kind").input_value() == "product"
    assert rows.nth(0).locator(".upload-row__guess").inner_text() == "Guessed from the file’s name and type: check it."
    assert rows.nth(1).locator(".upload-row__kind").input_value() == ""
    assert rows.nth(1).locator(".upload-row__guess").inner_text() == "Choose what this file shows."
    screenshot(page, "upload-kind-guessed")
    page.click("#upload-submit")
    assert page.locator("#upload-status").inner_text() == "Choose the kind of evidence of every file first."
    assert rows.nth(1).locator(".upload-row__kind").get_attribute("aria-invalid") == "true"
    assert page.locator("#upload-list li[data-state=queued]").count() == 2  # nothing was sent
    rows.nth(1).locator(".upload-row__kind").select_option("other")
    page.click("#upload-submit")
    expect(page.locator("#upload-list li[data-state=done]")).to_have_count(2)
    assert page.csp_violations == []


@pytest.mark.urls("tests.support.urls")
def test_without_javascript_the_plain_form_uploads(browser, live_server, member_a):
    page = new_page(browser, java_script_enabled=False)
    sign_in(page, live_server.url, member_a.email)
    page.goto(f"{live_server.url}/test/upload/page/")
    assert page.locator("#upload-dropzone").is_hidden()
    page.set_input_files("#id_files", [{"name": "order.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.select_option("#id_kind", "listing")
    page.click("#upload-submit")
    page.wait_for_url(f"{live_server.url}/test/upload/page/")
    message = page.locator(".message--success").inner_text()
    assert message == f"order.pdf was stored. SHA-256: {hashlib.sha256(pdf_bytes()).hexdigest()}"
    screenshot(page, "upload-plain-form")
    page.context.close()


@pytest.mark.urls("tests.support.urls")
def test_chosen_files_upload_like_dropped_ones(page, live_server, member_a):
    sign_in(page, live_server.url, member_a.email)
    page.goto(f"{live_server.url}/test/upload/page/")
    page.wait_for_selector("form[data-enhanced=true]")
    with page.expect_file_chooser() as chooser:
        page.click("#upload-choose")
    chooser.value.set_files([{"name": "receipt.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.click("#upload-submit")
    row = page.locator("#upload-list li.upload-row").first
    page.wait_for_selector("#upload-list li[data-state=done]")
    assert row.locator(".upload-row__hash").inner_text() == hashlib.sha256(pdf_bytes()).hexdigest()
    assert page.csp_violations == []


@pytest.mark.urls("tests.support.urls")
def test_csp_harness_reports_inline_code(page, live_server):
    page.goto(f"{live_server.url}/test/inline-code/")
    page.wait_for_load_state("load")
    assert page.title() == "untouched"
    assert any("script-src" in violation for violation in page.csp_violations)
    assert any("style-src" in violation for violation in page.csp_violations)


@pytest.fixture
def in_process_worker(settings):
    """This flow runs on the bare setup's in-process worker; compiles by a worker over Redis are tested in
    tests/system (the CI's second pass), where a real worker process is started."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("REDIS_URL is set: the Redis worker path is covered by tests/system")


def test_client_uploads_staff_compile_and_the_client_downloads_the_signed_bundle(
    browser, live_server, member_a, member_b, staff, matter_a, signing, in_process_worker
):
    from evidence.services import listing_record, seller_record
    from portal.models import Bundle

    make_right(matter_a.rights_holder, "CN", "trademark", title="ALPHA")
    seller, _ = seller_record(platform="alibaba", store_name="Glowhome", platform_seller_id="77")
    listing_record(matter=matter_a, url="https://www.alibaba.com/product-detail/x_1.html", seller=seller)
    matter_url = f"{live_server.url}/matters/{matter_a.reference}/"

    client = new_page(browser)
    sign_in(client, live_server.url, member_a.email)
    client.goto(matter_url)
    client.wait_for_selector("form[data-enhanced=true]")
    files = [{"name": n, "type": t, "data": base64.b64encode(b).decode()} for n, t, b in DROPPED[:3]]
    client.dispatch_event("#upload-dropzone", "drop", {"dataTransfer": client.evaluate_handle(DROP_SCRIPT, files)})
    client.click("#upload-submit")
    expect(client.locator("#upload-list li[data-state=done]")).to_have_count(3, timeout=20_000)
    screenshot(client, "matter-client-uploaded")
    assert client.csp_violations == []

    office = new_page(browser)
    sign_in_staff(office, live_server.url, staff.email)
    office.goto(matter_url)
    office.select_option("#id_platform", "alibaba")
    office.fill("#id_overrule", OVERRULED)  # the matter lacks proof; the gate is not what this walk is about
    office.click("#compile-bundle")
    office.wait_for_url(f"{matter_url}#bundles")
    expect(office.locator("#bundles .status--ready")).to_have_count(1, timeout=60_000)
    screenshot(office, "matter-staff-bundle-ready")
    office.context.close()

    client.goto(matter_url)
    with client.expect_download() as download_info:
        client.click("#bundles .bundle-download a")
    path = download_info.value.path()
    bundle = Bundle.objects.get()
    assert hashlib.sha256(Path(path).read_bytes()).hexdigest() == bundle.sha256
    client.context.close()

    other = new_page(browser)
    sign_in(other, live_server.url, member_b.email)
    assert other.goto(f"{live_server.url}/bundles/{bundle.pk}/download/").status == 404
    assert other.goto(matter_url).status == 404
    other.context.close()


def test_a_purchase_and_the_matter_each_take_files_in_their_own_drop_zone(browser, live_server, member_a, matter_a):
    """Two upload components on one page: each is enhanced once, and each sends to its own place."""
    from evidence.models import Exhibit
    from tests.evidence.factories import TestPurchaseFactory

    purchase = TestPurchaseFactory(matter=matter_a)
    page = new_page(browser)
    sign_in(page, live_server.url, member_a.email)
    page.goto(f"{live_server.url}/matters/{matter_a.reference}/")
    page.wait_for_selector(f"#upload-p{purchase.pk}-form[data-enhanced=true]")
    files = [{"name": n, "type": t, "data": base64.b64encode(b).decode()} for n, t, b in DROPPED[:1]]
    page.dispatch_event(f"#upload-p{purchase.pk}-dropzone", "drop",
                        {"dataTransfer": page.evaluate_handle(DROP_SCRIPT, files)})  # fmt: skip
    page.click(f"#upload-p{purchase.pk}-submit")
    expect(page.locator(f"#upload-p{purchase.pk}-list li[data-state=done]")).to_have_count(1, timeout=20_000)
    page.set_input_files("#upload-form input[type=file]", [{"name": "notes.txt", "mimeType": "text/plain",
                                                            "buffer": b"Seller notes"}])  # fmt: skip
    expect(page.locator("#upload-list li[data-state=queued]")).to_have_count(1)
    page.locator("#upload-list .upload-row__kind").select_option("other")  # a text file: no kind to guess
    page.click("#upload-submit")
    expect(page.locator("#upload-list li[data-state=done]")).to_have_count(1, timeout=20_000)
    screenshot(page, "matter-two-drop-zones")
    assert [e.purchase_id for e in Exhibit.objects.order_by("number")] == [purchase.pk, None]
    assert page.csp_violations == []
