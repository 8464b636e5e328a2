""""Remind me to stretch at nine every night": a time, the person's permission, one daily
reminder. Asking again changes it; "cancel my stretch reminder" deletes it; "what time is my
reminder" reads it back, each through the Reminders API (skill/alexa/one_reminder.py keeps it to
one). Which half of the day a time means is skill/reminder_times.py's."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
from ask_sdk_model.dialog import ElicitSlotDirective

from skill import local_time, reminder_times
from skill.alexa import one_reminder, reminders_api
from skill.alexa.reminders_api import ClockTime
from skill.conversation.questions import Question, ask_about, open_question
from skill.memory import remembered
from skill.respond import ask, hand_over, tell, voice
from skill.session import state
from skill.slots import resolved_id


def spoken_time(handler_input) -> str | None:
    """What Alexa heard for the Time slot, or None (no slot, or not an intent request)."""
    try:
        return getattr(get_slot(handler_input, "Time"), "value", None)
    except TypeError:
        return None


def part_of_day(handler_input) -> str | None:
    """The part of the day said ("in the morning", "every night"): the PartOfDay slot's id, or
    AMAZON.TIME's own part when a part was all the Time slot heard; None if neither."""
    try:
        named = resolved_id(get_slot(handler_input, "PartOfDay"))
    except TypeError:
        named = None
    if named in reminder_times.PARTS:
        return named
    return reminder_times.SAID_PARTS.get(spoken_time(handler_input))


def kept_part(current) -> str | None:
    """The part of the day said before the time, kept in the session while "what time?" is open
    (a damaged or unknown one is none)."""
    return current.reminder_part if current.reminder_part in reminder_times.PARTS else None


def elicit_time(handler_input, key: str, **data):
    """Ask for the time with Dialog.ElicitSlot on StretchReminderIntent's Time slot: the answer
    ("nine p m") is then heard through the slot's own samples, and the model needs no slot-only
    sample ("{Time}") that would catch anything. Only an intent request may carry it."""
    current = state(handler_input)
    current.topic = "reminder"
    current.reminder_at = None
    ask(handler_input, key, question=REMINDER_TIME, part=kept_part(current) or "", **data)
    if is_request_type("IntentRequest")(handler_input):
        wanted = Intent(name="StretchReminderIntent",
                        confirmation_status=IntentConfirmationStatus.NONE,
                        slots={name: Slot(name=name,
                                          confirmation_status=SlotConfirmationStatus.NONE)
                               for name in ("Time", "PartOfDay")})
        handler_input.response_builder.add_directive(
            ElicitSlotDirective(updated_intent=wanted, slot_to_elicit="Time"))
    return handler_input.response_builder.response


def ask_time(handler_input, part: str | None = None):
    """"What time?", in `part` of the day if one was said ("every morning": at what time?)."""
    state(handler_input).reminder_part = part
    return elicit_time(handler_input, "reminder/ask_time")


def not_a_time(handler_input):
    """Words that are no bedtime clock time: ask again."""
    return elicit_time(handler_input, "reminder/not_a_time")


def pending(handler_input) -> ClockTime | None:
    """The time waiting for a yes, if any."""
    return reminders_api.parse_time(state(handler_input).reminder_at)


def confirm_data(handler_input) -> dict:
    at = pending(handler_input)
    return {"hour": at.hour, "minute": at.minute,
            "early": at.hour in reminder_times.SMALL_HOURS}


def heard(handler_input, reading: reminder_times.Reading):
    """A time was heard and read: set it, or first ask "9 at night, every night?"."""
    if not reading.confirm:
        return set_reminder(handler_input, reading.at)
    current = state(handler_input)
    current.topic = "reminder"
    current.reminder_at = reading.at.token
    return ask(handler_input, "reminder/confirm_time", question=CONFIRM_TIME,
               **confirm_data(handler_input))


def confirmed(handler_input):
    """"Yes" to "9 at night, every night?"."""
    at = pending(handler_input)
    state(handler_input).reminder_at = None
    return set_reminder(handler_input, at) if at is not None else ask_time(handler_input)


def refused(handler_input):
    """"No" to "9 at night, every night?": ask for the time, offering the other half of the day;
    said again, the same hour is that one ("9 at night?" "No." "What time?" "Nine a m.")."""
    at = pending(handler_input)
    if at is None:
        return ask_time(handler_input)
    current = state(handler_input)
    current.reminder_refused, current.reminder_part = at.token, None
    other = reminder_times.other_half(at)
    return elicit_time(handler_input, "reminder/ask_again", hour=other.hour, minute=other.minute)


def set_reminder(handler_input, at: ClockTime):
    """With the permission: set it (replacing the skill's own) and say when it rings. Without:
    ask Alexa to ask."""
    current = state(handler_input)
    current.topic = "reminder"
    current.reminder_part = current.reminder_refused = None
    if not reminders_api.permitted(handler_input):
        return hand_over(handler_input, "reminder/permission", reminders_api.ask_for_permission(at))
    say = voice(handler_input)
    # Said by the reminder, whenever it rings: in the day voice's words.
    text = say.fields("reminder/text", night=False)["text"]
    # The same lookup as the night voice's, at most once a session; None if unknown.
    zone = local_time.time_zone(handler_input, state(handler_input))
    memory = remembered(handler_input)
    try:
        kept = one_reminder.set_daily(handler_input, at, text, zone, memory.reminder_token)
    except reminders_api.NotPermitted:
        return consent_card(handler_input, "reminder/consent_card")
    except one_reminder.Unsure:
        return tell(handler_input, "reminder/unsure")
    except one_reminder.NotSet as failed:
        still = still_rings(memory, failed.kept)
        return tell(handler_input, "reminder/failed", still=still is not None,
                    hour=still.hour if still else 0, minute=still.minute if still else 0)
    except reminders_api.ReminderFailed:
        return tell(handler_input, "reminder/failed", still=False, hour=0, minute=0)
    # The time (the routine need not offer a reminder again) and the token (asking again
    # changes this one).
    remember(memory, kept.token, at)
    return tell(handler_input, "reminder/set", hour=at.hour, minute=at.minute,
                replaced=kept.replaced, left_over=kept.left_over)


def still_rings(memory, kept) -> ClockTime | None:
    """When the reminder that still rings after a failed change rings, if that is known; what is
    remembered follows it."""
    if kept is None:
        return None
    at = kept.at or (reminders_api.parse_time(memory.reminder_time)
                     if kept.token == memory.reminder_token else None)
    remember(memory, kept.token, at)
    return at


def remember(memory, token: str, at: ClockTime | None) -> None:
    """What the API holds, remembered; written only where it differs (an assignment writes)."""
    if memory.reminder_token != token:
        memory.reminder_token = token
    if at is not None and memory.reminder_time != at.token:
        memory.reminder_time = at.token


def consent_card(handler_input, key: str):
    response = tell(handler_input, key)
    handler_input.response_builder.set_card(reminders_api.consent_card())
    return response


def forget_reminder(handler_input) -> None:
    memory = remembered(handler_input)
    if memory.reminder_time is not None or memory.reminder_token is not None:
        memory.reminder_time = memory.reminder_token = None


class StretchReminderHandler(AbstractRequestHandler):
    """"Remind me to stretch at nine", "every morning at seven", "change my reminder to ten pm",
    or a time in answer to "what time?" or to "9 at night, every night?"."""

    def can_handle(self, handler_input):
        return is_intent_name("StretchReminderIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        asked = open_question(handler_input)
        said = spoken_time(handler_input)
        part = part_of_day(handler_input)
        clock = None if said in reminder_times.SAID_PARTS else reminders_api.parse_time(said)
        if asked is CONFIRM_TIME:
            offered = pending(handler_input)
            if clock is None and part is not None:
                # "No, in the morning", "at night": the hour offered, in that part of the day.
                at = reminder_times.in_part(ClockTime(offered.hour % 12, offered.minute), part)
                if at == offered:
                    return confirmed(handler_input)
                return heard(handler_input, reminder_times.read(at, part))
            # Another time instead of a yes: the same hour said again is not the one offered.
            refused_at = offered
        elif asked is REMINDER_TIME:
            refused_at = reminders_api.parse_time(current.reminder_refused)
            part = part or kept_part(current)
        else:
            refused_at = None
        if clock is not None:
            return heard(handler_input, reminder_times.read(clock, part, refused_at))
        if said in reminders_api.PARTS_OF_DAY:
            # "At night", "in the evening" as the whole time: a bedtime.
            return set_reminder(handler_input, reminders_api.parse_time(said))
        if part is not None:
            # "Every morning", "in the morning": at what time?
            return ask_time(handler_input, part)
        if said:
            # Words that are no time: a bedtime reminder needs a clock time.
            return not_a_time(handler_input)
        return ask_time(handler_input)


class CancelReminderHandler(AbstractRequestHandler):
    """"Cancel my stretch reminder": the skill's reminder deleted, wherever it was set."""

    def can_handle(self, handler_input):
        return is_intent_name("CancelReminderIntent")(handler_input)

    def handle(self, handler_input):
        state(handler_input).topic = "reminder"
        if not reminders_api.permitted(handler_input):
            return consent_card(handler_input, "reminder/consent_card_other")
        try:
            done = one_reminder.cancel_all(handler_input, remembered(handler_input).reminder_token)
        except reminders_api.NotPermitted:
            return consent_card(handler_input, "reminder/consent_card_other")
        except reminders_api.ReminderFailed:
            return tell(handler_input, "reminder/cancel_failed", cancelled=0, left=1)
        if done.left:
            return tell(handler_input, "reminder/cancel_failed", cancelled=done.deleted,
                        left=done.left)
        forget_reminder(handler_input)
        if not done.deleted:
            return tell(handler_input, "reminder/none")
        return tell(handler_input, "reminder/cancelled", count=done.deleted,
                    unchecked=done.unchecked)


class ReminderStatusHandler(AbstractRequestHandler):
    """"What time is my reminder": read from the Reminders API, so a change made in the Alexa
    app is what is said."""

    def can_handle(self, handler_input):
        return is_intent_name("ReminderStatusIntent")(handler_input)

    def handle(self, handler_input):
        state(handler_input).topic = "reminder"
        if not reminders_api.permitted(handler_input):
            return consent_card(handler_input, "reminder/consent_card_other")
        try:
            found = reminders_api.ours(handler_input, remembered(handler_input).reminder_token)
        except reminders_api.NotPermitted:
            return consent_card(handler_input, "reminder/consent_card_other")
        except (reminders_api.ReminderFailed, reminders_api.Gone):
            return tell(handler_input, "reminder/status_failed")
        if found is None:
            forget_reminder(handler_input)
            return tell(handler_input, "reminder/none")
        token, at = found
        # What the API holds is the truth.
        remember(remembered(handler_input), token, at)
        if at is None:
            return tell(handler_input, "reminder/status", known=False, hour=0, minute=0)
        return tell(handler_input, "reminder/status", known=True, hour=at.hour, minute=at.minute)


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's answer to the voice permission request, with the time it was asked for (already
    confirmed, when it needed to be)."""

    def can_handle(self, handler_input):
        return (is_request_type("Connections.Response")(handler_input)
                and handler_input.request_envelope.request.name == "AskFor")

    def handle(self, handler_input):
        request = handler_input.request_envelope.request
        payload = request.payload if isinstance(request.payload, dict) else {}
        if payload.get("status") != "ACCEPTED":
            return tell(handler_input, "reminder/not_permitted")
        at = reminders_api.parse_time(request.token)
        if at is None:
            return ask_time(handler_input)
        return set_reminder(handler_input, at)


def decline(handler_input):
    current = state(handler_input)
    current.reminder_at = current.reminder_part = current.reminder_refused = None
    return tell(handler_input, "reminder/declined")


# "Would you like a reminder to stretch each night?", at the end of the bedtime routine
# (`routines.BEDTIME.offer` names it).
OFFER_REMINDER = ask_about(Question(
    "offer_reminder", reprompt="reminder/offer_reprompt", on_yes=ask_time, on_no=decline))

# "Yes" to "what time?" is not a time: ask again. "No" lets it go.
REMINDER_TIME = ask_about(Question(
    "reminder_time", reprompt="reminder/ask_time_reprompt", reask="reminder/not_a_time",
    on_yes=ask_time, on_no=decline, on_unclear=not_a_time,
    help=lambda handler_input: elicit_time(handler_input, "reminder/help")))

# "Nine" for a bedtime stretch is nine at night; "three" may wake a partner: "yes" sets it as
# asked, "no" asks for the time (reminder_times.read).
CONFIRM_TIME = ask_about(Question(
    "confirm_time", reprompt="reminder/confirm_time_reprompt", on_yes=confirmed, on_no=refused,
    reask="reminder/confirm_time_again",
    data=confirm_data, is_open=lambda handler_input: pending(handler_input) is not None,
    help=lambda handler_input: ask(handler_input, "reminder/help_confirm", question=CONFIRM_TIME,
                                   **confirm_data(handler_input))))
