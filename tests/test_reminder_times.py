"""Which time of day a reminder is for: "in the morning" gets the morning; a bare "nine" for a
bedtime stretch is still asked about as the evening, and saying no to that never loops.

AMAZON.TIME sends "09:00" for "nine" and for "nine a.m." alike; the part of the day is heard
apart from the hour where the model puts a word between them (the PartOfDay slot). Conversations
through the local matcher (localdev/matcher.py), which fills slots as the samples say, at
bedtime in New York, the clock moving on as speech does.
"""

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from skill.alexa.reminders_api import ClockTime
from skill.reminder_times import Reading, in_part, read

BEDTIME = datetime(2024, 6, 15, 1, 30, tzinfo=timezone.utc)   # 21:30 in New York


@pytest.fixture
def person(new_talk, alexa_api):
    """Someone in New York who has granted the reminders permission, talking at bedtime; each
    turn is said a few seconds after the last."""
    alexa_api.reset(time_zone="America/New_York")
    turns = itertools.count()
    clock = lambda: BEDTIME + timedelta(seconds=5 * next(turns))  # noqa: E731
    return new_talk(consent_token="consent-granted", now=clock)


def rings(alexa_api) -> list[tuple[int, int]]:
    return alexa_api.rings_at()


# ------------------------------------------------------------------------------ a part of the day said


@pytest.mark.parametrize("words, said, hour, minute", [
    ("remind me to stretch at nine in the morning", "every morning at 9 AM", 9, 0),
    ("remind me every morning at seven to stretch", "every morning at 7 AM", 7, 0),
    ("set a reminder for seven thirty in the morning", "every morning at 7:30 AM", 7, 30),
    ("remind me to stretch at nine every night", "every night at 9 PM", 21, 0),
    ("remind me every night at half past nine", "every night at 9:30 PM", 21, 30),
    ("remind me every evening at seven to stretch", "every evening at 7 PM", 19, 0),
    ("remind me to stretch at two in the afternoon", "every day at 2 PM", 14, 0),
])
def test_a_part_of_the_day_said_with_the_time_is_honoured_at_once(person, alexa_api, words,
                                                                  said, hour, minute):
    reply = person.say(words)
    assert reply.text.startswith(f"Done. I'll remind you to stretch {said}.")
    assert rings(alexa_api) == [(hour, minute)]


def test_a_part_of_the_day_said_alone_is_asked_for_its_time(person, alexa_api):
    asked = person.say("remind me to stretch in the morning")
    assert asked.text.endswith("What time should I remind you to stretch each morning, "
                               "for example 8 AM?")
    assert asked.reprompt_text == "What time would you like your stretch reminder, for example 8 AM?"
    assert person.say("seven thirty").text.startswith(
        "Done. I'll remind you to stretch every morning at 7:30 AM.")
    assert rings(alexa_api) == [(7, 30)]


def test_morning_in_answer_to_what_time_asks_what_time_in_the_morning(person, alexa_api):
    person.say("set a reminder")
    assert person.say("in the morning").text.endswith("each morning, for example 8 AM?")
    assert person.say("six forty five").text.startswith(
        "Done. I'll remind you to stretch every morning at 6:45 AM.")


def test_a_morning_reminder_reads_back_as_the_morning(person, alexa_api):
    person.say("remind me to stretch at seven in the morning")
    reply = person.say("what time is my reminder set for")
    assert reply.text.startswith("Your stretch reminder is every morning at 7 AM.")
    assert "change my stretch reminder to 7:30 AM" in reply.text


# ------------------------------------------------------------------------------ a bare hour


@pytest.mark.parametrize("words", ["remind me to stretch at nine",
                                   "remind me to stretch at nine a m"])
def test_a_bare_morning_hour_is_still_asked_about_as_the_evening(person, alexa_api, words):
    asked = person.say(words)
    assert asked.text == "9 at night, every night?" and alexa_api.reminders == []
    assert person.say("yes").text.startswith("Done. I'll remind you to stretch every night at 9 PM.")
    assert rings(alexa_api) == [(21, 0)]


@pytest.mark.parametrize("answer", ["no in the morning", "in the morning", "no a m",
                                    "no i meant nine in the morning", "no i said nine"])
def test_the_evening_reading_put_right_in_the_answer(person, alexa_api, answer):
    person.say("remind me to stretch at nine")
    reply = person.say(answer)
    assert reply.text.startswith("Done. I'll remind you to stretch every morning at 9 AM.")
    assert rings(alexa_api) == [(9, 0)]


def test_every_night_in_answer_to_the_evening_question_is_a_yes(person, alexa_api):
    person.say("remind me to stretch at ten")
    assert person.say("every night").text.startswith(
        "Done. I'll remind you to stretch every night at 10 PM.")
    assert rings(alexa_api) == [(22, 0)]


@pytest.mark.parametrize("again", ["nine a m", "nine", "nine in the morning", "at nine"])
def test_no_to_the_evening_then_the_hour_again_is_the_morning_not_a_loop(person, alexa_api,
                                                                         again):
    """The loop the review found: "nine in the morning" read as 9 at night, "no", asked for the
    time, "nine in the morning" read as 9 at night again, for ever."""
    assert person.say("remind me to stretch at nine").text == "9 at night, every night?"
    asked = person.say("no")
    assert asked.text == "Okay. What time should I remind you to stretch, for example 9 AM?"
    assert person.say(again).text.startswith(
        "Done. I'll remind you to stretch every morning at 9 AM.")
    assert rings(alexa_api) == [(9, 0)]


def test_no_to_the_evening_then_another_time_is_that_time(person, alexa_api):
    person.say("remind me to stretch at nine")
    person.say("no")
    assert person.say("ten thirty").text == "10:30 at night, every night?"
    assert "10:30 PM" in person.say("yes").text


def test_a_small_hour_said_no_to_and_said_again_is_the_afternoon(person, alexa_api):
    assert person.say("remind me to stretch at three").text.startswith(
        "That could wake someone sleeping nearby: 3 AM")
    assert person.say("no").text.endswith("for example 3 PM?")
    assert person.say("three").text.startswith("Done. I'll remind you to stretch every day at 3 PM.")


def test_help_while_asked_about_the_evening_says_how_to_get_the_morning(person, alexa_api):
    person.say("remind me to stretch at eight")
    reply = person.say("help")
    assert "If you meant the morning, say: in the morning." in reply.text
    assert person.say("in the morning").text.startswith(
        "Done. I'll remind you to stretch every morning at 8 AM.")


def test_words_that_are_neither_yes_nor_no_ask_again_how_to_answer(person, alexa_api):
    person.say("remind me to stretch at nine")
    reply = person.intent("AMAZON.FallbackIntent")
    assert reply.text == ("Sorry, I didn't catch that. Shall I remind you to stretch every night "
                          "at 9 PM? Say yes, or say: in the morning.")
    assert reply.attributes["question"] == "confirm_time"


# ------------------------------------------------------------------------------ the phrases


@pytest.mark.parametrize("words", ["set a reminder", "remind me tomorrow to stretch",
                                   "can you set a reminder", "remind me to stretch before bed"])
def test_asking_for_a_reminder_without_a_time_asks_for_one(person, alexa_api, words):
    reply = person.say(words)
    assert reply.text.endswith("What time should I remind you to stretch each night, "
                               "for example 9 PM?")
    assert person.say("ten p m").text.startswith("Done.")


@pytest.mark.parametrize("words", ["stop reminding me", "i don't want reminders anymore",
                                   "turn off the reminders"])
def test_stopping_the_reminders_in_other_words(person, alexa_api, words):
    person.say("remind me to stretch at nine p m")
    assert person.say(words).text.startswith("Okay, I've cancelled your stretch reminder.")
    assert alexa_api.reminders == []


def test_the_status_never_suggests_the_time_it_already_is(person, alexa_api):
    person.say("remind me to stretch at ten p m")
    reply = person.say("what time is my reminder set for")
    assert reply.text.startswith("Your stretch reminder is every night at 10 PM.")
    assert "change my stretch reminder to 10:30 PM" in reply.text
    assert "to 10 PM" not in reply.text


# ------------------------------------------------------------------------------ the reading itself


@pytest.mark.parametrize("at, part, refused, expected", [
    (ClockTime(9, 0), None, None, Reading(ClockTime(21, 0), True)),
    (ClockTime(9, 0), "MORNING", None, Reading(ClockTime(9, 0), False)),
    (ClockTime(9, 0), None, ClockTime(21, 0), Reading(ClockTime(9, 0), False)),
    (ClockTime(9, 30), None, ClockTime(21, 0), Reading(ClockTime(21, 30), True)),
    (ClockTime(3, 0), None, None, Reading(ClockTime(3, 0), True)),
    (ClockTime(3, 0), None, ClockTime(3, 0), Reading(ClockTime(15, 0), False)),
    (ClockTime(2, 0), "NIGHT", None, Reading(ClockTime(2, 0), True)),
    (ClockTime(12, 0), "NIGHT", None, Reading(ClockTime(0, 0), True)),
    (ClockTime(21, 0), "MORNING", None, Reading(ClockTime(21, 0), False)),
    (ClockTime(22, 0), None, None, Reading(ClockTime(22, 0), False)),
    (ClockTime(12, 30), None, None, Reading(ClockTime(12, 30), False)),
])
def test_read(at, part, refused, expected):
    assert read(at, part, refused) == expected


@pytest.mark.parametrize("at, part, expected", [
    (ClockTime(9, 0), "AFTERNOON", ClockTime(21, 0)),   # fits neither: the second half
    (ClockTime(5, 0), "EVENING", ClockTime(17, 0)),
    (ClockTime(11, 0), "NIGHT", ClockTime(23, 0)),
    (ClockTime(9, 0), "NOT_A_PART", ClockTime(9, 0)),
])
def test_in_part(at, part, expected):
    assert in_part(at, part) == expected
