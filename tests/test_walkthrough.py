"""The bedtime routine and the controls that work inside any walkthrough."""

import re

import pytest

from localdev.measure import break_seconds
from skill.routines import BEDTIME, RELIEF
from skill.speech import MAX_BREAK_SECONDS

HOLD_CUE = re.compile(r"more seconds|Keep holding|Breathe slowly")
BREAK = re.compile(r'<break time="(\d+)s"/>')
ENCOURAGEMENT = re.compile(r"Well done|Nicely done|Great work|You did well")


def walk_to_the_end(talk, first_words: str, then: str = "next") -> list:
    """Every step's reply, to the last (which may close, or ask one more question)."""
    reply = talk.say(first_words)
    said = [reply]
    while not reply.ends_session and reply.attributes.get("walk") is not None:
        reply = talk.say(then)
        said.append(reply)
    return said


def timed_parts(ssml: str) -> list[int]:
    """Seconds of each hold and rest in a step, in order: the breaks between its spoken cues."""
    parts = re.split(r"And rest\.|And stretch again\.", ssml)
    return [sum(int(s) for s in BREAK.findall(part)) for part in parts]


def check_timing(reply, step) -> None:
    assert break_seconds(reply.ssml) == step.seconds
    assert all(int(s) <= MAX_BREAK_SECONDS for s in BREAK.findall(reply.ssml))
    expected = [step.hold_seconds, step.rest_seconds] * (step.repetitions - 1) + [step.hold_seconds]
    assert timed_parts(reply.ssml) == (expected if step.hold_seconds else [0])


def test_the_whole_bedtime_routine_by_voice(talk):
    said = walk_to_the_end(talk, "walk me through a bedtime stretch")
    assert said[0].text.startswith("Let's do your bedtime stretch")

    assert len(said) == len(BEDTIME.steps)
    for number, (reply, step) in enumerate(zip(said, BEDTIME.steps)):
        check_timing(reply, step)
        assert step.side.capitalize() in reply.text
        if reply is not said[-1]:
            assert not reply.ends_session and reply.reprompt_text
            assert reply.attributes["walk"] == {"routine": "bedtime", "step": number,
                                                "paused": False, "muscle": "general"}
    assert "That's your bedtime stretch done" in said[-1].text
    assert ENCOURAGEMENT.search(said[-1].text)
    # It ends by offering tomorrow night's reminder; the routine itself is over.
    assert said[-1].text.endswith("Would you like me to remind you to stretch every night?")
    assert not said[-1].ends_session and "reminder" in said[-1].reprompt_text
    assert said[-1].attributes["walk"] is None
    assert talk.say("no").ends_session


def test_the_whole_relief_routine_is_the_same_engine(talk):
    talk.say("i have a leg cramp")
    said = walk_to_the_end(talk, "yes")
    assert len(said) == len(RELIEF.steps)
    for reply, step in zip(said, RELIEF.steps):
        check_timing(reply, step)
    assert ENCOURAGEMENT.search(said[-1].text) and said[-1].ends_session


def test_every_step_cue_is_short_before_the_counting_starts(talk):
    said = walk_to_the_end(talk, "walk me through a bedtime stretch")
    for reply in said:
        cue = reply.text.split("…")[0].split("it shouldn't hurt.")[-1].strip()
        assert len(re.findall(r"[.!?]", cue.removesuffix("Hold."))) <= 2, cue
        assert len(cue.split()) <= 40, cue


def test_each_step_is_a_short_cue_then_the_hold_then_a_prompt(talk):
    reply = talk.say("walk me through a bedtime stretch")
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
    assert "Left hamstring" in talk.say("skip this stretch").text


def test_skip_from_a_pause_moves_on_and_yes_resumes(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("pause")
    assert "Right calf" in talk.say("skip").text
    talk.say("pause")
    assert "Right calf" in talk.say("yes").text


def test_skipping_past_the_last_step_finishes_the_routine(talk):
    said = walk_to_the_end(talk, "walk me through a bedtime stretch", then="skip")
    assert len(said) == len(BEDTIME.steps)
    assert "That's your bedtime stretch done" in said[-1].text
    assert said[-1].attributes["walk"] is None and said[-1].attributes["question"] == "offer_reminder"


def test_help_inside_says_what_you_can_say_here(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.say("help")
    assert "step 1 of 4" in reply.text and "go back" in reply.text and "pause" in reply.text
    assert "Right calf" in talk.say("yes").text


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_and_cancel_inside_close(talk, words):
    talk.say("walk me through a bedtime stretch")
    reply = talk.say(words)
    assert reply.ends_session and reply.text
    assert "Left calf" not in reply.text


def test_the_place_is_kept_in_the_session(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    assert talk.attributes["walk"]["step"] == 1
    talk.say("pause")
    assert talk.attributes["walk"] == {"routine": "bedtime", "step": 1, "paused": True,
                                       "muscle": "general"}
    talk.say("resume")
    assert talk.attributes["walk"]["paused"] is False


def test_fallback_inside_keeps_the_place(talk):
    talk.say("walk me through a bedtime stretch")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert "You can say next" in reply.text
    assert "Right calf" in talk.say("next").text


# The same words outside a walkthrough: each gets a helpful answer, none starts a routine.
NOT_IN_ONE = "We're not in a stretch routine right now"


@pytest.mark.parametrize("words", ["next", "skip", "go back", "pause", "resume"])
def test_walkthrough_words_outside_one(talk, words):
    talk.launch()
    reply = talk.say(words)
    assert reply.text.startswith(NOT_IN_ONE)
    assert not reply.ends_session and reply.reprompt_text


@pytest.mark.parametrize("words", ["next", "skip", "go back", "pause", "resume"])
def test_walkthrough_words_after_a_routine_ended(talk, words):
    talk.say("walk me through a bedtime stretch")
    talk.say("stop")
    assert talk.say(words).text.startswith(NOT_IN_ONE)


def test_repeat_start_over_help_and_stop_outside_one(talk):
    launch = talk.launch()
    assert talk.say("repeat").ssml == launch.ssml
    assert "What would you like?" in talk.say("start over").text
    help_ = talk.say("help")
    assert "bedtime stretch" in help_.text and "step" not in help_.text
    assert talk.say("stop").ends_session


def test_next_while_a_question_is_open_asks_it_again(talk):
    talk.say("i have a leg cramp")
    reply = talk.say("next")
    assert reply.text == "Sorry, I didn't catch that. Please say yes or no."
    assert talk.say("yes").text.startswith("Okay, let's ease it together")
