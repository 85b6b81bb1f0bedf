import pytest
from django.test.utils import override_settings


@pytest.fixture(scope="session")
def _media_url_of_another_host():
    """Let Django's live server start although the portal has no public media URL.

    The live server wraps the site in a handler that serves MEDIA_ROOT under MEDIA_URL; with MEDIA_URL None
    (evidence is never served publicly) that handler cannot start. While the server starts, MEDIA_URL names
    another host, so the handler hands every request to the portal and serves no file itself.
    """
    override = override_settings(MEDIA_URL="http://media.invalid/")
    override.enable()
    state = {"enabled": True}

    def restore() -> None:
        if state["enabled"]:
            override.disable()
            state["enabled"] = False

    yield restore
    restore()


@pytest.fixture(scope="session")
def live_server(_media_url_of_another_host, live_server):
    _media_url_of_another_host()  # the handler read MEDIA_URL when the server started; restore it at once
    return live_server
