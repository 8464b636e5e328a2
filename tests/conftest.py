import pytest

from localdev.api_stand_in import AlexaApiStandIn
from localdev.envelopes import Conversation, Device
from localdev.alexa_rules import response_problems
from tests import locales

# When the tests talk, unless they say otherwise: the day, both in the stand-in's time zone and
# across the locale's country (tests/locales.py), so the skill speaks in its day voice whatever
# the machine's clock says. DAYTIME is the default locale's (en-US).
DAYTIME = locales.DAYTIME["en-US"]


@pytest.fixture(autouse=True)
def clean_skill(monkeypatch, tmp_path):
    """Each test gets a freshly built skill, no deployment settings unless it sets them, and an
    empty local store of its own (never the worktree's data/ folder)."""
    import skill.app
    from skill.time_zones import TIME_ZONES

    for name in ("SKILL_ID", "TABLE_NAME", "LOG_SALT", "CLINIC_NAME", "CLINIC_PHONE",
                 "CLINIC_BOOKING_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    # Set, not removed, so that what a test changes (the chat console quietens it) is undone.
    monkeypatch.setenv("LOG_LEVEL", "INFO")
    monkeypatch.setattr(skill.app, "_SKILL", None)
    TIME_ZONES.clear()  # what one test's devices said is not another's
    yield
    skill.app._SKILL = None
    TIME_ZONES.clear()


def checked_handler(event, context):
    """The real Lambda entry point, with Alexa's response rules asserted on every answer."""
    from skill.app import handler

    raw = handler(event, context)
    problems = response_problems(event, raw)
    assert not problems, f"{event['request']['type']}: {problems}"
    return raw


@pytest.fixture(scope="session")
def alexa_api_server():
    with AlexaApiStandIn() as server:
        yield server


@pytest.fixture
def alexa_api(alexa_api_server):
    """The local stand-in for Alexa's APIs (localdev.api_stand_in), fresh for each test."""
    alexa_api_server.reset()
    yield alexa_api_server
    alexa_api_server.reset()


@pytest.fixture
def talk(alexa_api):
    """A person talking to the skill in en-US on an Echo without a screen, in the day. A
    conversation is tested once; what differs between locales (emergency numbers, services,
    the name of a doctor, each model's own phrasings) is tested per locale as facts, in
    tests/test_locales.py and tests/test_phrasings.py."""
    return Conversation(checked_handler, locale="en-US",
                        device=Device(api_endpoint=alexa_api.url), now=lambda: DAYTIME)


@pytest.fixture
def new_talk(alexa_api):
    """Make more conversations (another device, a screen, another locale, another time). A
    Device of your own should point `api_endpoint` at `alexa_api.url`."""
    def conversation(**options):
        options.setdefault("device", Device(api_endpoint=alexa_api.url))
        daytime = locales.DAYTIME.get(options.get("locale"), DAYTIME)
        options.setdefault("now", lambda: daytime)
        return Conversation(checked_handler, **options)
    return conversation


@pytest.fixture(scope="session")
def moto_server():
    """One DynamoDB-compatible server on loopback for the whole run, with the skill's table."""
    from tests.moto_server import MotoServer

    server = MotoServer()
    server.table = server.create_table("leg-cramp-helper-memory")
    yield server
    server.stop()
