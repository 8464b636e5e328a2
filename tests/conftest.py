import pytest

from localdev.alexa_apis import AlexaApis
from localdev.envelopes import Conversation
from tests.alexa_rules import response_problems
from tests.locales import LOCALES


@pytest.fixture(autouse=True)
def clean_skill(monkeypatch):
    """Each test gets a freshly built skill and no deployment settings unless it sets them."""
    import skill.app

    for name in ("SKILL_ID", "TABLE_NAME", "CLINIC_NAME", "CLINIC_PHONE", "CLINIC_BOOKING_URL"):
        monkeypatch.delenv(name, raising=False)
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


@pytest.fixture(params=LOCALES)
def talk(request):
    """A person talking to the skill on an Echo without a screen, in each English locale: every
    conversation test runs once per locale, matched against that locale's interaction model."""
    return Conversation(checked_handler, locale=request.param)


@pytest.fixture
def new_talk():
    """Make more conversations (another device, a screen, another locale)."""
    return lambda **options: Conversation(checked_handler, **options)


@pytest.fixture(scope="session")
def _alexa_apis_server():
    server = AlexaApis().start()
    yield server
    server.stop()


@pytest.fixture
def alexa_apis(_alexa_apis_server):
    """A local stand-in for Alexa's Reminders and Settings APIs (one server for the session,
    reset for each test): `Device(api_endpoint=alexa_apis.url)` sends the skill's calls there."""
    _alexa_apis_server.reset()
    return _alexa_apis_server
