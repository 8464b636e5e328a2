"""Opening the skill at night ("Alexa, open leg cramp helper" at 3 a.m.): on newer devices a
one-shot request may not reach the skill, so opening it is how many arrive mid-cramp. What to do
comes first, then one short question; the menu, the disclaimer and a saved place wait for a
"no". By day, launch says what the skill can do and asks (tests/test_builtins.py)."""

from datetime import datetime, timezone

import pytest

from localdev.envelopes import Device
from localdev.measure import spoken_seconds, words_before_instruction
from tests.words import STRETCH

DISCLAIMER = "not a substitute for professional medical advice"
QUESTION = "Want me to talk you through the cramp?"
EMERGENCY_LINE = "If you have chest pain or trouble breathing, call 911 now."


def at(hour: int, minute: int = 0):
    return lambda: datetime(2024, 1, 15, hour, minute, tzinfo=timezone.utc)


@pytest.fixture
def night(new_talk, alexa_api):
    """Someone in London, at 3 a.m. (the stand-in's time zone)."""
    alexa_api.time_zone = "Europe/London"

    def conversation(hour: int = 3, minute: int = 0, **options):
        return new_talk(now=at(hour, minute), **options)
    return conversation


def leave_bedtime_at_step_3(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("next")
    talk.say("stop")


def test_at_three_the_first_words_are_what_to_do_then_one_short_question(night):
    reply = night().say("open leg cramp helper")
    assert reply.text.startswith(STRETCH)
    assert words_before_instruction(reply.ssml) == 0
    assert reply.text.endswith(QUESTION) and reply.text.count("?") == 1
    assert DISCLAIMER not in reply.text and "bedtime stretch" not in reply.text
    assert spoken_seconds(reply.ssml) < 12
    assert reply.ssml.startswith('<speak><prosody volume="soft"')
    assert not reply.ends_session and "say yes" in reply.reprompt_text


def test_yes_talks_them_through_it(night):
    talk = night()
    talk.launch()
    relief = talk.say("yes")
    assert relief.text.startswith("Okay, let's ease it together. " + STRETCH)
    assert relief.attributes["walk"]["routine"] == "relief"


def test_a_cramp_named_after_the_launch_gets_its_own_stretch(night):
    talk = night()
    talk.launch()
    assert talk.say("it's in my foot").text.startswith("Pull your toes up toward your shin")


@pytest.mark.parametrize("person, disclaimer", [("first", True), ("returning", False)])
def test_no_is_not_a_cramp_what_the_skill_can_do_and_a_first_timer_hears_the_disclaimer(
        night, person, disclaimer):
    if person == "returning":
        night(14).launch()                      # heard the disclaimer by day
    talk = night()
    talk.launch()
    menu = talk.say("no")
    assert menu.text.startswith("Okay.")
    assert (DISCLAIMER in menu.text) is disclaimer
    assert "bedtime stretch" in menu.text and menu.text.endswith("What would you like?")
    assert not menu.ends_session


def test_the_disclaimer_waits_for_a_calm_moment_when_the_night_launch_was_for_a_cramp(night):
    talk = night()
    talk.launch()
    talk.say("yes")
    talk.say("stop")
    assert DISCLAIMER in night(14).launch().text


def test_the_night_launch_reads_nothing_remembered(night, tmp_path):
    talk = night()
    talk.launch()
    talk.say("yes")
    assert not (tmp_path / "data").exists()


def test_a_returning_person_with_a_saved_place_hears_cramp_help_first(night):
    leave_bedtime_at_step_3(night(22, 30))
    talk = night()
    reply = talk.launch()
    assert reply.text.startswith(STRETCH) and "Last time" not in reply.text
    offer = talk.say("no")
    assert offer.text.startswith("Okay.")
    assert offer.text.endswith("Last time, you stopped your bedtime stretch at step 3 of 4. "
                               "Would you like to carry on from there?")
    assert "Left hamstring" in talk.say("yes").text


def test_with_a_saved_place_continue_my_bedtime_stretch_goes_straight_there(night):
    leave_bedtime_at_step_3(night(22, 30))
    talk = night(22, 45)
    talk.launch()
    assert "Left hamstring" in talk.say("continue my bedtime stretch").text


def test_the_relief_at_night_leaves_the_saved_place_alone(night):
    leave_bedtime_at_step_3(night(22, 30))
    talk = night()
    talk.launch()
    talk.say("yes")
    talk.say("stop")
    assert "stopped your bedtime stretch at step 3 of 4" in night(14).launch().text


def test_not_understood_after_the_night_launch_says_what_to_do_and_asks_again(night):
    talk = night()
    talk.launch()
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("If you have a cramp: " + STRETCH)
    assert "get medical help" in reply.text and reply.text.count(EMERGENCY_LINE) == 1
    assert "Sorry" not in reply.text and not reply.ends_session
    assert talk.say("yes").attributes["walk"]["routine"] == "relief"


def test_help_after_the_night_launch_is_about_the_cramp(night):
    talk = night()
    talk.launch()
    reply = talk.say("help")
    assert reply.text.startswith(STRETCH) and not reply.ends_session
    assert talk.say("no").text.startswith("Okay.")


def test_on_a_screen_the_night_launch_shows_what_to_do(night, alexa_api):
    reply = night(device=Device(screen=True, api_endpoint=alexa_api.url)).launch()
    screen = next(d for d in reply.directives
                  if d["type"] == "Alexa.Presentation.APL.RenderDocument")
    properties = screen["datasources"]["screen"]["properties"]
    assert properties["instruction"].startswith(STRETCH) and properties["night"] is True


@pytest.mark.parametrize("hour, minute, cramp_first", [
    (21, 59, False), (22, 0, True), (6, 59, True), (7, 0, False), (14, 0, False)])
def test_the_night_is_from_ten_to_seven_where_the_device_is(night, hour, minute, cramp_first):
    reply = night(hour, minute).launch()
    assert reply.text.startswith(STRETCH) is cramp_first
    assert ("What would you like?" in reply.text) is not cramp_first


@pytest.mark.parametrize("words", ["go on", "i'm ready", "carry on"])
def test_go_on_after_the_night_launch_talks_them_through_it(night, words):
    """At 3 a.m. "go on" or "i'm ready" to "want me to talk you through the cramp?" is a yes, not
    the same instructions and the question again."""
    talk = night()
    talk.launch()
    relief = talk.say(words)
    assert relief.text.startswith("Okay, let's ease it together. " + STRETCH)
    assert relief.attributes["walk"]["routine"] == "relief"
