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


@pytest.mark.parametrize("said, hour, minute", [("NI", 21, 0), ("EV", 20, 0), ("19:05", 19, 5)])
def test_at_night_and_in_the_evening_mean_a_bedtime(person, alexa_api, said, hour, minute):
    reply = granted(person).intent("StretchReminderIntent", Time=SlotFill(said))
    assert reply.text.startswith("Done.")
    rule = alexa_api.reminders[0]["trigger"]["recurrence"]["recurrenceRules"][0]
    assert f"BYHOUR={hour};BYMINUTE={minute};" in rule


@pytest.mark.parametrize("hour, minute, said", [(21, 0, "every night at 9 PM"),
                                                (19, 45, "every evening at 7:45 PM"),
                                                (17, 5, "every evening at 5:05 PM"),
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


# ------------------------------------------------------------------------------ which hour


@pytest.mark.parametrize("words", ["can you remind me to stretch at nine",
                                   "remind me to stretch at nine a m"])
def test_a_morning_hour_is_read_as_the_evening_and_confirmed(person, alexa_api, words):
    # AMAZON.TIME sends 09:00 for "nine" and for "nine a.m.": nobody stretches for bed at 9 a.m.
    # ("at nine every night", "at nine in the morning": tests/test_reminder_times.py)
    talk = granted(person)
    asked = talk.say(words)
    assert asked.text == "9 at night, every night?"
    assert asked.attributes["question"] == "confirm_time" and not asked.ends_session
    assert posted(alexa_api) == []
    assert talk.say("yes").text.startswith("Done. I'll remind you to stretch every night at 9 PM.")
    assert "BYHOUR=21;BYMINUTE=0;" in alexa_api.reminders[0]["trigger"]["recurrence"][
        "recurrenceRules"][0]


def test_no_to_the_evening_asks_for_the_time(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch at nine")
    reply = talk.say("no")
    # The other half of the day is offered as the example.
    assert reply.text == "Okay. What time should I remind you to stretch, for example 9 AM?"
    assert reply.attributes["question"] == "reminder_time"
    assert talk.say("seven forty five p m").text.startswith(
        "Done. I'll remind you to stretch every evening at 7:45 PM.")
    assert len(alexa_api.reminders) == 1


def test_ten_thirty_in_answer_to_what_time_is_half_past_ten_at_night(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch")
    assert talk.say("ten thirty").text == "10:30 at night, every night?"
    assert "10:30 PM" in talk.say("yes").text
    assert "BYHOUR=22;BYMINUTE=30;" in alexa_api.reminders[0]["trigger"]["recurrence"][
        "recurrenceRules"][0]


def test_a_small_hour_is_confirmed_before_it_is_set(person, alexa_api):
    talk = granted(person)
    asked = talk.say("remind me to stretch at three a m")
    assert asked.text == "That could wake someone sleeping nearby: 3 AM, every night?"
    assert posted(alexa_api) == []
    assert "3 AM" in talk.say("yes").text
    assert "BYHOUR=3;" in alexa_api.reminders[0]["trigger"]["recurrence"]["recurrenceRules"][0]


def test_no_to_a_small_hour_sets_nothing_and_asks_for_the_time(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch at three a m")
    assert talk.say("no").attributes["question"] == "reminder_time"
    assert posted(alexa_api) == []


def test_without_the_permission_the_confirmed_time_is_what_alexa_asks_for(person, alexa_api):
    talk = person()
    talk.say("remind me to stretch at nine")
    token = talk.say("yes").directives[0]["token"]
    assert token == "21:00"
    assert "9 PM" in talk.permission_answer("ACCEPTED", token).text


def test_help_while_waiting_for_a_time_asks_for_it_again(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch")
    reply = talk.say("help")
    assert reply.text.endswith("What time should I remind you?")
    assert reply.attributes["question"] == "reminder_time" and not reply.ends_session
    assert talk.say("nine thirty p m").text.startswith("Done.")


def test_help_while_confirming_the_time_asks_again(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch at nine")
    reply = talk.say("help")
    assert "Say yes, and I'll remind you to stretch every night at 9 PM" in reply.text
    assert reply.attributes["question"] == "confirm_time"
    assert talk.say("yes").text.startswith("Done.")


# ------------------------------------------------------------------------------ one reminder


def test_asking_again_replaces_the_reminder(person, alexa_api):
    talk = granted(person)
    talk.say("remind me to stretch at nine p m")
    reply = granted(person).say("remind me to stretch at ten p m")
    assert reply.text.startswith("Done. Your stretch reminder is now every night at 10 PM.")
    [reminder] = alexa_api.reminders
    assert "BYHOUR=22;" in reminder["trigger"]["recurrence"]["recurrenceRules"][0]
    # The first, knowing no reminder of its own yet, looks for one before it makes one.
    assert [seen.method for seen in alexa_api.requests if "/alerts/" in seen.path] == [
        "GET", "POST", "PUT"]


def test_change_my_reminder_to_ten_pm_updates_it(person, alexa_api):
    granted(person).say("remind me to stretch at nine p m")
    reply = granted(person).say("change my reminder to ten p m")
    assert "now every night at 10 PM" in reply.text
    assert len(alexa_api.reminders) == 1


def test_a_reminder_deleted_in_the_alexa_app_is_set_anew(person, alexa_api):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.alerts.clear()  # deleted in the Alexa app
    reply = granted(person).say("remind me to stretch at ten p m")
    assert reply.text.startswith("Done. I'll remind you to stretch every night at 10 PM.")
    assert len(alexa_api.reminders) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_replacing_without_permission_sends_the_consent_card(person, alexa_api, status):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.reminder_failures = {"PUT": status}
    reply = granted(person).say("remind me to stretch at ten p m")
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}


@pytest.mark.parametrize("status", [400, 429, 500])
def test_replacing_when_the_api_fails_says_so(person, alexa_api, status):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.reminder_failures = {"PUT": status}
    reply = granted(person).say("remind me to stretch at ten p m")
    assert reply.text.startswith("Sorry, I couldn't set the reminder just now.")
    assert "BYHOUR=21;" in alexa_api.reminders[0]["trigger"]["recurrence"]["recurrenceRules"][0]


# ------------------------------------------------------------------------------ cancel, what time


def test_cancel_my_stretch_reminder_deletes_it(person, alexa_api):
    granted(person).say("remind me to stretch at nine p m")
    reply = granted(person).say("cancel my stretch reminder")
    assert reply.text.startswith("Okay, I've cancelled your stretch reminder.")
    assert reply.ends_session and alexa_api.reminders == []
    assert [seen.method for seen in alexa_api.requests][-1] == "DELETE"
    # Forgotten too: the routine offers one again, and "what time" says there is none.
    assert granted(person).say("what time is my reminder").text.startswith(
        "You don't have a stretch reminder from me.")


def test_cancel_finds_a_reminder_the_skill_set_before_it_kept_its_token(person, alexa_api):
    alexa_api.alerts["older-reminder"] = {"trigger": {"recurrence": {
        "recurrenceRules": ["FREQ=DAILY;BYHOUR=21;BYMINUTE=15;BYSECOND=0"]}}}
    reply = granted(person).say("cancel my stretch reminder")
    assert reply.text.startswith("Okay, I've cancelled")
    assert alexa_api.reminders == []


def test_cancel_with_no_reminder_says_there_is_none(person, alexa_api):
    reply = granted(person).say("cancel my stretch reminder")
    assert reply.text.startswith("You don't have a stretch reminder from me.")
    assert reply.ends_session


def test_cancel_after_it_was_deleted_in_the_app_says_there_is_none(person, alexa_api):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.alerts.clear()
    assert granted(person).say("cancel my stretch reminder").text.startswith(
        "You don't have a stretch reminder")


def test_what_time_is_my_reminder_reads_it_from_the_api(person, alexa_api):
    granted(person).say("remind me to stretch at nine thirty p m")
    reply = granted(person).say("what time is my reminder")
    assert reply.text.startswith("Your stretch reminder is every night at 9:30 PM.")
    assert reply.ends_session
    # Changed in the Alexa app since: what the API holds now is what is said.
    [token] = alexa_api.alerts
    alexa_api.alerts[token]["trigger"]["recurrence"]["recurrenceRules"] = [
        "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;BYSECOND=0"]
    assert "every night at 10 PM" in granted(person).say("what time is my reminder").text
    assert [seen.method for seen in alexa_api.requests][-1] == "GET"


def test_what_time_with_no_reminder_says_how_to_set_one(person, alexa_api):
    reply = granted(person).say("what time is my reminder")
    assert reply.text == ("You don't have a stretch reminder from me. To set one, say: "
                          "remind me to stretch at 9 PM.")


@pytest.mark.parametrize("words", ["cancel my stretch reminder", "what time is my reminder"])
def test_without_the_permission_cancel_and_what_time_send_the_consent_card(person, alexa_api,
                                                                           words):
    reply = person().say(words)
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}
    assert "I need your permission to see your reminders" in reply.text
    assert [seen for seen in alexa_api.requests if "/alerts/" in seen.path] == []


@pytest.mark.parametrize("words, method", [("cancel my stretch reminder", "DELETE"),
                                           ("what time is my reminder", "GET")])
@pytest.mark.parametrize("status", [401, 403])
def test_the_api_refusing_cancel_or_what_time_sends_the_consent_card(person, alexa_api, words,
                                                                     method, status):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.reminder_failures = {method: status}
    reply = granted(person).say(words)
    assert reply.card == {"type": "AskForPermissionsConsent", "permissions": [PERMISSION]}
    assert reply.ends_session


@pytest.mark.parametrize("words, method, said", [
    ("cancel my stretch reminder", "DELETE", "Sorry, I couldn't cancel the reminder just now."),
    ("what time is my reminder", "GET", "Sorry, I couldn't check your reminder just now.")])
@pytest.mark.parametrize("status", [400, 429, 500, 503])
def test_an_api_error_on_cancel_or_what_time_gets_a_clear_answer(person, alexa_api, words, method,
                                                                said, status):
    granted(person).say("remind me to stretch at nine p m")
    alexa_api.reminder_failures = {method: status}
    reply = granted(person).say(words)
    assert reply.text.startswith(said) and reply.ends_session and reply.card is None
    assert len(alexa_api.reminders) == 1


def test_an_unreachable_api_on_cancel_gets_the_same_clear_answer(new_talk):
    talk = new_talk(device=Device(api_endpoint="http://127.0.0.1:9"), consent_token="granted")
    assert talk.say("cancel my stretch reminder").text.startswith(
        "Sorry, I couldn't cancel the reminder")


@pytest.mark.parametrize("intent", ["CancelReminderIntent", "ReminderStatusIntent"])
def test_asked_without_its_name_it_can_cancel_or_read_its_reminder(new_talk, alexa_api, intent):
    reply = new_talk().can_fulfill(intent)
    assert reply.response["canFulfillIntent"] == {"canFulfill": "YES"}
    assert alexa_api.requests == []
