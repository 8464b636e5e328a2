"""Prevention and causes: spoken advice from the article, each ending in an offer."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import display
from skill.conversation import questions
from skill.respond import ask
from skill.session import state


def prevent(handler_input):
    state(handler_input).topic = "prevent"
    display.card(handler_input, "cards/prevent")
    return ask(handler_input, "prevent", question=questions.OFFER_BEDTIME)


class PreventCrampsHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("PreventCrampsIntent")(handler_input)

    def handle(self, handler_input):
        return prevent(handler_input)


class CausesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("CausesIntent")(handler_input)

    def handle(self, handler_input):
        state(handler_input).topic = "causes"
        return ask(handler_input, "causes", question=questions.OFFER_PREVENT)

