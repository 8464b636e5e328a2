"""Asking for one slot with Dialog.ElicitSlot: the reminder time. The answer ("nine p m") is heard
through the Time slot's own samples, not through a slot-only sample that would catch anything."""

import pytest

from localdev.matcher import Matcher


@pytest.fixture
def granted(new_talk, alexa_api):
    alexa_api.reset(time_zone="America/New_York")
    return new_talk(consent_token="consent-granted")


def elicits_time(reply) -> bool:
    return [(d["type"], d["slotToElicit"], d["updatedIntent"]["name"])
            for d in reply.directives if d["type"].startswith("Dialog.")] == [
        ("Dialog.ElicitSlot", "Time", "StretchReminderIntent")]


def test_asking_for_the_time_elicits_the_time_slot(granted, alexa_api):
    reply = granted.say("remind me to stretch")
    assert reply.text.endswith("for example 9 PM?")
    assert elicits_time(reply) and not reply.ends_session
    assert reply.directives[0]["updatedIntent"]["slots"]["Time"] == {
        "name": "Time", "confirmationStatus": "NONE"}
    # "at nine thirty p m" is no sample of any intent: only the elicited slot's samples hear it.
    assert Matcher.for_locale("en-US").match("at nine thirty p m").intent == "AMAZON.FallbackIntent"
    assert granted.say("at nine thirty p m").text.startswith(
        "Done. I'll remind you to stretch every night at 9:30 PM.")
    assert len(alexa_api.reminders) == 1


@pytest.mark.parametrize("answer", ["ten p m", "at ten p m", "ten p m every night",
                                    "around ten p m", "i go to bed at ten p m"])
def test_the_time_slots_own_samples_answer(granted, alexa_api, answer):
    granted.say("set a stretch reminder")
    assert granted.say(answer).text.startswith("Done. I'll remind you to stretch every night at 10 PM.")


def test_words_that_are_no_time_elicit_it_again_and_no_still_lets_it_go(granted, alexa_api):
    granted.say("remind me to stretch")
    reply = granted.say("purple monkey dishwasher")
    assert reply.text.startswith("Sorry, I need a time on the clock") and elicits_time(reply)
    assert elicits_time(granted.say("yes"))  # "yes" is no time: asked again
    assert granted.say("no").text.startswith("Okay, no reminder")
    assert alexa_api.reminders == []


def test_a_time_that_is_no_clock_time_elicits_again(granted):
    reply = granted.intent("StretchReminderIntent", Time="MO")
    assert "What time should I remind you to stretch" in reply.text and elicits_time(reply)


def test_after_the_bedtime_routine_yes_elicits_the_time(granted, alexa_api):
    granted.say("walk me through a bedtime stretch")
    for _ in range(3):
        granted.say("next")
    assert elicits_time(granted.say("yes"))
    assert granted.say("nine p m").text.startswith("Done.")


def test_only_an_intent_request_carries_a_dialog_directive(granted):
    # Alexa's answer to the permission prompt is no intent request: a plain question then.
    reply = granted.permission_answer("ACCEPTED", token="not a time")
    assert reply.text.endswith("for example 9 PM?") and not elicits_time(reply)
    assert not [d for d in reply.directives if d["type"].startswith("Dialog.")]
