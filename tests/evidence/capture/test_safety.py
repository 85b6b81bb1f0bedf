"""Which addresses the capture browser may fetch: only public ones, unless the allow-list names the host."""

import pytest

from evidence.capture.safety import Refused, check_url, refusal_for_address


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("169.254.169.254", "link-local"),
        ("10.0.0.1", "private"),
        ("192.168.1.5", "private"),
        ("172.16.0.9", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "reserved"),  # noqa: S104 - an address under test, not a binding
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "private"),
    ],
)
def test_non_public_addresses_are_refused_with_what_they_are(address, reason):
    assert reason in refusal_for_address(address)


def test_a_public_address_is_allowed():
    assert refusal_for_address("93.184.216.34") is None


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "data:,x"])
def test_only_http_and_https_are_fetched(url):
    with pytest.raises(Refused, match="Only http and https"):
        check_url(url)


def test_loopback_is_refused_by_default(settings):
    assert settings.PORTAL_CAPTURE_ALLOWED_HOSTS == []
    with pytest.raises(Refused, match="127.0.0.1, a loopback address"):
        check_url("http://127.0.0.1:8000/")


def test_a_name_that_resolves_to_loopback_is_refused(settings):
    with pytest.raises(Refused, match="localhost resolves to .*loopback"):
        check_url("http://localhost/")


def test_the_metadata_endpoint_is_refused():
    with pytest.raises(Refused, match="link-local"):
        check_url("http://169.254.169.254/latest/meta-data/")


def test_the_allow_list_lets_a_named_loopback_port_through_pinned_to_its_address(settings):
    settings.PORTAL_CAPTURE_ALLOWED_HOSTS = ["127.0.0.1:8443"]
    target = check_url("https://127.0.0.1:8443/item")
    assert (target.scheme, target.host, target.port, target.address) == ("https", "127.0.0.1", 8443, "127.0.0.1")


def test_another_port_of_an_allowed_host_stays_refused(settings):
    settings.PORTAL_CAPTURE_ALLOWED_HOSTS = ["127.0.0.1:8765"]
    assert check_url("http://127.0.0.1:8765/item").port == 8765
    with pytest.raises(Refused, match="127.0.0.1, a loopback address"):
        check_url("http://127.0.0.1:8000/admin/")  # the portal's own port beside the demo marketplace


def test_an_allow_list_entry_without_its_port_is_refused_at_start_up(tmp_path):
    import os
    import subprocess
    import sys

    from tests.support.services import PROJECT_DIR

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PORTAL_DATA_DIR": str(tmp_path),
           "PORTAL_CAPTURE_ALLOWED_HOSTS": "127.0.0.1"}  # fmt: skip
    started = subprocess.run([sys.executable, "manage.py", "check"], cwd=PROJECT_DIR, env=env, capture_output=True,
                             text=True, timeout=120)  # fmt: skip
    assert started.returncode != 0
    assert "PORTAL_CAPTURE_ALLOWED_HOSTS names each host with its port (127.0.0.1:8765)" in started.stderr


def test_an_unknown_host_is_refused_with_its_name():
    with pytest.raises(Refused, match="nothing-here.invalid could not be found"):
        check_url("http://nothing-here.invalid/")
