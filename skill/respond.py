"""How a handler answers: name what to say (a response key and its data) and whether the
conversation goes on. Rendering, the reprompt and the session flag are handled here, the same way
for every handler; so is noting which key was said, for the request's log line (skill.answers).
"""

from __future__ import annotations

from typing import Any, Protocol

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill import answers
from skill.session import state
from skill.speech import Voice


class Question(Protocol):
    """What asking needs of a question (a row of `skill.conversation.questions`)."""

    name: str
    reprompt: str


def voice(handler_input: HandlerInput) -> Voice:
    """This request's voice, as `skill.session.LoadSession` chose it."""
    return handler_input.attributes_manager.request_attributes["voice"]


def ask(handler_input: HandlerInput, key: str, *, question: Question | None = None,
        reprompt: str | None = None, aloud: bool = False, **data: Any) -> Response:
    """Say `key`, keep the microphone open, and reprompt if nothing is heard.

    `question` is what a "yes" or "no" will answer (a row of `skill.conversation.questions`);
    its reprompt is used unless `reprompt` names another. With no question, a "yes" has no
    meaning and `reprompt` is needed."""
    if reprompt is None:
        if question is None:
            raise TypeError("ask() needs a question or a reprompt")
        reprompt = question.reprompt
    say = voice(handler_input)
    state(handler_input).question = question.name if question is not None else None
    answers.said(key)
    builder = handler_input.response_builder
    builder.speak(say(key, aloud=aloud, **data)).ask(say(reprompt, aloud=aloud, **data))
    return builder.response


def tell(handler_input: HandlerInput, key: str, *, aloud: bool = False, **data: Any) -> Response:
    """Say `key` and close the session. `aloud`: in the normal voice even at night (an answer
    that sends the person to care now)."""
    state(handler_input).question = None
    answers.said(key)
    builder = handler_input.response_builder
    builder.speak(voice(handler_input)(key, aloud=aloud, **data)).set_should_end_session(True)
    return builder.response


def silent(handler_input: HandlerInput) -> Response:
    """No speech at all, as Alexa requires for SessionEndedRequest and system events."""
    return handler_input.response_builder.response


def hand_over(handler_input: HandlerInput, key: str, directive, **data) -> Response:
    """Say `key`, then let Alexa take the turn with `directive` (a Connections request such as
    the voice permission prompt): no session flag, Alexa comes back with its answer."""
    state(handler_input).question = None
    answers.said(key)
    builder = handler_input.response_builder
    builder.speak(voice(handler_input)(key, **data)).add_directive(directive)
    return builder.response
