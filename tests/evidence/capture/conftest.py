import pytest

from evidence.capture.browser import CaptureBrowser
from evidence.demo_marketplace import Marketplace
from tests.conftest import require_service
from tests.support.marketplace import make_certificate, server_tls


@pytest.fixture(scope="module")
def market():
    marketplace = Marketplace().start()
    yield marketplace
    marketplace.stop()


@pytest.fixture(scope="module")
def market_certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("market-tls"))


@pytest.fixture(scope="module")
def tls_market(market_certificate):
    marketplace = Marketplace(tls=server_tls(market_certificate)).start()
    yield marketplace
    marketplace.stop()


@pytest.fixture(scope="module")
def capture_browser(django_settings_module_chromium):
    browser = CaptureBrowser()
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def django_settings_module_chromium():
    from pathlib import Path

    from django.conf import settings

    require_service(Path(settings.PORTAL_CHROMIUM_PATH).exists(), "Chromium is missing (Debian package chromium)")


@pytest.fixture
def capture_allowed(settings, market, tls_market, market_certificate, signing):
    """Captures may reach the fake marketplaces on loopback (their ports only), trust their test CA, and sign
    their records."""
    settings.PORTAL_CAPTURE_ALLOWED_HOSTS = [f"127.0.0.1:{market.port}", f"127.0.0.1:{tls_market.port}"]
    settings.PORTAL_CAPTURE_CA_FILE = str(market_certificate.ca_file)
    return settings
