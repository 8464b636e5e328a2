import pytest

from localdev.envelopes import Conversation
from tests.alexa_rules import response_problems


@pytest.fixture(autouse=True)
def clean_skill(monkeypatch, tmp_path):
    """Each test gets a freshly built skill, no deployment settings unless it sets them, and an
    empty local store of its own (never the worktree's data/ folder)."""
    import skill.app

    for name in ("SKILL_ID", "TABLE_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(skill.app, "_SKILL", None)
    yield
    skill.app._SKILL = None


def checked_handler(event, context):
    """The real Lambda entry point, with Alexa's response rules asserted on every answer."""
    from skill.app import handler

    raw = handler(event, context)
    problems = response_problems(event, raw)
    assert not problems, f"{event['request']['type']}: {problems}"
    return raw


@pytest.fixture
def talk():
    """A person talking to the skill on an Echo without a screen."""
    return Conversation(checked_handler)


@pytest.fixture
def new_talk():
    """Make more conversations (another device, a screen, another locale)."""
    return lambda **options: Conversation(checked_handler, **options)


@pytest.fixture(scope="session")
def moto_server():
    """One DynamoDB-compatible server on loopback for the whole run, with the skill's table."""
    from tests.moto_server import MotoServer

    server = MotoServer()
    server.table = server.create_table("leg-cramp-helper-memory")
    yield server
    server.stop()
