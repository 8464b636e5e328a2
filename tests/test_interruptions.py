"""What people say in the middle of a guided routine, with the clock moving as speech does: a
step is done once its holds were spoken. Inside the relief, "ow", a pause, "what now" or "uh huh"
keep the place and go on, doing only what was not done. Inside the bedtime stretch, a pause keeps
the place and the session, a cramp switches to the relief and back, and a missed phrase gets the
routine's own help."""

from datetime import datetime, timezone

import pytest

from localdev.envelopes import SlotFill
from localdev.measure import break_seconds, words_before_instruction
from skill.routines import BEDTIME
from tests.clock import Clock
from tests.words import STRETCH

MASSAGE = "Now let go of the stretch, and rub the muscle firmly"
OFFER = "Want me to talk you through it?"
EMERGENCY_LINE = "If you have chest pain or trouble breathing, call 911 now."
# The relief's stretch: its 30-second hold ends some 40 seconds into its speech.
MID_HOLD, AFTER_HOLD = 12, 60


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def relief(new_talk, clock):
    """Someone being talked through a cramp, just told to stretch."""
    talk = new_talk(now=clock)
    talk.say("i have a leg cramp")
    clock.seconds(6)
    talk.say("yes")
    return talk


@pytest.fixture
def bedtime(new_talk, clock):
    """Someone at the first step of the bedtime stretch."""
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    return talk


def step_of(reply) -> tuple[str, int]:
    walk = reply.attributes["walk"]
    return walk["routine"], walk["step"]


# --- the guided relief --------------------------------------------------------------------------

@pytest.mark.parametrize("cramp", [{}, {"Muscle": SlotFill("leg", "LEG")}],
                         ids=["ow ow ow", "ow my leg"])
def test_ow_mid_hold_keeps_the_place_and_says_the_stretch_again(relief, clock, cramp):
    clock.seconds(MID_HOLD)
    reply = relief.intent("LegCrampIntent", **cramp)
    assert reply.text.startswith(STRETCH) and words_before_instruction(reply.ssml) == 0
    assert OFFER not in reply.text and "Okay, let's ease it together" not in reply.text
    assert break_seconds(reply.ssml) == 30 and step_of(reply) == ("relief", 0)
    clock.seconds(AFTER_HOLD)
    assert relief.say("yes").text.startswith(MASSAGE)


def test_ow_after_the_hold_goes_on_to_the_massage(relief, clock):
    clock.seconds(AFTER_HOLD)
    reply = relief.intent("LegCrampIntent")
    assert reply.text.startswith(MASSAGE) and step_of(reply) == ("relief", 1)


def test_a_cramp_in_another_muscle_starts_again_from_its_stretch(relief, clock):
    clock.seconds(AFTER_HOLD)
    relief.say("next")
    reply = relief.intent("LegCrampIntent", Muscle=SlotFill("foot", "FOOT"))
    assert reply.text.startswith("Pull your toes up toward your shin")
    assert step_of(reply) == ("relief", 0) and reply.attributes["walk"]["muscle"] == "foot"


def test_it_hurts_mid_relief_keeps_the_place(relief, clock):
    clock.seconds(MID_HOLD)
    reply = relief.intent("SymptomIntent", Symptom=SlotFill("it hurts", "SORE"))
    assert reply.attributes["walk"] is not None and not reply.ends_session
    assert OFFER not in reply.text and "Okay, let's ease it together" not in reply.text


def test_wait_then_okay_after_the_hold_finished_goes_on_and_does_not_replay_it(relief, clock):
    clock.seconds(AFTER_HOLD)
    paused = relief.say("wait")
    assert not paused.ends_session
    clock.seconds(20)
    reply = relief.say("okay")
    assert reply.text.startswith(MASSAGE) and STRETCH not in reply.text


def test_wait_mid_hold_then_okay_does_the_hold_that_was_cut_short(relief, clock):
    clock.seconds(MID_HOLD)
    relief.say("hold on")
    clock.seconds(20)
    reply = relief.say("okay")
    assert reply.text.startswith(STRETCH) and break_seconds(reply.ssml) == 30
    assert step_of(reply) == ("relief", 0)


@pytest.mark.parametrize("intent", ["AMAZON.YesIntent", "AMAZON.NextIntent",
                                    "AMAZON.ResumeIntent"],
                         ids=["uh huh, yep, go ahead", "what now", "carry on"])
def test_after_the_hold_uh_huh_and_what_now_go_on(relief, clock, intent):
    clock.seconds(AFTER_HOLD)
    reply = relief.intent(intent)
    assert reply.text.startswith(MASSAGE) and step_of(reply) == ("relief", 1)


def test_not_understood_mid_relief_says_what_to_do_and_then_goes_on_from_the_place(relief,
                                                                                    clock):
    clock.seconds(AFTER_HOLD)
    reply = relief.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith(STRETCH) and step_of(reply) == ("relief", 0)
    clock.seconds(15)
    assert relief.say("yes").text.startswith(MASSAGE)


# --- the bedtime stretch ------------------------------------------------------------------------

def test_wait_keeps_the_session_and_the_place(bedtime, clock):
    clock.seconds(30)
    reply = bedtime.say("wait")
    assert not reply.ends_session and step_of(reply) == ("bedtime", 0)
    assert reply.attributes["walk"]["paused"] is True


def test_hold_on_then_okay_does_only_the_holds_not_done(bedtime, clock):
    step = BEDTIME.steps[0]
    clock.seconds(50)                                   # into the second of three holds
    bedtime.say("hold on")
    clock.seconds(40)
    reply = bedtime.say("okay")
    assert reply.text.startswith("Let's finish this one: 2 more holds. Left calf.")
    assert break_seconds(reply.ssml) == 2 * step.hold_seconds + step.rest_seconds \
        + step.settle_seconds
    clock.wait()
    assert "Right calf" in bedtime.say("yes").text


def test_hold_on_after_the_holds_then_go_on_is_the_next_step(bedtime, clock):
    clock.wait()
    bedtime.say("hold on")
    clock.seconds(10)
    assert "Right calf" in bedtime.say("go on").text


def test_repeat_after_a_pause_does_the_whole_step_again(bedtime, clock):
    step = BEDTIME.steps[0]
    clock.seconds(50)
    bedtime.say("wait")
    reply = bedtime.say("repeat")
    assert "Left calf" in reply.text and "finish this one" not in reply.text
    assert break_seconds(reply.ssml) == step.seconds + step.settle_seconds


def test_a_cramp_switches_to_the_relief_at_once(bedtime, clock):
    clock.seconds(50)
    reply = bedtime.intent("LegCrampIntent")
    assert reply.text.startswith(STRETCH) and words_before_instruction(reply.ssml) == 0
    assert OFFER not in reply.text and break_seconds(reply.ssml) == 30
    assert step_of(reply) == ("relief", 0)
    assert reply.attributes["set_aside"]["routine"] == "bedtime"


def test_after_the_relief_it_offers_to_go_back_and_picks_up_what_was_not_done(bedtime, clock):
    clock.seconds(50)                                   # one hold of the left calf done
    bedtime.intent("LegCrampIntent", Muscle=SlotFill("calf", "CALF"))
    clock.seconds(AFTER_HOLD)
    bedtime.say("yes")
    clock.seconds(40)
    last = bedtime.say("yes")
    assert "get medical help" in last.text
    assert last.text.endswith("Shall we go back to your bedtime stretch?")
    assert not last.ends_session
    back = bedtime.say("yes")
    assert back.text.startswith(("Okay, let's pick up at step 1 of 4", "Right, back to step 1"))
    assert "Let's finish this one: 2 more holds. Left calf." in back.text
    assert step_of(back) == ("bedtime", 0)


def test_its_gone_mid_relief_offers_the_bedtime_stretch_again(bedtime, clock):
    clock.wait()
    bedtime.intent("LegCrampIntent")
    clock.seconds(20)
    eased = bedtime.intent("CrampEasedIntent")
    assert eased.text.endswith("Shall we go back to your bedtime stretch?")
    assert "Right calf" in bedtime.say("yes").text


def test_no_to_going_back_remembers_the_place_for_another_time(bedtime, clock, new_talk):
    clock.wait()
    bedtime.say("next")
    clock.seconds(20)                                   # the right calf, mid-step
    bedtime.intent("LegCrampIntent")
    clock.seconds(20)
    eased = bedtime.intent("CrampEasedIntent")
    done = bedtime.say("no")
    assert done.ends_session and "pick up at step 2 of 4" in done.text
    clock.wait()
    assert "stopped your bedtime stretch at step 2 of 4" in new_talk(now=clock).launch().text
    assert eased.text.startswith(("I'm glad", "Good, I'm glad"))


def test_stop_in_the_relief_keeps_the_bedtime_place(bedtime, clock, new_talk):
    clock.wait()
    bedtime.say("next")
    clock.seconds(20)
    bedtime.intent("LegCrampIntent")
    assert bedtime.say("stop").ends_session
    clock.wait()
    assert "Right calf" in new_talk(now=clock).say("continue my bedtime stretch").text


@pytest.mark.parametrize("hour", [23, 14])
def test_a_missed_phrase_gets_the_routines_own_help_each_time(new_talk, alexa_api, hour):
    alexa_api.time_zone = "Europe/London"
    clock = Clock(datetime(2024, 1, 15, hour, tzinfo=timezone.utc))
    talk = new_talk(now=clock)
    talk.say("walk me through a bedtime stretch")
    for _ in range(3):
        clock.seconds(15)
        reply = talk.intent("AMAZON.FallbackIntent")
        assert reply.text.startswith("Sorry, I didn't catch that. I'm guiding you through your "
                                     "bedtime stretch")
        assert "step 1 of 4" in reply.text and "If you get a cramp, say: I have a cramp" in reply.text
        assert STRETCH not in reply.text and "get medical help" not in reply.text
        assert reply.text.count(EMERGENCY_LINE) == 1     # as every fallback, once
        assert reply.text.endswith("Shall we carry on?") and not reply.ends_session
        assert step_of(reply) == ("bedtime", 0)
    clock.seconds(15)
    assert "Left calf" in talk.say("yes").text          # the step was cut short: again


def test_not_sure_in_the_bedtime_stretch_is_the_routines_help_too(bedtime, clock):
    clock.seconds(15)
    reply = bedtime.intent("UnsureIntent")
    assert "I'm guiding you through your bedtime stretch" in reply.text
    assert STRETCH not in reply.text and not reply.ends_session
