"""Both voices, on every run, whatever the machine's clock and TZ say.

Each conversation fixes the request timestamp and the device's time zone (the Settings API
stand-in answers it), so it is 03:00 or 15:00 where the device is. Run the suite under
`faketime` or with another `TZ` and these still hear what a person would at that hour.
"""

from datetime import datetime, timezone

import pytest

from localdev.envelopes import Device
from tests.words import STRETCH

SOFT = '<speak><prosody volume="soft" rate="90%">'
ZONE = "America/Chicago"
# 03:00 and 15:00 in Chicago on a winter day (UTC-6).
THREE_AM = datetime(2025, 1, 20, 9, 0, tzinfo=timezone.utc)
THREE_PM = datetime(2025, 1, 20, 21, 0, tzinfo=timezone.utc)


@pytest.fixture
def person_at(new_talk, alexa_api):
    def conversation(moment: datetime):
        alexa_api.time_zone = ZONE
        return new_talk(device=Device(api_endpoint=alexa_api.url), now=lambda: moment)
    return conversation


def test_at_three_in_the_morning_a_short_conversation_is_soft_throughout(person_at):
    talk = person_at(THREE_AM)
    answer = talk.say("i have a leg cramp")
    assert answer.ssml.startswith(SOFT) and answer.reprompt_ssml.startswith(SOFT)
    assert answer.text.startswith(STRETCH)
    step = talk.say("yes")
    assert step.ssml.startswith(SOFT)
    goodbye = talk.say("stop")
    assert goodbye.ssml.startswith(SOFT) and goodbye.ends_session


def test_at_three_in_the_afternoon_the_same_conversation_is_in_the_day_voice(person_at):
    talk = person_at(THREE_PM)
    answer = talk.say("i have a leg cramp")
    assert "<prosody" not in answer.ssml and "<prosody" not in answer.reprompt_ssml
    assert answer.text.startswith(STRETCH)
    assert "Most cramps ease on their own" in answer.text
    step = talk.say("yes")
    assert "<prosody" not in step.ssml
    goodbye = talk.say("stop")
    assert "<prosody" not in goodbye.ssml and goodbye.ends_session
