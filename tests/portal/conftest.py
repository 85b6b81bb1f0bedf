import pytest

from tests.ownership.factories import make_right


@pytest.fixture
def right_a(matter_a):
    return make_right(matter_a.rights_holder, "CN", "trademark", title="A")


@pytest.fixture
def sent(monkeypatch):
    """The bundle ids handed to the broker, without running a compile."""
    ids: list[int] = []
    monkeypatch.setattr("portal.tasks.bundle_compile_task.delay", ids.append)
    return ids
