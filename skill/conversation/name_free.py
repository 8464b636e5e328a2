"""Name-free requests: before "Alexa, how do I stop a leg cramp" reaches any skill, Alexa asks
each candidate whether it can handle the intent (CanFulfillIntentRequest). A YES is a promise:
given only where this skill fully can, with every slot value understood. Nothing is said, nothing
is stored, and no API is called."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_request_type
from ask_sdk_model.canfulfill import (CanFulfillIntent, CanFulfillIntentValues, CanFulfillSlot,
                                      CanFulfillSlotValues, CanUnderstandSlotValues)

from skill import reminder_times
from skill.alexa import reminders_api
from skill.conversation.advice import CAUSE_ANSWERS
from skill.slots import resolved_id
from skill.symptom_table import parts


def _muscle_understood(slot) -> bool:
    """A leg: the skill fully serves a cramp there."""
    part = parts().get(resolved_id(slot))
    return part is not None and part.leg


# Each custom intent and, for each of its slots, whether a value of it is one the skill serves.
# An intent without slots needs nothing more: the skill answers it in full. ClinicIntent is not
# here: "Alexa, book an appointment" without the skill's name is Alexa's own, not this skill's.
UNDERSTANDS = {
    "LegCrampIntent": {"Muscle": _muscle_understood},
    "PreventCrampsIntent": {},
    "SeeDoctorIntent": {},
    # A cause named ("does exercise cause cramps") has its own answer.
    "CausesIntent": {"Cause": lambda slot: resolved_id(slot) in CAUSE_ANSWERS},
    "BedtimeStretchIntent": {},
    "StretchReminderIntent": {
        "Time": lambda slot: (reminders_api.parse_time(slot.value) is not None
                              or slot.value in reminder_times.SAID_PARTS),
        "PartOfDay": lambda slot: resolved_id(slot) in reminder_times.PARTS},
    "CancelReminderIntent": {},
    "ReminderStatusIntent": {},
}


def answer(intent) -> CanFulfillIntent:
    name = getattr(intent, "name", None)
    if name not in UNDERSTANDS:
        return CanFulfillIntent(can_fulfill=CanFulfillIntentValues.NO)
    checks = UNDERSTANDS[name]
    slots, all_served = {}, True
    for slot_name, slot in (getattr(intent, "slots", None) or {}).items():
        if slot is None or not slot.value:
            continue  # an absent value: the skill asks for it or does without
        served = slot_name in checks and checks[slot_name](slot)
        all_served &= served
        slots[slot_name] = CanFulfillSlot(
            can_understand=CanUnderstandSlotValues.YES if served else CanUnderstandSlotValues.NO,
            can_fulfill=CanFulfillSlotValues.YES if served else CanFulfillSlotValues.NO)
    # A muscle it does not know ("my neck") or words that are no time: the skill might still
    # help (general stretch advice, asking for a time), but promises nothing.
    verdict = CanFulfillIntentValues.YES if all_served else CanFulfillIntentValues.MAYBE
    return CanFulfillIntent(can_fulfill=verdict, slots=slots or None)


class CanFulfillHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("CanFulfillIntentRequest")(handler_input)

    def handle(self, handler_input):
        intent = handler_input.request_envelope.request.intent
        return handler_input.response_builder.set_can_fulfill_intent(answer(intent)).response
