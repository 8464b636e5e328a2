"""The last word when something breaks: calm, and for anything about a cramp, still what to do.

If even the error answer cannot be rendered (a damaged shared template), the locale's last
resort is said instead: pre-written SSML that needs no template (skill.speech.LAST_RESORT)."""

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler

from skill import answers
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
        try:
            speech_, reprompt = (say("error", cramp=about_a_cramp(handler_input, current),
                                     closing=False), say("error_reprompt"))
        except Exception:
            logger.exception("the error answer could not be rendered: saying the last resort")
            answers.said(answers.LAST_RESORT)
            builder.speak(say.renderer.last_resort(say.locale)).set_should_end_session(True)
            return builder.response
        answers.said("error")
        builder.speak(speech_).ask(reprompt)
        return builder.response
