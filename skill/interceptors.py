"""Work every request needs, before and after its handler."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import (AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)

from skill import local_time
from skill.recall import Remember
from skill.respond import Voice, speech
from skill.state import SessionState


class LoadState(AbstractRequestInterceptor):
    """Reads the session's state and picks the locale's voice, once, for the handler to use."""

    def process(self, handler_input):
        attributes = handler_input.attributes_manager.request_attributes
        request = handler_input.request_envelope.request
        locale = getattr(request, "locale", None)
        # Any locale, even a missing or malformed one, gets English (skill.speech.locale_chain).
        attributes["voice"] = Voice(
            speech(), locale if isinstance(locale, str) else "",
            is_night=lambda: local_time.is_night(handler_input, attributes["state"]))
        session = handler_input.request_envelope.session
        attributes["state"] = SessionState.from_attributes(
            session.attributes if session is not None else None)


class SaveState(AbstractResponseInterceptor):
    """Remembers what was just said, for "repeat", and writes the state back to the session."""

    def process(self, handler_input, response):
        if handler_input.request_envelope.session is None:
            return
        current = handler_input.attributes_manager.request_attributes["state"]
        if response is not None and response.output_speech is not None:
            current.last_speech = response.output_speech.ssml
            current.last_reprompt = (response.reprompt.output_speech.ssml
                                     if response.reprompt is not None else None)
        session_attributes = handler_input.attributes_manager.session_attributes
        session_attributes.clear()
        session_attributes.update(current.to_attributes())


def request_interceptors():
    """Run in this order before every handler."""
    return [LoadState()]


def response_interceptors():
    """Run in this order after every handler (not after an exception handler)."""
    return [SaveState(), Remember()]
