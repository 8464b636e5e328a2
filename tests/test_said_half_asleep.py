"""What people say the way they talk at night: a "wait" or an "actually" in front of the words
that matter, an intensifier in the middle, how long it has been at the end, "goodnight" to close,
"the other leg now". Each line here was once heard as nothing (AMAZON.FallbackIntent) by the
model; the words are what strangers say, not the model's samples."""

from datetime import datetime, timezone

import pytest

from localdev.measure import break_seconds
from tests.clock import Clock
from tests.locales import EMERGENCY
from tests.words import STRETCH

MID_HOLD = 12


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, 15, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def london(new_talk, alexa_api):
    """A device in London (the stand-in's time zone), its clock moving as speech does."""
    alexa_api.time_zone = "Europe/London"

    def conversation(hour: int, minute: int = 0, **options):
        clock = Clock(at(hour, minute))
        return new_talk(now=clock, **options), clock
    return conversation


def in_the_relief(london, opening: str = "open leg cramp helper", locale: str = "en-US",
                  after: float | None = MID_HOLD):
    """Someone at 3 a.m. who opened the skill (or said a cramp), said yes, and is being talked
    through the stretch: `after` seconds into its hold (None: after the hold)."""
    talk, clock = london(3, locale=locale)
    talk.say(opening)
    clock.seconds(5)
    talk.say("yes")
    if after is None:
        clock.wait()
    else:
        clock.seconds(after)
    return talk


# --- a red flag with a word in front, in the middle of something else ---------------------------

@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-IN"])
@pytest.mark.parametrize("said", ["wait my chest feels really tight",
                                  "actually my chest hurts",
                                  "hang on i can't breathe"])
def test_a_red_flag_said_after_wait_mid_relief_is_the_emergency_number(london, locale, said):
    talk = in_the_relief(london, locale=locale)
    reply = talk.say(said)
    assert reply.text.startswith(f"Call {EMERGENCY[locale]} now."), reply.text


def test_actually_my_chest_hurts_in_the_doctor_check_is_no_mishearing(london):
    talk, clock = london(14)
    talk.say("should i see a doctor")
    talk.say("yes")
    reply = talk.say("actually my chest hurts and i can't breathe")
    assert reply.text.startswith("Call 911 now.") and "catch" not in reply.text


def test_my_calf_feels_really_tight_at_three_is_the_cramp_stretch(london):
    talk, _ = london(3)
    reply = talk.say("my calf feels really tight")
    assert reply.text.startswith(STRETCH) and "Call 911" not in reply.text


# --- the bedtime stretch, opened and closed in everyday words -----------------------------------

@pytest.mark.parametrize("said", ["start my bedtime stretch", "let's do the bedtime stretches"])
def test_start_my_bedtime_stretch_starts_it(london, said):
    talk, _ = london(22, 30)
    reply = talk.say(said)
    assert "Left calf" in reply.text and "If you have a cramp" not in reply.text


@pytest.mark.parametrize("said", ["goodnight", "thanks goodnight", "night night",
                                  "i'm going back to sleep"])
def test_goodnight_mid_bedtime_closes_calmly_and_keeps_the_place(london, said):
    talk, clock = london(22, 30)
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    talk.say("next")
    clock.wait()
    reply = talk.say(said)
    assert reply.ends_session and "didn't catch" not in reply.text
    clock.wait()
    assert "step 3 of 4" in talk.say("continue my bedtime stretch").text


@pytest.mark.parametrize("said", ["goodnight", "thanks goodnight", "it's easing", "it went away",
                                  "it's gone thank god"])
def test_goodnight_or_it_s_easing_after_the_hold_closes_calmly(london, said):
    talk = in_the_relief(london, after=None)
    reply = talk.say(said)
    assert reply.ends_session and "didn't catch" not in reply.text


# --- the other leg, mid-relief --------------------------------------------------------------------

@pytest.mark.parametrize("said", ["the other leg now", "now my other leg", "other leg",
                                  "and now the other leg"])
def test_the_other_leg_now_mid_relief_starts_its_stretch_again(london, said):
    talk = in_the_relief(london, "i have a cramp in my calf", after=None)
    reply = talk.say(said)
    assert reply.text.startswith(STRETCH) and break_seconds(reply.ssml) == 30
    assert reply.attributes["walk"]["step"] == 0 and "Say next to carry on" not in reply.text


@pytest.mark.parametrize("said", ["the other calf now", "now my other calf",
                                  "my other calf is cramping now"])
def test_the_other_calf_after_a_calf_cramp_is_stretched_first_not_massaged(london, said):
    """The same muscle's name, on the other leg, after the first calf's hold: a new cramp."""
    talk = in_the_relief(london, "i have a cramp in my calf", after=None)
    reply = talk.say(said)
    assert reply.text.startswith(STRETCH) and break_seconds(reply.ssml) == 30
    assert reply.attributes["walk"]["step"] == 0


def test_the_other_leg_after_a_leg_cramp_is_stretched_first_too(london):
    talk = in_the_relief(london, "i have a leg cramp", after=None)
    reply = talk.say("the other leg now")
    assert reply.text.startswith(STRETCH) and reply.attributes["walk"]["step"] == 0


def test_ow_my_calf_after_the_calf_s_hold_keeps_the_place(london):
    """The same calf, not the other one: the place is kept, on to the massage."""
    talk = in_the_relief(london, "i have a cramp in my calf", after=None)
    reply = talk.say("ow my calf")
    assert not reply.text.startswith(STRETCH) and reply.attributes["walk"]["step"] == 1


# --- how long, how it came, said after the sign -----------------------------------------------------

@pytest.mark.parametrize("said, heard", [
    ("my calf has been swollen for a week", "should be checked by a doctor today"),
    ("my leg has been swollen for two days", "should be checked by a doctor today"),
    ("my leg went numb out of nowhere", "Did it come on suddenly"),
])
def test_a_sign_with_how_long_or_how_it_came_reaches_its_level(london, said, heard):
    talk, _ = london(14)
    assert heard in talk.say(said).text


@pytest.mark.parametrize("said", ["my calf is sore since yesterday's cramp",
                                  "my calf is still sore from last night"])
def test_soreness_after_a_cramp_is_what_to_do_never_care(london, said):
    talk, _ = london(14)
    reply = talk.say(said)
    assert "didn't catch" not in reply.text and "999" not in reply.text
    assert "today" not in reply.text.split(".")[0]


# --- can't, and hurts: the table's two levels -------------------------------------------------------

@pytest.mark.parametrize("said", ["i can't put weight on my leg", "i can't walk on my leg",
                                  "i can't stand on my foot", "i can't bear weight on my leg"])
def test_cant_put_weight_on_it_by_day_is_checked_today(london, said):
    talk, _ = london(14)
    reply = talk.say(said)
    assert reply.text.startswith("If you can't put weight on your leg, get it checked today.")


@pytest.mark.parametrize("said", ["it hurts to walk on it", "it hurts when i walk on it",
                                  "it hurts to put weight on it"])
def test_it_hurts_to_walk_on_is_a_doctor_soon(london, said):
    talk, _ = london(14)
    assert "worth seeing your doctor about soon" in talk.say(said).text


# --- the doctor check: a hedge is an answer ------------------------------------------------------

@pytest.mark.parametrize("said", ["maybe a little", "just a bit", "maybe slightly"])
def test_maybe_a_little_in_the_check_is_unsure_not_unheard(london, said):
    talk, _ = london(14)
    talk.say("should i see a doctor")
    for answer in ("yes", "no", "no"):
        talk.say(answer)
    reply = talk.say(said)
    assert reply.text.startswith("That's okay. When you're not sure, it's safest to have it checked.")


# --- red flags in each country's words ----------------------------------------------------------

@pytest.mark.parametrize("locale, said", [
    ("en-GB", "my chest's really tight"), ("en-GB", "my chest's gone tight"),
    ("en-US", "i think i'm having a heart attack"), ("en-IN", "i am having pain in chest"),
])
def test_chest_pain_in_a_country_s_words_mid_relief_is_the_emergency_number(london, locale, said):
    talk = in_the_relief(london, locale=locale)
    assert talk.say(said).text.startswith(f"Call {EMERGENCY[locale]} now.")


@pytest.mark.parametrize("locale, said", [
    ("en-IN", "my calf is swollen since two days"),
    ("en-IN", "there is swelling in my leg from two days"),
    ("en-US", "my leg is very hot and red"),
])
def test_a_swollen_or_hot_leg_said_the_local_way_is_checked_today(london, locale, said):
    talk, _ = london(14, locale=locale)
    assert "should be checked by a doctor today" in talk.say(said).text


# --- the clinic, mid-routine ----------------------------------------------------------------------

@pytest.mark.parametrize("said", ["what's the surgery's number", "can i ring the surgery"])
def test_the_surgery_s_number_mid_bedtime_answers_and_keeps_the_step(london, said):
    talk, clock = london(22, 30, locale="en-GB")
    talk.say("walk me through a bedtime stretch")
    clock.wait()
    reply = talk.say(said)
    assert "contact your GP directly" in reply.text and not reply.ends_session
    clock.seconds(5)
    assert "Right calf" in talk.say("yes").text


@pytest.mark.parametrize("locale, said", [("en-US", "okay thanks"), ("en-US", "thanks a lot"),
                                          ("en-GB", "ta"), ("en-GB", "lovely thank you")])
def test_okay_thanks_after_the_stretch_is_a_calm_close(london, locale, said):
    talk = in_the_relief(london, "i have a cramp", locale=locale, after=None)
    reply = talk.say(said)
    assert "I'm glad it's" in reply.text.split(".")[0] and reply.ends_session


# --- a correction, mid-relief ---------------------------------------------------------------------

def test_no_wait_it_s_my_foot_mid_relief_starts_the_foot_stretch(london):
    talk = in_the_relief(london, "i have a cramp in my calf")
    reply = talk.say("no wait it's my foot not my calf")
    assert reply.text.startswith("Pull your toes up toward your shin")
    assert reply.attributes["walk"]["muscle"] == "foot"


@pytest.mark.parametrize("said", ["sorry what", "huh", "pardon me"])
def test_sorry_what_mid_hold_says_the_stretch_again(london, said):
    talk = in_the_relief(london)
    reply = talk.say(said)
    assert reply.text.startswith(STRETCH) and break_seconds(reply.ssml) == 30
    assert "didn't catch" not in reply.text and "Say next to carry on" not in reply.text
