"""The demo page's server (demo/): its answers through the real Lambda entry point, the speech
plan a browser paces itself by, and the guard around it. The page itself, in a real browser, is
tests/test_demo_page.py."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

import pytest

from demo import speech_plan
from demo.server import DemoServer
from demo.talk import EXAMPLE_CLINIC, MovingClock
from tests.demo_server import running_demo
from tests.locales import EMERGENCY
from tests.words import STRETCH

NIGHT = '<speak><prosody volume="soft" rate="90%">'


# --- the speech plan ---------------------------------------------------------------------------

def test_every_pause_is_kept_for_its_seconds_between_the_words_around_it():
    items = speech_plan.plan('<speak>Hold it there. <break time="10s"/> Keep holding. '
                             '<break time="500ms"/> And relax.</speak>')
    assert [(item.kind, getattr(item, "text", None)) for item in items] == [
        ("speech", "Hold it there."), ("pause", None), ("speech", "Keep holding."),
        ("pause", None), ("speech", "And relax.")]
    assert [item.seconds for item in items if item.kind == "pause"] == [10, 0.5]


def test_the_night_voice_is_softer_and_slower_and_takes_longer():
    day = speech_plan.plan("<speak>Straighten your leg and pull your toes up.</speak>")[0]
    night = speech_plan.plan(f"{NIGHT}Straighten your leg and pull your toes up."
                             "</prosody></speak>")[0]
    assert (night.volume, night.rate) == (speech_plan.VOLUMES["soft"], 0.9)
    assert day.volume > night.volume and day.rate == 1.0
    assert night.seconds == pytest.approx(day.seconds / 0.9, rel=0.01)


def test_digits_are_spoken_one_by_one_and_an_alias_instead_of_its_text():
    said = speech_plan.plan('<speak>Call <say-as interpret-as="digits">999</say-as> or '
                            '<sub alias="triple zero">000</sub>, or '
                            '<say-as interpret-as="telephone">555 0100</say-as>.</speak>')[0]
    assert said.text == "Call 999 or 000, or 555 0100."
    assert said.say == "Call 9 9 9 or triple zero, or 5 5 5 0 1 0 0."


def test_a_whisper_and_markup_in_the_words_are_read_as_words():
    items = speech_plan.plan('<speak>A &amp; B &lt;b&gt; <amazon:effect name="whispered">quiet'
                             '</amazon:effect> <audio src="https://example.com/a.mp3"/></speak>')
    assert items[0].text == "A & B <b>"
    assert items[1].whispered and items[1].volume < items[0].volume
    assert items[2].kind == "sound"


def test_the_words_before_a_hold_take_as_long_as_the_screen_waits_before_its_countdown(
        new_talk):
    from localdev.envelopes import Device

    talk = new_talk(device=Device(screen=True))
    talk.say("i have a leg cramp")
    reply = talk.say("yes")
    screen = reply.directives[-1]["datasources"]["screen"]["properties"]
    items = speech_plan.plan(reply.ssml)
    assert items[1].kind == "pause"
    assert round(items[0].seconds * 1000) == screen["startsAfterMs"]
    assert sum(item.seconds for item in items if item.kind == "pause") == screen["holdSeconds"]


def test_the_device_clock_runs_with_real_time_and_what_was_skipped():
    from datetime import datetime, timezone

    now = [100.0]
    clock = MovingClock(datetime(2024, 6, 14, 3, 0, tzinfo=timezone.utc), lambda: now[0])
    now[0] += 4
    clock.advance(26)
    clock.advance(-5)  # never back
    assert clock().strftime("%H:%M:%S") == "03:00:30"


# --- the server ----------------------------------------------------------------------------------

class Page:
    """What the page's script does: posts JSON to the demo server, as its own origin."""

    def __init__(self, server: DemoServer):
        self.url = server.url.rstrip("/")
        self.talk = None

    def post(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, dict]:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Origin": self.url, **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def start(self, **settings) -> dict:
        # 22:30 unless a test says: the answers must not depend on when the suite runs.
        settings = {"time_zone": "Europe/London", "time": "22:30", **settings}
        status, answer = self.post("/api/talks", {"settings": settings})
        assert status == 200
        self.talk = answer["talk"]
        return answer

    def say(self, words: str, skipped: float = 0) -> dict:
        status, answer = self.post(f"/api/talks/{self.talk}/say",
                                   {"words": words, "skipped": skipped})
        assert status == 200, answer
        return answer

    def change(self, **settings) -> dict:
        return self.post(f"/api/talks/{self.talk}/settings", settings)[1]


@pytest.fixture
def server():
    with running_demo() as server:
        yield server


@pytest.fixture
def page(server):
    return Page(server)


def test_at_three_in_the_morning_the_stretch_comes_first_softly_and_the_mic_stays_open(page):
    page.start(time="03:00", screen=True)
    answer = page.say("i have a leg cramp")
    assert answer["heard"]["intent"] == "LegCrampIntent"
    assert answer["speech"]["text"].startswith(STRETCH)
    assert answer["speech"]["ssml"].startswith(NIGHT)
    assert not answer["ends_session"] and answer["reprompt"]["text"]
    assert answer["at"].startswith("03:00")
    assert answer["screen"]["document"]["type"] == "APL"
    assert answer["screen"]["datasources"]["screen"]["properties"]["night"] is True


def test_yes_starts_the_hold_and_the_clock_moves_on_by_what_was_skipped(page):
    page.start(time="03:00", screen=False)
    page.say("i have a leg cramp")
    answer = page.say("yes", skipped=40)
    pauses = [item["seconds"] for item in answer["speech"]["plan"] if item["kind"] == "pause"]
    assert sum(pauses) == 30 and max(pauses) <= 10
    assert answer["screen"] is None
    assert answer["at"] >= "03:00:40"
    assert answer["request"]["request"]["intent"]["name"] == "AMAZON.YesIntent"
    assert answer["request"]["session"]["new"] is False


def test_words_the_model_does_not_know_go_to_the_fallback_as_on_a_device(page):
    page.start(time="03:00")
    answer = page.say("the quick brown fox")
    assert answer["heard"]["intent"] == "AMAZON.FallbackIntent"
    assert STRETCH in answer["speech"]["text"]


@pytest.mark.parametrize("locale", ["en-GB", "en-AU"])
def test_another_locale_ends_the_session_and_gives_its_own_emergency_number(page, locale):
    page.start(time="03:00")
    page.say("i have a leg cramp")
    changed = page.change(locale=locale)
    assert changed["ended"] is True and changed["settings"]["locale"] == locale
    answer = page.say("i have chest pain")
    assert answer["speech"]["text"].startswith(f"Call {EMERGENCY[locale]} now")
    assert answer["ends_session"] is True
    assert answer["request"]["request"]["locale"] == locale


def test_the_clinics_details_are_the_deployments_and_only_while_switched_on(page):
    page.start()
    assert page.change(clinic=True)["settings"]["clinic_details"]["name"] == \
        EXAMPLE_CLINIC["CLINIC_NAME"]
    page.say("should i see a doctor")
    for answer in ("yes", "no", "no", "no", "no"):
        page.say(answer)
    booked = page.say("yes")
    assert EXAMPLE_CLINIC["CLINIC_NAME"] in booked["speech"]["text"]
    assert "CLINIC_NAME" not in os.environ  # the process's own environment is left as it was
    page.change(clinic=False)
    page.say("should i see a doctor")
    for answer in ("yes", "no", "no", "no", "no"):
        page.say(answer)
    assert EXAMPLE_CLINIC["CLINIC_NAME"] not in page.say("yes")["speech"]["text"]


def test_alexa_asks_for_the_reminders_permission_herself_and_a_yes_grants_it(page, server):
    page.start(time="22:30")
    asked = page.say("remind me to stretch at nine p m every night")
    assert asked["permission"]["text"].startswith("Leg Cramp Helper would like")
    assert asked["ends_session"] is False
    answer = page.say("yes")
    assert answer["heard"] == {"words": "yes", "request": "Connections.Response",
                               "permission": "ACCEPTED"}
    assert "every night at 9 PM" in answer["speech"]["text"]
    assert len(server.alexa_api.reminders) == 1


def test_silence_after_the_reprompt_ends_the_session_as_alexa_does(page):
    page.start()
    page.say("i have a leg cramp")
    status, ended = page.post(f"/api/talks/{page.talk}/end", {"reason": "EXCEEDED_MAX_REPROMPTS"})
    assert (status, ended) == (200, {"ended": True})
    assert page.say("yes")["request"]["session"]["new"] is True


def test_the_page_and_the_renderer_are_served_with_nothing_allowed_off_this_machine(server):
    with urllib.request.urlopen(server.url, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        assert b'src="/demo.js"' in response.read()
    assert "connect-src 'self' data:" in policy and "default-src 'none'" in policy
    with urllib.request.urlopen(server.url + "vendor/apl-viewhost-web.js", timeout=30) as response:
        script = response.read().decode()
    assert "AplRenderer" in script
    assert ".ttf')" not in script and "local('Liberation Sans Bold')" in script


@pytest.mark.parametrize("headers, status", [
    ({"Host": "evil.example"}, 421),
    ({"Origin": "http://evil.example"}, 403),
    ({"Content-Type": "text/plain"}, 415),
])
def test_requests_from_elsewhere_are_refused(page, headers, status):
    assert page.post("/api/talks", {}, headers)[0] == status


def test_a_conversation_the_server_does_not_have_and_empty_words_are_refused(page):
    page.start()
    assert page.post("/api/talks/nope/say", {"words": "hi"})[0] == 404
    assert page.post(f"/api/talks/{page.talk}/say", {"words": "  "})[0] == 400


def test_what_the_model_heard_is_shown_with_its_slots(page):
    page.start()
    answer = page.say("i have a cramp in my feet")
    assert answer["heard"] == {"words": "i have a cramp in my feet", "request": "IntentRequest",
                               "intent": "LegCrampIntent", "slots": {"Muscle": "foot"}}
    assert page.say("open leg cramp helper")["heard"]["request"] == "LaunchRequest"
