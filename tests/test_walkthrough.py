"""The bedtime routine and the controls that work inside any walkthrough."""

import re

from localdev.measure import break_seconds
from skill.routines import BEDTIME

HOLD_CUE = re.compile(r"more seconds|Keep holding|Breathe slowly")


def test_the_whole_bedtime_routine_by_voice(talk):
    reply = talk.say("walk me through a bedtime stretch")
    assert reply.text.startswith("Let's do your bedtime stretch")
    said = [reply] + [talk.say("next") for _ in BEDTIME.steps[1:]]

    assert len(said) == len(BEDTIME.steps)
    for reply, step in zip(said, BEDTIME.steps):
        assert break_seconds(reply.ssml) == step.seconds
        assert step.side.capitalize() in reply.text
    assert "That's your bedtime stretch done" in said[-1].text
    # It ends by offering tomorrow night's reminder; the routine itself is over.
    assert said[-1].text.endswith("Would you like me to remind you to stretch every night?")
    assert not said[-1].ends_session and "reminder" in said[-1].reprompt_text
    assert said[-1].attributes["walk"] is None
    assert talk.say("no").ends_session


def test_each_step_is_a_short_cue_then_the_hold_then_a_prompt(talk):
    reply = talk.say("walk me through a bedtime stretch")
    cue = reply.text.split("Hold.")[0].split("it shouldn't hurt.")[-1]
    assert len(re.findall(r"[.!?]", cue)) <= 2
    assert HOLD_CUE.search(reply.text)
    assert reply.text.endswith("?")
    assert "Say next" in reply.reprompt_text


def test_yes_goes_on_and_no_waits(talk):
    talk.say("walk me through a bedtime stretch")
    assert "Okay, no rush" in talk.say("no").text
    assert "Right calf" in talk.say("yes").text


def test_previous_at_the_first_step_does_it_again(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.say("go back")
    assert reply.text.startswith("This is the first step")
    assert "Left calf" in reply.text


def test_previous_goes_back_a_step(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    assert "Left calf" in talk.say("go back").text


def test_repeat_does_the_step_again(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    reply = talk.say("repeat")
    assert "Right calf" in reply.text and break_seconds(reply.ssml) == 50


def test_pause_then_resume(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    paused = talk.say("pause")
    assert paused.text.startswith("Paused at step 2 of 4")
    assert not paused.ends_session
    resumed = talk.say("resume")
    assert "Right calf" in resumed.text


def test_start_over(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("next")
    reply = talk.say("start over")
    assert reply.text.startswith("Let's do your bedtime stretch") and "Left calf" in reply.text


def test_skip_moves_on(talk):
    talk.say("walk me through a bedtime stretch")
    assert "Right calf" in talk.say("skip").text


def test_help_inside_says_what_you_can_say_here(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.say("help")
    assert "step 1 of 4" in reply.text and "go back" in reply.text and "pause" in reply.text
    assert "Right calf" in talk.say("yes").text


def test_stop_inside_closes(talk):
    talk.say("walk me through a bedtime stretch")
    assert talk.say("stop").ends_session


def test_fallback_inside_keeps_the_place(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert "You can say next" in reply.text
    assert "Right calf" in talk.say("next").text
