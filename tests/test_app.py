"""The Lambda entry point itself: skill id, unreadable envelopes, failures, old attributes."""

import pytest

import skill.app
from localdev.envelopes import Conversation, SlotFill
from skill.app import RequestRefused, handler
from skill.conversation.relief import LegCrampHandler
from localdev.alexa_rules import response_problems
from tests.words import STRETCH

THIS_SKILL = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def test_with_skill_id_set_a_request_for_another_skill_is_refused_before_any_handler(
        monkeypatch):
    monkeypatch.setenv("SKILL_ID", THIS_SKILL)
    ran = []
    monkeypatch.setattr(LegCrampHandler, "handle", lambda self, handler_input: ran.append(1))
    other = Conversation(handler, skill_id="amzn1.ask.skill.someone-else")
    with pytest.raises(RequestRefused):
        other.intent("LegCrampIntent")
    assert ran == []


def test_with_skill_id_set_its_own_requests_are_answered(monkeypatch):
    monkeypatch.setenv("SKILL_ID", THIS_SKILL)
    reply = Conversation(handler, skill_id=THIS_SKILL).intent("LegCrampIntent")
    assert reply.text.startswith(STRETCH)


def test_with_skill_id_set_a_request_with_no_application_id_is_refused(monkeypatch):
    monkeypatch.setenv("SKILL_ID", THIS_SKILL)
    event = Conversation(handler, skill_id=THIS_SKILL).intent_request("LegCrampIntent")
    del event["context"]
    del event["session"]["application"]
    with pytest.raises(RequestRefused):
        handler(event, None)


@pytest.mark.parametrize("event", [
    None, [], "LegCrampIntent", {}, {"request": None}, {"request": {"type": 7}},
    {"version": "1.0", "request": {"type": "IntentRequest"}, "context": "garbage"},
])
def test_an_unreadable_envelope_still_gets_a_calm_spoken_answer(event):
    raw = handler(event, None)
    assert response_problems({"request": {"type": "IntentRequest"}}, raw) == []
    text = raw["response"]["outputSpeech"]["ssml"]
    assert STRETCH in text


def test_a_crash_mid_cramp_still_says_how_to_stretch(talk, monkeypatch):
    def broken(self, handler_input):
        raise RuntimeError("template store on fire")

    monkeypatch.setattr(LegCrampHandler, "handle", broken)
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill("calf", "CALF"))
    assert reply.text.startswith(STRETCH)
    assert "get medical help" in reply.text
    assert not reply.ends_session


def test_a_crash_elsewhere_is_calm_without_cramp_advice(talk, monkeypatch):
    from skill.conversation.advice import CausesHandler

    monkeypatch.setattr(CausesHandler, "handle", lambda self, handler_input: 1 / 0)
    reply = talk.say("what causes leg cramps")
    assert reply.text.startswith("Sorry, something went wrong")


def test_attributes_from_an_older_version_or_damaged_are_survived(talk):
    talk.launch()
    talk.attributes = {"question": 42, "walk": {"routine": "yoga", "step": "three"},
                       "triage_step": -1, "topic": ["cramp"], "last_speech": None,
                       "muscle": {"x": 1}}
    assert "I have a cramp" in talk.say("yes").text
    talk.attributes = {"question": "walk_continue", "walk": {"routine": "bedtime", "step": 99}}
    assert talk.say("next").text.startswith("We're not in a stretch routine")


def test_the_skill_is_built_once_per_container(talk):
    talk.launch()
    built = skill.app._SKILL
    talk.say("help")
    assert skill.app._SKILL is built
