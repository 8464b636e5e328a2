"""How a handler answers: name what to say (a response key and its data) and whether the
conversation goes on. Rendering, the reprompt and the session flag are handled here, the same way
for every handler.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.speech import Speech
from skill.state import SessionState

_SPEECH: Speech | None = None


def speech() -> Speech:
    """The container's one renderer, built on first use."""
    global _SPEECH
    if _SPEECH is None:
        _SPEECH = Speech()
    return _SPEECH


class Voice:
    """Renders response keys for this request's locale, by night or by day."""

    def __init__(self, renderer: Speech, locale: str,
                 is_night: Callable[[], bool] = lambda: False):
        self.renderer = renderer
        self.locale = locale
        self._is_night = is_night

    @cached_property
    def night(self) -> bool:
        # Found out on the first word spoken: a request answered in silence never asks.
        return self._is_night()

    def __call__(self, key: str, **data: Any) -> str:
        return self.renderer.render(self.locale, key, night=self.night, **data)


def state(handler_input: HandlerInput) -> SessionState:
    return handler_input.attributes_manager.request_attributes["state"]


def voice(handler_input: HandlerInput) -> Voice:
    return handler_input.attributes_manager.request_attributes["voice"]


def ask(handler_input: HandlerInput, key: str, *, reprompt: str, question: str | None = None,
        **data: Any) -> Response:
    """Say `key`, keep the microphone open, and reprompt with `reprompt` if nothing is heard.

    `question` names what a "yes" or "no" will answer; with None, a "yes" has no meaning."""
    say = voice(handler_input)
    state(handler_input).question = question
    builder = handler_input.response_builder
    builder.speak(say(key, **data)).ask(say(reprompt, **data))
    return builder.response


def tell(handler_input: HandlerInput, key: str, **data: Any) -> Response:
    """Say `key` and close the session."""
    state(handler_input).question = None
    builder = handler_input.response_builder
    builder.speak(voice(handler_input)(key, **data)).set_should_end_session(True)
    return builder.response


def silent(handler_input: HandlerInput) -> Response:
    """No speech at all, as Alexa requires for SessionEndedRequest and system events."""
    return handler_input.response_builder.response


def hand_over(handler_input: HandlerInput, key: str, directive, **data) -> Response:
    """Say `key`, then let Alexa take the turn with `directive` (a Connections request such as
    the voice permission prompt): no session flag, Alexa comes back with its answer."""
    state(handler_input).question = None
    builder = handler_input.response_builder
    builder.speak(voice(handler_input)(key, **data)).add_directive(directive)
    return builder.response
