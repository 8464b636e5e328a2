"""The bedtime routine and the controls that work inside any walkthrough."""

import re
from datetime import datetime, timedelta, timezone

import pytest

from localdev.measure import break_seconds
from skill.routines import BEDTIME, RELIEF
from skill.speech import MAX_BREAK_SECONDS
from tests.clock import Clock

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
    # Every timed second is spoken as a break: the holds and rests, and the pause to get into
    # position before the first hold.
    assert break_seconds(reply.ssml) == step.seconds + step.settle_seconds
    assert all(int(s) <= MAX_BREAK_SECONDS for s in BREAK.findall(reply.ssml))
    expected = [step.hold_seconds, step.rest_seconds] * (step.repetitions - 1) + [step.hold_seconds]
    expected[0] += step.settle_seconds
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
            walk = reply.attributes["walk"]
            assert (walk["routine"], walk["step"], walk["paused"]) == ("bedtime", number, False)
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
    for reply, step in zip(said, BEDTIME.steps):
        where, into = reply.text.split("it shouldn't hurt.")[-1].split("…")[:2]
        # Where to go, in a sentence or two; then, once there, into the stretch.
        assert len(re.findall(r"[.!?]", where.strip())) <= 3 and len(where.split()) <= 30, where
        assert into.strip().startswith("Now lean forward") and into.strip().endswith("Hold.")
        assert len(into.split()) <= 16, into


def test_each_bedtime_step_gives_time_to_get_into_position_before_the_first_hold(talk):
    said = walk_to_the_end(talk, "walk me through a bedtime stretch")
    for reply, step in zip(said, BEDTIME.steps):
        assert step.settle_seconds >= 3
        before_hold = reply.ssml.split("Hold.")[0]
        assert "Take your time." in before_hold
        assert BREAK.findall(before_hold) == [str(step.settle_seconds)]
    # Getting to the wall or to the bed takes longer than changing sides.
    assert [step.settle_seconds for step in BEDTIME.steps] == [8, 4, 8, 4]


def test_each_step_is_a_short_cue_then_the_hold_then_a_prompt(talk):
    reply = talk.say("walk me through a bedtime stretch")
    assert HOLD_CUE.search(reply.text)
    assert reply.text.endswith("?")
    assert "Say next" in reply.reprompt_text


def test_yes_goes_on_and_no_waits(new_talk):
    clock = Clock()
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    clock.wait()                                        # "Ready to go on?", after the holds
    assert "Okay, no rush" in talk.say("no").text
    clock.wait()
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
    step = BEDTIME.steps[1]
    assert "Right calf" in reply.text
    assert break_seconds(reply.ssml) == step.seconds + step.settle_seconds


def into_step_two(new_talk, seconds=None):
    """The bedtime stretch, at step 2 (the right calf): `seconds` into its speech, or, with
    None, after its holds were spoken."""
    clock = Clock()
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    talk.say("next")
    clock.wait() if seconds is None else clock.seconds(seconds)
    return talk, clock


def test_pause_at_bedtime_keeps_the_place_and_the_session(new_talk):
    talk, clock = into_step_two(new_talk, 20)           # while "Right calf ... hold" is spoken
    paused = talk.say("wait")
    assert paused.text.startswith("Okay, I'll wait.")
    # The microphone may close before they are back: how to come back later, then a prompt.
    assert ("If I stop listening, we'll pick up at step 2 of 4 when you say: Alexa, ask Leg "
            "Cramp Helper to continue my bedtime stretch.") in paused.text
    assert paused.text.endswith("When you're ready now, just say: go on.")
    assert not paused.ends_session and paused.reprompt_text
    clock.seconds(30)
    resumed = talk.say("okay")
    assert "Right calf" in resumed.text and not resumed.ends_session


def test_resume_in_a_new_session_carries_on_from_the_saved_place(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("pause")
    talk.end("EXCEEDED_MAX_REPROMPTS")                 # nobody answered: the session closed
    assert "Left calf" in talk.say("resume").text


def test_a_pause_mid_step_picks_up_that_step_again(new_talk):
    # "Pause" before the step's holds were spoken, and no answer: the step is not done.
    talk, clock = into_step_two(new_talk, 20)
    assert "pick up at step 2 of 4" in talk.say("pause").text
    talk.end("EXCEEDED_MAX_REPROMPTS")
    clock.wait(timedelta(hours=20))
    assert "Right calf" in talk.say("continue my bedtime stretch").text


def test_a_pause_after_the_holds_picks_up_at_the_next_step(new_talk):
    talk, _ = into_step_two(new_talk)                   # step 2's holds were all spoken
    assert "pick up at step 3 of 4" in talk.say("pause").text
    talk.end("EXCEEDED_MAX_REPROMPTS")
    assert "Left hamstring" in talk.say("continue my bedtime stretch").text


@pytest.mark.parametrize("leave", [lambda talk: talk.say("stop"),
                                   lambda talk: talk.end("EXCEEDED_MAX_REPROMPTS"),
                                   lambda talk: talk.end("USER_INITIATED")])
def test_stopping_after_step_2s_holds_offers_step_3_next_night(new_talk, leave):
    clock = Clock()
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    talk.say("next")
    clock.wait()
    leave(talk)
    clock.wait(timedelta(hours=24))
    offer = new_talk(now=clock).launch()
    assert "stopped your bedtime stretch at step 3 of 4" in offer.text


def test_stopping_in_the_middle_of_a_step_offers_that_step_again(new_talk):
    clock = Clock()
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    talk.say("next")
    clock.wait(timedelta(seconds=15))
    talk.say("stop")
    assert "at step 2 of 4" in new_talk(now=clock).launch().text


def test_pause_in_the_relief_is_short_and_waits(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    paused = talk.say("wait")
    assert paused.text == "Okay. Say go on when you're ready."
    assert paused.reprompt_text == "Say go on when you're ready, or stop to finish."
    assert not paused.ends_session
    # Paused as the hold began: the hold, again.
    assert "Hold it there" in talk.say("resume").text


def test_help_in_the_relief_is_short(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.say("help")
    assert reply.text == "Say next to go on, or stop. Shall we go on?"
    assert not reply.ends_session


def test_the_last_relief_step_is_short_at_night(new_talk, alexa_api):
    night = datetime(2024, 6, 14, 1, 0, tzinfo=timezone.utc)   # 2 a.m. in London
    talk = new_talk(now=lambda: night, locale="en-GB")
    talk.say("i have a leg cramp")
    last = walk_to_the_end(talk, "yes")[-1]
    assert "a warm towel or heating pad can relax the muscle" in last.text
    assert "ice pack" not in last.text and "Walking around" not in last.text
    assert "If a cramp lasts more than ten minutes" in last.text
    assert "ask me what else helps" in last.text and last.ends_session


def test_the_rest_of_the_relief_options_come_on_request_at_night(new_talk, alexa_api):
    night = datetime(2024, 6, 14, 1, 0, tzinfo=timezone.utc)   # 2 a.m. in London
    talk = new_talk(now=lambda: night, locale="en-GB")
    talk.say("i have a leg cramp")
    walk_to_the_end(talk, "yes")
    more = talk.say("what else can i do for the cramp")        # a new session, one-shot
    assert more.ssml.startswith('<speak><prosody volume="soft"')
    assert "heating pad" in more.text and "ice pack" in more.text and "Walking around" in more.text
    assert more.text.endswith("If a cramp lasts more than ten minutes, or your leg is swollen, "
                              "red or warm, get medical help.")
    assert more.ends_session


def test_the_last_relief_step_gives_every_option_by_day(talk):
    talk.say("i have a leg cramp")
    last = walk_to_the_end(talk, "yes")[-1]
    assert "ice pack" in last.text and "Walking around" in last.text
    assert "If a cramp lasts more than ten minutes" in last.text


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
    talk.say("i have a leg cramp")
    talk.say("yes")
    talk.say("pause")
    assert "Now let go of the stretch" in talk.say("skip").text
    talk.say("pause")
    assert "Now let go of the stretch" in talk.say("yes").text


def test_skipping_past_the_last_step_finishes_the_routine(talk):
    said = walk_to_the_end(talk, "walk me through a bedtime stretch", then="skip")
    assert len(said) == len(BEDTIME.steps)
    assert "That's your bedtime stretch done" in said[-1].text
    assert said[-1].attributes["walk"] is None and said[-1].attributes["question"] == "offer_reminder"


def test_help_inside_says_what_you_can_say_here(new_talk):
    clock = Clock()
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    reply = talk.say("help")
    assert "step 1 of 4" in reply.text and "go back" in reply.text and "pause" in reply.text
    assert "If you get a cramp, say: I have a cramp." in reply.text
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
    talk.say("i have a leg cramp")
    walk, aside = talk.attributes["walk"], talk.attributes["set_aside"]
    assert (walk["routine"], walk["step"]) == ("relief", 0)
    assert (aside["routine"], aside["step"], aside["paused"]) == ("bedtime", 1, True)
    talk.say("pause")
    walk = talk.attributes["walk"]
    assert (walk["routine"], walk["step"], walk["paused"]) == ("relief", 0, True)
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
    for _ in range(3):
        talk.say("next")
    talk.say("no")
    assert talk.say(words).text.startswith(NOT_IN_ONE)


def test_resume_after_stop_carries_on(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("stop")
    assert "Left calf" in talk.say("resume").text


def test_repeat_start_over_help_and_stop_outside_one(talk):
    launch = talk.launch()
    assert talk.say("repeat").ssml == launch.ssml
    assert "What would you like?" in talk.say("start over").text
    help_ = talk.say("help")
    assert "bedtime stretch" in help_.text and "step" not in help_.text
    assert talk.say("stop").ends_session


def test_next_while_a_question_is_open_asks_it_again(talk):
    # (To "want me to talk you through it?", "next" is a yes: tests/test_relief.py.)
    talk.say("should i see a doctor")
    talk.say("yes")
    reply = talk.say("next")
    assert reply.text.startswith("I didn't quite catch that, so to be safe: if you have chest pain")
    assert reply.text.endswith("Do you have chest pain or pressure, trouble breathing, or are you "
                               "coughing up blood?")
    assert talk.say("no").attributes["question"] == "triage"
