"""Launch, help, stop, repeat, fallback, and the requests with no words at all."""

import pytest

from localdev.alexa_rules import response_problems
from tests.locales import DOCTOR


def test_launch_says_what_it_can_do_and_asks(talk):
    reply = talk.say("open leg cramp helper")
    assert "I have a cramp" in reply.text and "bedtime stretch" in reply.text
    assert reply.text.endswith("What would you like?")
    assert not reply.ends_session and reply.reprompt_text


def test_help_at_the_top_lists_what_to_say(talk):
    talk.launch()
    reply = talk.say("help")
    assert f"should I see a {DOCTOR[talk.locale]}" in reply.text and not reply.ends_session


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_and_cancel_say_goodbye_and_close(talk, words):
    talk.launch()
    reply = talk.say(words)
    assert reply.ends_session and reply.text


def test_navigate_home_closes(talk):
    talk.launch()
    assert talk.intent("AMAZON.NavigateHomeIntent").ends_session


def test_goodbye_after_a_cramp_wishes_them_well(talk):
    talk.say("i have a leg cramp")
    reply = talk.say("stop")
    assert any(words in reply.text for words in ("eases soon", "Feel better", "settles soon"))


def test_repeat_says_the_last_thing_again_and_keeps_the_question(talk):
    first = talk.say("what causes leg cramps")
    again = talk.say("repeat")
    assert again.ssml == first.ssml
    assert again.attributes["question"] == "offer_prevent"
    assert "Drink enough water" in talk.say("yes").text


def test_repeat_with_nothing_said_yet_helps(talk):
    reply = talk.intent("AMAZON.RepeatIntent")
    assert "If you have one now" in reply.text and not reply.ends_session


def test_fallback_at_the_top_is_helpful(talk):
    talk.launch()
    reply = talk.say("what is the capital of peru")
    assert "I can help with a leg cramp right now" in reply.text and not reply.ends_session


def test_fallback_during_an_offer_asks_for_yes_or_no(talk):
    talk.say("how do i prevent cramps")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text == ("Sorry, I didn't catch that. If you have chest pain or trouble breathing, "
                          "call 911 now. Please say yes or no.")
    assert "walk you through" not in reply.text
    assert "Let's do your bedtime stretch" in talk.say("yes").text


def test_yes_out_of_context_is_helpful(talk):
    talk.launch()
    reply = talk.say("yes")
    assert "I have a cramp" in reply.text and not reply.ends_session


def test_no_to_what_would_you_like_is_a_goodbye(talk):
    talk.launch()
    assert talk.say("no").ends_session


@pytest.mark.parametrize("intent", ["AMAZON.NextIntent", "AMAZON.PreviousIntent",
                                    "AMAZON.PauseIntent", "AMAZON.ResumeIntent"])
def test_walkthrough_words_outside_a_walkthrough(talk, intent):
    talk.launch()
    reply = talk.intent(intent)
    assert reply.text.startswith("We're not in a stretch routine right now")


def test_start_over_at_the_top_is_the_welcome(talk):
    talk.say("what causes leg cramps")
    assert "What would you like?" in talk.intent("AMAZON.StartOverIntent").text


def test_an_intent_this_version_does_not_know_gets_the_fallback(talk):
    reply = talk.intent("OrderPizzaIntent", Topping="cheese")
    assert "I can help with a leg cramp" in reply.text


@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"])
def test_session_ended_gets_no_speech(talk, reason):
    talk.launch()
    reply = talk.end(reason)
    assert reply.ssml is None and reply.reprompt_ssml is None


def test_an_unknown_request_type_gets_no_speech(talk):
    envelope = talk.envelope({"type": "Alexa.Presentation.APL.UserEvent", "arguments": []})
    reply = talk.send(envelope)
    assert reply.ssml is None
    assert response_problems(envelope, reply.raw) == []


def test_stop_after_a_cramp_keeps_the_safety_line(talk):
    talk.say("i have a leg cramp")
    reply = talk.say("cancel")
    assert reply.text.startswith("Okay. If it lasts more than ten minutes or your leg swells, "
                                 "get medical help.")


def test_sleep_well_is_only_said_at_night(new_talk, alexa_api):
    from datetime import datetime, timezone

    alexa_api.time_zone = "Europe/London"
    for hour, night in ((14, False), (23, True)):
        said = []
        for variant in range(6):
            talk = new_talk(now=lambda hour=hour: datetime(2024, 1, 15, hour, tzinfo=timezone.utc))
            talk.launch()
            said.append(talk.say("stop").text)
            talk.say("how do i prevent cramps")
            said.append(talk.say("no").text)
        heard = " ".join(said)
        assert ("Sleep well" in heard or "good night" in heard.lower()) is night, heard
