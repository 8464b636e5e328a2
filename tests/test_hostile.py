"""Hostile and broken input through the real Lambda entry point (Hypothesis).

Whatever arrives, the skill answers with a valid Alexa response whose every SSML is valid, or,
when it knows its own id, refuses a request that is not for it. The envelopes come from
`localdev.fuzz`, which `benchmarks/fuzz.py` runs for much longer.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skill.app
from localdev import fuzz
from localdev.envelopes import DEFAULT_SKILL_ID, Conversation, Device
from localdev.measure import words_before_instruction
from skill.app import RequestRefused, handler
from localdev.alexa_rules import response_problems

BOUNDED = settings(max_examples=300, deadline=None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.function_scoped_fixture])

_SKILLS: dict = {}


def use_skill(skill_id):
    """The container's skill, built once per id for the whole module: as a Lambda container
    with or without `SKILL_ID` would have it."""
    if skill_id not in _SKILLS:
        _SKILLS[skill_id] = skill.app.build_skill(skill_id)
    skill.app._SKILL = _SKILLS[skill_id]


def offline_talk():
    """A conversation whose Alexa API endpoint refuses at once: no run waits on a network."""
    return Conversation(handler, device=Device(api_endpoint="http://127.0.0.1:9"))


def assert_handled(event, skill_id):
    use_skill(skill_id)
    assert fuzz.problems(handler, event, skill_id, RequestRefused, response_problems) == []


@BOUNDED
@given(event=fuzz.envelopes(), knows_its_id=st.booleans())
def test_any_envelope_is_answered_validly_or_refused_if_not_for_this_skill(event, knows_its_id):
    assert_handled(event, DEFAULT_SKILL_ID if knows_its_id else None)


@BOUNDED
@given(muscle=fuzz.slot_fills("MUSCLE"), attributes=fuzz.old_attributes())
def test_mid_cramp_whatever_was_heard_and_remembered_the_first_words_say_what_to_do(
        muscle, attributes):
    use_skill(None)
    talk = offline_talk()
    event = talk.intent_request("LegCrampIntent", {"Muscle": muscle})
    event["session"]["new"] = False
    event["session"]["attributes"] = attributes
    raw = handler(event, None)
    assert response_problems(event, raw) == []
    ssml = raw["response"]["outputSpeech"]["ssml"]
    assert words_before_instruction(ssml) is not None
    assert words_before_instruction(ssml) <= 8


@BOUNDED
@given(attributes=fuzz.old_attributes(),
       intent=st.sampled_from(fuzz.MODEL_INTENTS + fuzz.BUILTIN_INTENTS))
def test_attributes_from_an_older_or_damaged_version_never_break_a_turn(attributes, intent):
    use_skill(None)
    talk = offline_talk()
    event = talk.intent_request(intent)
    event["session"]["new"] = False
    event["session"]["attributes"] = attributes
    raw = handler(event, None)
    assert response_problems(event, raw) == []


@BOUNDED
@given(event=fuzz.envelopes())
def test_a_request_for_another_skill_is_refused_before_any_handler(event, monkeypatch):
    if fuzz.for_this_skill(event, DEFAULT_SKILL_ID):
        return
    use_skill(DEFAULT_SKILL_ID)
    ran = []
    with monkeypatch.context() as patch:
        patch.setattr(skill.app._SKILL, "invoke", lambda **kwargs: ran.append(kwargs))
        with pytest.raises(RequestRefused):
            handler(event, None)
    assert ran == []


@pytest.mark.parametrize("remembered", [
    "\x13 not speech", "<speak><b></speak>", "<speak><speak>Nested?</speak></speak>",
    "<speak><b>Bold?</b></speak>", "<speak>" + "Again? " * 1200 + "</speak>",
])
def test_repeat_never_says_damaged_remembered_speech(talk, remembered):
    # Found by the fuzzer: "repeat" spoke back whatever the session attributes held.
    talk.launch()
    talk.attributes = {"last_speech": remembered, "last_reprompt": "<speak>Well?</speak>"}
    reply = talk.say("repeat")
    assert "If you have one now" in reply.text and not reply.ends_session


@pytest.mark.parametrize("request_type, answered", [
    ("SessionEndedRequest", {}),
    ("CanFulfillIntentRequest", {"canFulfillIntent": {"canFulfill": "NO"}}),
])
def test_an_unreadable_request_nobody_listens_to_gets_no_speech(request_type, answered):
    # Found by the fuzzer: a SessionEndedRequest the SDK could not read (a malformed timestamp)
    # was answered with speech, and so was a CanFulfillIntentRequest, which needs an answer.
    use_skill(None)
    event = offline_talk().envelope({"type": request_type, "intent": {"name": "LegCrampIntent"}})
    event["request"]["timestamp"] = "not a time"
    raw = handler(event, None)
    assert raw["response"] == answered
    assert response_problems(event, raw) == []
