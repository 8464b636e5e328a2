"""Bedtime reminders, against a local stand-in for Alexa's Reminders and Settings APIs."""

from datetime import datetime, timezone

import pytest

from localdev.envelopes import Device, SlotFill
from skill.alexa.reminders_api import PERMISSION, ClockTime, first_time, parse_time

ASK_FOR = "Connections.SendRequest"


@pytest.fixture
def person(new_talk, alexa_api):
    """Someone in New York on an Echo whose calls to Alexa's APIs go to the stand-in."""
    alexa_api.reset(time_zone="America/New_York")
    return lambda locale="en-US", **options: new_talk(locale=locale, **options)


def posted(alexa_api) -> list:
    return [seen for seen in alexa_api.requests if seen.method == "POST"]


def granted(person, **options):
    return person(consent_token="consent-granted", **options)


# ------------------------------------------------------------------------------ the permission


def test_without_the_permission_alexa_is_asked_to_ask_for_it(person, alexa_api):
    reply = person().say("remind me to stretch at nine p m every night")
    assert reply.text == "To set a reminder, I need your permission to use reminders."
    [directive] = reply.directives
    assert directive["type"] == ASK_FOR and directive["name"] == "AskFor"
    assert directive["payload"]["@type"] == "AskForPermissionsConsentRequest"
    assert directive["payload"]["permissionScopes"] == [
        {"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}]
    # The time travels with the request and comes back in Alexa's answer.
    assert directive["token"] == "21:00"
    # Alexa takes the turn: no session flag, no reprompt.
    assert "shouldEndSession" not in reply.response and "reprompt" not in reply.response
    assert alexa_api.reminders == []


def test_once_granted_by_voice_the_reminder_is_set_at_the_time_asked(person, alexa_api):
    talk = person()
    token = talk.say("remind me to stretch at nine thirty p m").directives[0]["token"]
    reply = talk.permission_answer("ACCEPTED", token)
    assert reply.text.startswith("Done. I'll remind you to stretch every night at 9:30 PM.")
    assert reply.ends_session
    [reminder] = alexa_api.reminders
    assert reminder["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=DAILY;BYHOUR=21;BYMINUTE=30;BYSECOND=0"]


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_no_permission_means_no_reminder_and_says_so(person, alexa_api, status):
    talk = person()
    token = talk.say("remind me to stretch at nine p m").directives[0]["token"]
    reply = talk.permission_answer(status, token)
    assert reply.text.startswith("Okay, no reminder.") and reply.ends_session
    assert posted(alexa_api) == []


@pytest.mark.parametrize("status", [401, 403])
def test_if_the_api_says_no_permission_a_consent_card_is_sent(person, alexa_api, status):
    alexa_api.reminder_status = status
    reply = granted(person).say("remind me to stretch at nine p m")
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}
    assert "I've sent a card to your Alexa app" in reply.text and reply.ends_session


# ------------------------------------------------------------------------------ with permission


def test_with_the_permission_it_confirms_the_time_and_creates_a_daily_reminder(person, alexa_api):
    now = datetime(2024, 3, 5, 23, 0, tzinfo=timezone.utc)  # 18:00 in New York
    reply = granted(person, now=lambda: now).say("remind me to stretch at nine p m every night")
    assert reply.text.startswith("Done. I'll remind you to stretch every night at 9 PM.")
    assert reply.ends_session
    [reminder] = alexa_api.reminders
    trigger = reminder["trigger"]
    assert trigger["type"] == "SCHEDULED_ABSOLUTE"
    assert trigger["timeZoneId"] == "America/New_York"
    # Tonight, in the person's own time, with no offset: as the Reminders API wants it.
    assert trigger["scheduledTime"] == "2024-03-05T21:00:00"
    assert trigger["recurrence"] == {"startDateTime": "2024-03-05T21:00:00",
                                     "recurrenceRules": ["FREQ=DAILY;BYHOUR=21;BYMINUTE=0;BYSECOND=0"]}
    assert reminder["pushNotification"] == {"status": "ENABLED"}
    assert posted(alexa_api)[0].authorization == "Bearer local-development-token"


def test_the_reminder_says_only_that_it_is_time_to_stretch(talk, alexa_api):
    talk.consent_token = "consent-granted"
    talk.say("remind me to stretch at ten p m")
    [reminder] = alexa_api.reminders
    assert reminder["alertInfo"] == {"spokenInfo": {"content": [
        {"locale": talk.locale, "text": "Time to stretch."}]}}


def test_a_time_already_past_tonight_starts_tomorrow(person, alexa_api):
    now = datetime(2024, 3, 6, 3, 30, tzinfo=timezone.utc)  # 22:30 in New York
    granted(person, now=lambda: now).say("remind me to stretch at nine p m")
    assert alexa_api.reminders[0]["trigger"]["scheduledTime"] == "2024-03-06T21:00:00"


def test_without_the_time_zone_the_reminder_is_still_set(person, alexa_api):
    alexa_api.status = 500
    reply = granted(person).say("remind me to stretch at nine p m")
    assert reply.text.startswith("Done.")
    trigger = alexa_api.reminders[0]["trigger"]
    assert "timeZoneId" not in trigger


@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_an_api_error_gets_a_clear_spoken_answer(person, alexa_api, status):
    alexa_api.reminder_status = status
    reply = granted(person).say("remind me to stretch at nine p m")
    assert reply.text.startswith("Sorry, I couldn't set the reminder just now.")
    assert reply.ends_session and reply.card is None


def test_an_unreachable_api_gets_the_same_clear_answer(new_talk):
    talk = new_talk(device=Device(api_endpoint="http://127.0.0.1:9"), consent_token="granted")
    reply = talk.say("remind me to stretch at nine p m")
    assert reply.text.startswith("Sorry, I couldn't set the reminder just now.")


# ------------------------------------------------------------------------------ the time


def test_without_a_time_it_asks_for_one(person, alexa_api):
    talk = granted(person)
    reply = talk.say("remind me to stretch")
    assert reply.text.endswith("What time should I remind you to stretch each night, "
                               "for example 9 PM?")
    assert reply.attributes["question"] == "reminder_time" and not reply.ends_session
    assert talk.say("ten fifteen p m").text.startswith(
        "Done. I'll remind you to stretch every night at 10:15 PM.")
    assert len(alexa_api.reminders) == 1


def test_yes_is_not_a_time_and_no_lets_it_go(person, alexa_api):
    talk = granted(person)
    talk.say("set a stretch reminder")
    assert talk.say("yes").attributes["question"] == "reminder_time"
    reply = talk.say("no")
    assert reply.text.startswith("Okay, no reminder") and reply.ends_session
    assert posted(alexa_api) == []


def test_words_that_are_no_time_ask_again(person):
    talk = granted(person)
    talk.say("remind me to stretch")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("Sorry, I need a time on the clock")
    assert reply.attributes["question"] == "reminder_time"


@pytest.mark.parametrize("value", ["MO", "AF", "25:00", "9", "<b>&", "21:00:00", "   "])
def test_a_time_that_is_no_bedtime_clock_time_is_asked_again(person, alexa_api, value):
    reply = granted(person).intent("StretchReminderIntent", Time=SlotFill(value))
    assert "What time should I remind you to stretch" in reply.text
    assert not reply.ends_session and posted(alexa_api) == []


@pytest.mark.parametrize("said, hour, minute", [("NI", 21, 0), ("EV", 20, 0), ("07:05", 7, 5)])
def test_at_night_and_in_the_evening_mean_a_bedtime(person, alexa_api, said, hour, minute):
    reply = granted(person).intent("StretchReminderIntent", Time=SlotFill(said))
    assert reply.text.startswith("Done.")
    rule = alexa_api.reminders[0]["trigger"]["recurrence"]["recurrenceRules"][0]
    assert f"BYHOUR={hour};BYMINUTE={minute};" in rule


@pytest.mark.parametrize("hour, minute, said", [(21, 0, "every night at 9 PM"),
                                                (19, 45, "every evening at 7:45 PM"),
                                                (7, 5, "every day at 7:05 AM"),
                                                (0, 0, "every night at 12 AM"),
                                                (12, 30, "every day at 12:30 PM")])
def test_the_confirmation_says_when_it_rings(person, hour, minute, said):
    reply = granted(person).intent("StretchReminderIntent", Time=f"{hour:02d}:{minute:02d}")
    assert f"I'll remind you to stretch {said}." in reply.text


# ------------------------------------------------------------------------------ after the routine


def test_the_bedtime_routine_ends_by_offering_a_reminder(person, alexa_api):
    talk = granted(person)
    talk.say("walk me through a bedtime stretch")
    for _ in range(3):
        last = talk.say("next")
    assert last.text.endswith("Would you like me to remind you to stretch every night?")
    assert last.attributes["question"] == "offer_reminder"
    assert talk.say("yes").attributes["question"] == "reminder_time"
    assert talk.say("nine p m").text.startswith("Done. I'll remind you to stretch every night")
    assert len(alexa_api.reminders) == 1


def test_no_to_the_offer_closes_kindly(person, alexa_api):
    talk = granted(person)
    talk.say("walk me through a bedtime stretch")
    for _ in range(3):
        talk.say("next")
    reply = talk.say("no")
    assert reply.ends_session and posted(alexa_api) == []


# ------------------------------------------------------------------------------ pieces


@pytest.mark.parametrize("value, expected", [("21:00", ClockTime(21, 0)), ("00:05", ClockTime(0, 5)),
                                             ("NI", ClockTime(21, 0)), ("EV", ClockTime(20, 0)),
                                             ("MO", None), ("24:00", None), (None, None), (21, None),
                                             ("9:00", None)])
def test_parse_time(value, expected):
    assert parse_time(value) == expected


def test_first_time_in_an_unknown_zone_starts_tomorrow_in_utc():
    now = datetime(2024, 3, 5, 12, 0, tzinfo=timezone.utc)
    assert first_time(now, ClockTime(21, 0), None) == datetime(2024, 3, 6, 21, 0)
    assert first_time(now, ClockTime(21, 0), "Not/AZone") == datetime(2024, 3, 6, 21, 0)
    assert first_time(now, ClockTime(21, 0), "Europe/London") == datetime(2024, 3, 5, 21, 0)


def test_once_a_reminder_is_set_the_routine_no_longer_offers_one(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch at nine thirty p m")
    talk.say("walk me through a bedtime stretch")
    for _ in range(3):
        last = talk.say("next")
    assert "That's your bedtime stretch done" in last.text and last.ends_session
    assert "remind" not in last.text


def test_in_another_language_the_reminder_is_still_said_in_english(person, alexa_api):
    granted(person, locale="de-DE").say("remind me to stretch at nine p m")
    assert alexa_api.reminders[0]["alertInfo"]["spokenInfo"]["content"] == [
        {"locale": "en-US", "text": "Time to stretch."}]
