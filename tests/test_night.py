"""A voice for the night: softly and briefly between 22:00 and 07:00 where the device is.

The device's time zone comes from the Alexa Settings API, played here by a local stand-in
(localdev.api_stand_in) that the request's apiEndpoint points at. A cramp answer never waits for
it: where the device's time zone is not known yet, it goes by the request's locale. So the tests
of the lookup ask something else first ("what causes leg cramps"), and the conversations at
night happen on a British device (en-GB) in London unless they say otherwise.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timezone

import pytest

from localdev.envelopes import DEFAULT_DEVICE_ID, Device
from localdev.measure import spoken_seconds, words_before_instruction
from skill.alexa.api_client import BoundedApiClient
from skill.local_time import likely_night
from tests.words import STRETCH

SOFT = '<speak><prosody volume="soft" rate="90%">'


def utc(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, 15, hour, minute, tzinfo=timezone.utc)


# The one line never whispered inside a soft answer: getting care now (responses/en-US/symptom/
# _care.ssml.j2 `aloud`).
ALOUD = '<prosody volume="medium" rate="100%">'


def soft(reply) -> bool:
    """Soft and slower around the whole answer; only a line about care now in the normal voice."""
    ssml = reply.ssml
    return ssml.startswith(SOFT) and ssml.count("<prosody") == 1 + ssml.count(ALOUD)


@pytest.fixture
def at(new_talk, alexa_api):
    """A conversation at a given UTC time, on a device in `time_zone`."""
    def conversation(hour: int, minute: int = 0, time_zone: str = "Europe/London", **options):
        alexa_api.time_zone = time_zone
        options.setdefault("locale", "en-GB")
        return new_talk(now=lambda: utc(hour, minute), **options)
    return conversation


def known(talk):
    """The conversation, once the skill has heard the device's time zone (a question that may
    wait for it)."""
    talk.say("what causes leg cramps")
    return talk


def test_at_three_in_the_morning_the_cramp_answer_is_soft_short_and_starts_with_the_stretch(at):
    reply = at(3).say("i have a leg cramp")
    assert soft(reply)
    assert reply.reprompt_ssml.startswith(SOFT)
    assert reply.text.startswith(STRETCH)
    assert words_before_instruction(reply.ssml) == 0
    assert "Most cramps ease" not in reply.text
    assert reply.text.endswith("Want me to talk you through it?")


def test_in_the_day_the_same_answer_is_in_the_usual_voice_and_a_little_longer(at):
    night = at(3).say("i have a leg cramp")
    day = at(14).say("i have a leg cramp")
    assert "<prosody" not in day.ssml and "<prosody" not in day.reprompt_ssml
    assert "Most cramps ease on their own" in day.text
    assert spoken_seconds(night.ssml) < spoken_seconds(day.ssml)


@pytest.mark.parametrize("hour, minute, time_zone, night", [
    (21, 59, "Europe/London", False),
    (22, 0, "Europe/London", True),
    (6, 59, "Europe/London", True),
    (7, 0, "Europe/London", False),
    # The device's time, not the server's: 03:00 UTC is 22:00 in New York, 12:00 in Tokyo;
    # 16:30 UTC is 22:00 in Kolkata.
    (3, 0, "America/New_York", True),
    (3, 0, "Asia/Tokyo", False),
    (16, 30, "Asia/Kolkata", True),
])
def test_night_is_from_ten_to_seven_local_time(at, hour, minute, time_zone, night):
    talk = at(hour, minute, time_zone)
    assert soft(talk.say("what causes leg cramps")) is night
    assert soft(talk.say("i have a leg cramp")) is night  # in the same session: known now


def test_a_whole_session_at_night_is_soft_and_asks_the_time_zone_once(at, alexa_api):
    talk = at(23, time_zone="Europe/London")
    said = [talk.say("walk me through a bedtime stretch")]
    while said[-1].attributes.get("walk") is not None:
        said.append(talk.say("next"))
    said.append(talk.say("no"))  # to the offer of a reminder
    assert said[-1].ends_session
    assert all(soft(reply) for reply in said)
    assert "You'll hold each stretch" not in said[0].text
    assert "That's your bedtime stretch done" in said[-2].text
    assert len(alexa_api.requests) == 1
    assert alexa_api.devices_asked == [DEFAULT_DEVICE_ID]
    assert alexa_api.requests[0].authorization == "Bearer local-development-token"


def test_a_new_session_within_the_hour_asks_nothing_and_after_it_asks_again(at, alexa_api,
                                                                           monkeypatch):
    from skill.time_zones import TIME_ZONES

    seconds = [0.0]
    monkeypatch.setattr(TIME_ZONES, "clock", lambda: seconds[0])
    talk = at(3)
    talk.say("what causes leg cramps")
    talk.say("stop")
    assert soft(talk.say("what causes leg cramps"))
    assert len(alexa_api.requests) == 1
    seconds[0] = 3601
    talk.say("stop")
    assert soft(talk.say("what causes leg cramps"))
    assert len(alexa_api.requests) == 2


def test_a_request_that_says_nothing_asks_nothing(at, alexa_api):
    talk = at(3)
    reply = talk.end("USER_INITIATED")
    assert reply.ssml is None
    assert alexa_api.requests == []


def test_repeat_says_it_again_in_the_same_voice_without_asking_again(at, alexa_api):
    talk = at(3)
    first = talk.say("what causes leg cramps")
    assert talk.say("repeat").ssml == first.ssml
    assert len(alexa_api.requests) == 1


@pytest.mark.parametrize("status", [500, 403, 401, 429])
def test_when_the_settings_api_fails_it_speaks_normally_and_logs_it(at, alexa_api, caplog,
                                                                     status):
    alexa_api.status = status
    talk = at(3)
    with caplog.at_level(logging.WARNING, logger="skill.local_time"):
        reply = talk.say("what causes leg cramps")
    assert reply.text and "<prosody" not in reply.ssml
    assert f"status {status}" in caplog.text
    # A failure is remembered for the session too: it is not asked again on every turn.
    talk.say("how do i prevent cramps")
    assert len(alexa_api.requests) == 1


def test_when_the_settings_api_is_too_slow_it_speaks_normally_and_logs_it(at, alexa_api, caplog,
                                                                          monkeypatch):
    monkeypatch.setenv("ALEXA_API_BUDGET", "0.1")
    alexa_api.delay = 5
    with caplog.at_level(logging.WARNING, logger="skill.local_time"):
        reply = at(3).say("what causes leg cramps")
    assert reply.text and "<prosody" not in reply.ssml
    assert "time zone lookup failed" in caplog.text and "timed out" in caplog.text


def test_an_answer_trickled_a_byte_at_a_time_holds_a_reply_only_for_the_budget(
        at, alexa_api, caplog, monkeypatch):
    """A byte every 20 ms keeps every read of the answer well within any per-read timeout; the
    whole answer would take about 3 s. The budget ends the call, not the server."""
    monkeypatch.setenv("ALEXA_API_BUDGET", "0.2")
    alexa_api.trickle = 0.02
    with caplog.at_level(logging.WARNING, logger="skill.local_time"):
        reply = at(3).launch()
    assert reply.text.endswith("What would you like?") and "<prosody" not in reply.ssml
    assert "time zone lookup failed" in caplog.text and "timed out" in caplog.text
    assert alexa_api.trickled.get(timeout=10) is False  # hung up with the answer half sent


@pytest.mark.parametrize("say", ["i have a leg cramp", "my leg is cramping",
                                 "what else can i do for the cramp"])
def test_a_cramp_answer_never_waits_for_the_settings_api(at, alexa_api, say):
    alexa_api.trickle = 0.02  # it would hold the answer for its whole budget
    talk = at(3)
    reply = talk.say(say)
    assert soft(reply)  # 3 a.m. in the United Kingdom: night, without asking
    assert alexa_api.requests == []
    if not reply.ends_session:
        assert soft(talk.say("yes"))  # talked through it: still in the cramp, still not asked
        assert alexa_api.requests == []


def test_a_night_fallback_with_nothing_known_says_what_to_do_without_asking(at, alexa_api):
    alexa_api.trickle = 0.02
    reply = at(3).intent("AMAZON.FallbackIntent")
    assert soft(reply) and reply.text.startswith("If you have a cramp: " + STRETCH)
    assert alexa_api.requests == []


@pytest.mark.parametrize("locale, hour, night", [
    ("en-GB", 3, True), ("en-GB", 14, False),
    ("en-IN", 17, True),                 # 22:30 in Kolkata
    ("en-IN", 14, False),                # 19:30
    ("en-US", 17, False),                # noon in New York, 9:00 in Los Angeles
    ("en-US", 14, True),                 # 9:00 in New York, but 6:00 in Los Angeles
    ("en-US", 3, True),                  # 22:00 in New York
    ("en-CA", 20, False),
    ("en-AU", 1, False),                 # noon in Sydney, 9:00 in Perth
    ("en-AU", 12, True),                 # 23:00 in Sydney
    ("de-DE", 12, True),                 # a country the skill knows no time zones of
])
def test_where_the_time_zone_is_not_known_a_cramp_answer_goes_by_the_locale(
        at, alexa_api, locale, hour, night):
    assert soft(at(hour, locale=locale).say("i have a leg cramp")) is night
    assert likely_night(locale, utc(hour)) is night
    assert alexa_api.requests == []


def test_once_the_time_zone_is_known_a_cramp_answer_goes_by_it(at, alexa_api):
    # 23:00 in January in London, on an American device: 18:00 in New York, 15:00 in Los Angeles.
    talk = known(at(23, locale="en-US"))
    assert soft(talk.say("i have a leg cramp"))
    # A new session from the same device, within the hour: the container remembers the zone.
    assert soft(at(23, locale="en-US").say("i have a leg cramp"))
    assert len(alexa_api.requests) == 1
    # Another device: not known, so the locale is the guide.
    other = Device(device_id="amzn1.ask.device.OTHER", api_endpoint=alexa_api.url)
    assert not soft(at(23, locale="en-US", device=other).say("i have a leg cramp"))
    assert len(alexa_api.requests) == 1


@pytest.mark.parametrize("device", [Device(device_id=""), Device(api_access_token="")],
                         ids=["no device id", "no API token"])
def test_without_a_device_id_or_token_it_does_not_ask_and_speaks_normally(at, alexa_api, caplog,
                                                                          device):
    device = Device(device_id=device.device_id, api_access_token=device.api_access_token,
                    api_endpoint=alexa_api.url)
    with caplog.at_level(logging.WARNING, logger="skill.local_time"):
        reply = at(3, device=device).say("what causes leg cramps")
    assert reply.text and "<prosody" not in reply.ssml
    assert alexa_api.requests == []
    assert "no device id or API token" in caplog.text


def test_when_the_api_endpoint_cannot_be_reached_it_speaks_normally(at):
    talk = at(3, device=Device(api_endpoint="http://127.0.0.1:9"))
    reply = talk.say("what causes leg cramps")
    assert reply.text and "<prosody" not in reply.ssml
    assert talk.say("i have a leg cramp").text.startswith(STRETCH)


@pytest.mark.parametrize("answer", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
def test_a_time_zone_that_is_not_one_means_the_day_voice(at, alexa_api, answer):
    reply = at(3, time_zone=answer).say("what causes leg cramps")
    assert "<prosody" not in reply.ssml


@pytest.mark.parametrize("damaged", ["Mars/Olympus_Mons", "/etc/localtime", 42, None])
def test_a_damaged_time_zone_in_the_session_is_not_trusted(at, alexa_api, damaged):
    talk = at(3)
    talk.say("walk me through a bedtime stretch")
    talk.attributes["time_zone"] = damaged
    reply = talk.say("next")
    assert reply.text.startswith("Right calf")
    # A damaged value is dropped and asked for again; an unusable name means the day voice.
    assert soft(reply) is (damaged in (42, None))


def test_the_stand_in_answers_only_what_the_settings_api_would(alexa_api):
    def get(path, token="Bearer t"):
        request = urllib.request.Request(alexa_api.url + path,
                                         headers={"Authorization": token} if token else {})
        try:
            with urllib.request.urlopen(request, timeout=2) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    assert get("/v2/devices/d1/settings/System.timeZone") == (200, "Europe/London")
    assert get("/v2/devices/d1/settings/System.timeZone", token=None)[0] == 401
    assert get("/v2/devices/d1/settings/System.distanceUnits")[0] == 404
    assert alexa_api.devices_asked == ["d1"]


@pytest.mark.parametrize("setting, seconds", [("0.25", 0.25), ("abc", 1.0), ("-1", 1.0),
                                              ("nan", 1.0), ("60", 1.0)])
def test_the_api_budget_is_configurable_and_a_bad_value_keeps_the_default(monkeypatch, setting,
                                                                           seconds):
    monkeypatch.setenv("ALEXA_API_BUDGET", setting)
    assert BoundedApiClient().budget == seconds
