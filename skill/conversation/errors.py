"""The last word when something breaks: calm, and for anything about a cramp, still what to do."""

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from skill.conversation.relief import OFFER_RELIEF
from skill.memory import NotForgotten
from skill.session import SessionState
from skill.speech import Voice, speech

logger = logging.getLogger(__name__)


def about_a_cramp(handler_input, current: SessionState) -> bool:
    request = handler_input.request_envelope.request
    intent = getattr(getattr(request, "intent", None), "name", None)
    walk = current.walk
    return (intent == "LegCrampIntent" or current.topic == "cramp"
            or current.question == OFFER_RELIEF.name or (walk is not None and walk.routine == "relief"))


class CatchAllExceptionHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        # A failed forget is not answered: the request fails, and Alexa sends the event again.
        return not isinstance(exception, NotForgotten)

    def handle(self, handler_input, exception):
        logger.exception("request failed: %s", exception)
        attributes = handler_input.attributes_manager.request_attributes
        current = attributes.get("state")
        if not isinstance(current, SessionState):
            current = SessionState()
        say = attributes.get("voice")
        if not isinstance(say, Voice):
            say = Voice(speech(), "en-US")
        # Start from a clean builder: the failing handler may have half-built a response.
        builder = handler_input.response_builder
        builder.response.directives = None
        builder.response.card = None
        builder.speak(say("error", cramp=about_a_cramp(handler_input, current), closing=False))
        builder.ask(say("error_reprompt"))
        return builder.response
