"""Mid-cramp: the first words are what to do. Then an offer to talk the person through it."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name

from skill import display
from skill.conversation import questions, walkthrough
from skill.respond import ask, tell
from skill.routines import RELIEF
from skill.session import state

# Which stretch to say for which MUSCLE slot value id. Anything else, including no slot, gets the
# general advice: most night cramps are in the calf.
ADVICE_FOR_MUSCLE = {
    "CALF": "calf",
    "FOOT": "foot",
    "TOES": "foot",
    "THIGH": "front_thigh",
    "HAMSTRING": "back_thigh",
    "SHIN": "other",
}
# Every MUSCLE id the interaction model has: LEG gets the general advice, on purpose.
KNOWN_MUSCLES = frozenset(ADVICE_FOR_MUSCLE) | {"LEG"}


def resolved_id(slot) -> str | None:
    """The value id Alexa resolved a custom slot to, or None: only a resolved id counts, the
    spoken words are never trusted or repeated."""
    try:
        authority = slot.resolutions.resolutions_per_authority[0]
        if authority.status.code.value != "ER_SUCCESS_MATCH":
            return None
        return authority.values[0].value.id
    except (AttributeError, IndexError, TypeError):
        return None


def muscle_group(handler_input) -> str:
    """The advice group for what Alexa resolved the Muscle slot to."""
    return ADVICE_FOR_MUSCLE.get(resolved_id(get_slot(handler_input, "Muscle")), "general")


class LegCrampHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("LegCrampIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        current.topic = "cramp"
        current.walk = None
        current.muscle = muscle_group(handler_input)
        response = ask(handler_input, "relief/answer", question=questions.OFFER_RELIEF,
                       muscle=current.muscle)
        display.screen(handler_input, "screen/cramp", muscle=current.muscle)
        return response


def talk_through(handler_input):
    """"Yes" to the offer: the guided relief routine, on the walkthrough engine."""
    return walkthrough.start(handler_input, RELIEF, muscle=state(handler_input).muscle)


def decline(handler_input):
    return tell(handler_input, "relief/decline")
