import pytest

from ownership.models import IPRight


@pytest.fixture
def right_a(matter_a):
    return IPRight.objects.create(rights_holder=matter_a.rights_holder, kind="trademark", jurisdiction="CN", title="A")


@pytest.fixture
def sent(monkeypatch):
    """The bundle ids handed to the broker, without running a compile."""
    ids: list[int] = []
    monkeypatch.setattr("portal.tasks.bundle_compile_task.delay", ids.append)
    return ids
