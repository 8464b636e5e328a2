"""When the skill is unsure what was said (AMAZON.FallbackIntent, and "not sure" with no
question to answer): safe before helpful. To someone who may be in pain, what to do and the
safety line first, then one short question; elsewhere one sentence of what it can do."""

from datetime import datetime, timezone

import pytest

from tests.words import STRETCH

SAFETY = ("If a cramp lasts more than ten minutes, or your leg is swollen, red or warm, "
          "get medical help.")
NEVER = ("Sorry, I can't help with that", "Sorry, I didn't catch that")


@pytest.fixture
def at_night(new_talk, alexa_api):
    alexa_api.time_zone = "Europe/London"
    return lambda **options: new_talk(
        now=lambda: datetime(2024, 1, 15, 3, 0, tzinfo=timezone.utc), **options)


def cramp_first(reply) -> bool:
    return STRETCH in reply.text.split(".")[0] and SAFETY in reply.text


@pytest.mark.parametrize("unsure", ["AMAZON.FallbackIntent", "UnsureIntent"])
def test_at_night_with_nothing_known_it_says_what_to_do_first(at_night, unsure):
    talk = at_night()
    reply = talk.intent(unsure)  # "my calf seized up", as a one-shot the model did not match
    assert reply.text.startswith(f"If you have a cramp: {STRETCH}")
    assert SAFETY in reply.text
    assert reply.text.endswith("Want me to talk you through it? Say yes or no.")
    assert not any(words in reply.text for words in NEVER)
    assert "Okay, let's ease it together" in talk.say("yes").text


def test_at_night_after_the_welcome_too(at_night):
    talk = at_night()
    talk.launch()
    assert cramp_first(talk.intent("AMAZON.FallbackIntent"))


def test_after_the_cramp_answer_it_says_the_stretch_again_without_sorry(talk):
    talk.say("i have a cramp in my foot")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("Pull your toes up toward your shin")
    assert SAFETY in reply.text and not any(words in reply.text for words in NEVER)
    assert reply.attributes["question"] == "offer_relief"


def test_in_the_day_with_nothing_known_one_sentence_of_what_it_can_do(talk):
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text == ("Sorry, I didn't catch that. If you have chest pain or trouble "
                          "breathing, call 911 now. If a calf or leg is swollen, red or warm, get "
                          "medical help today. I can help with a leg cramp right now, walk you "
                          "through a bedtime stretch, or tell you how to prevent cramps and when "
                          "to see a "
                          f"{'GP' if talk.locale in ('en-GB', 'en-AU') else 'doctor'}. "
                          "What would you like?")
    assert not reply.ends_session


def test_inside_the_bedtime_stretch_it_says_how_to_go_on(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert "next" in reply.text and reply.text.endswith("Shall we carry on?")


def test_after_should_i_see_a_doctor_it_keeps_the_safety_line(talk):
    talk.say("should i see a doctor")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith(SAFETY)
    assert reply.attributes["question"] == "offer_triage"


def test_not_sure_with_nothing_to_answer_is_as_if_not_understood(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("UnsureIntent")
    assert reply.text.startswith(STRETCH) and SAFETY in reply.text


@pytest.mark.parametrize("setup", [
    [], ["i have a leg cramp"], ["i have a leg cramp", "yes"], ["should i see a doctor"],
    ["should i see a doctor", "yes"], ["walk me through a bedtime stretch"],
    ["how do i prevent cramps"], ["what causes leg cramps"],
])
def test_it_never_opens_with_sorry_i_cant_help_with_that(talk, at_night, setup):
    for conversation in (talk, at_night()):
        for words in setup:
            conversation.say(words)
        reply = conversation.intent("AMAZON.FallbackIntent")
        assert not reply.text.startswith("Sorry, I can't help with that")
        assert not reply.ends_session and reply.reprompt_text
