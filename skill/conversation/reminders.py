""""Remind me to stretch at nine every night": a time, the person's permission, a daily reminder."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name, is_request_type
from ask_sdk_model import Intent, IntentConfirmationStatus, Slot, SlotConfirmationStatus
from ask_sdk_model.dialog import ElicitSlotDirective

from skill import local_time
from skill.alexa import reminders_api
from skill.conversation import questions
from skill.memory import remembered
from skill.respond import ask, hand_over, tell, voice
from skill.session import state


def spoken_time(handler_input) -> str | None:
    """What Alexa heard for the Time slot, or None (no slot, or not an intent request)."""
    try:
        return getattr(get_slot(handler_input, "Time"), "value", None)
    except TypeError:
        return None


def elicit_time(handler_input, key: str):
    """Ask for the time with Dialog.ElicitSlot on StretchReminderIntent's Time slot: the answer
    ("nine p m") is then heard through the slot's own samples, and the model needs no slot-only
    sample ("{Time}") that would catch anything. Only an intent request may carry it."""
    state(handler_input).topic = "reminder"
    ask(handler_input, key, question=questions.REMINDER_TIME)
    if is_request_type("IntentRequest")(handler_input):
        wanted = Intent(name="StretchReminderIntent",
                        confirmation_status=IntentConfirmationStatus.NONE,
                        slots={"Time": Slot(name="Time",
                                            confirmation_status=SlotConfirmationStatus.NONE)})
        handler_input.response_builder.add_directive(
            ElicitSlotDirective(updated_intent=wanted, slot_to_elicit="Time"))
    return handler_input.response_builder.response


def ask_time(handler_input):
    return elicit_time(handler_input, "reminder/ask_time")


def not_a_time(handler_input):
    """Words that are no bedtime clock time: ask again."""
    return elicit_time(handler_input, "reminder/not_a_time")


def set_reminder(handler_input, at: reminders_api.ClockTime):
    """With the permission: create it and say when it rings. Without: ask Alexa to ask."""
    state(handler_input).topic = "reminder"
    if not reminders_api.permitted(handler_input):
        return hand_over(handler_input, "reminder/permission", reminders_api.ask_for_permission(at))
    say = voice(handler_input)
    # Said by the reminder, whenever it rings: in the day voice's words.
    text = say.fields("reminder/text", night=False)["text"]
    # The same lookup as the night voice's, at most once a session; None if unknown.
    zone = local_time.time_zone(handler_input, state(handler_input))
    try:
        reminders_api.create_daily(handler_input, at, text, zone)
    except reminders_api.NotPermitted:
        response = tell(handler_input, "reminder/consent_card")
        handler_input.response_builder.set_card(reminders_api.consent_card())
        return response
    except reminders_api.ReminderFailed:
        return tell(handler_input, "reminder/failed")
    # Only the time, so that the end of the bedtime routine need not offer it again.
    remembered(handler_input).reminder_time = at.token
    return tell(handler_input, "reminder/set", hour=at.hour, minute=at.minute)


class StretchReminderHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("StretchReminderIntent")(handler_input)

    def handle(self, handler_input):
        heard = spoken_time(handler_input)
        at = reminders_api.parse_time(heard)
        if at is not None:
            return set_reminder(handler_input, at)
        if heard:
            # "In the morning", or words that are no time: a bedtime reminder needs a clock time.
            return not_a_time(handler_input)
        return ask_time(handler_input)


class PermissionAnswerHandler(AbstractRequestHandler):
    """Alexa's answer to the voice permission request, with the time it was asked for."""

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
    return tell(handler_input, "reminder/declined")
