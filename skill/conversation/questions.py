"""The yes/no questions the skill asks, as rows, and what "yes" and "no" do with them.

Each topic module declares its own questions (`OFFER_RELIEF = ask_about(Question(...))` in
relief.py): what the question is called in the session, the reprompt when nothing is heard, what
"yes" and "no" do, and how to ask it again when the answer is neither. Asking takes the row
(`respond.ask(..., question=OFFER_RELIEF)`), never a string. This module is the registry: it
knows no topic, so every topic can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill.respond import ask, tell
from skill.session import state

Answer = Callable[..., Response]


def _nothing(handler_input) -> dict:
    return {}


def _always(handler_input) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    name: str
    # Said when nothing is heard after the question.
    reprompt: str
    on_yes: Answer
    on_no: Answer
    # Said when the answer is neither yes nor no; the question stays open.
    reask: str = "fallback/offer"
    # What the reprompt and the re-ask need to say it again (the muscle, the triage question).
    data: Callable[..., dict] = _nothing
    # Whether the question still means something (the routine it was about may be gone).
    is_open: Callable[..., bool] = _always
    # What "not sure", "maybe", "a bit" mean (UnsureIntent); None: ask again, as for anything else.
    on_unsure: Answer | None = None
    # Asks it again itself when the answer is not understood, instead of saying `reask` (the
    # reminder time, with Dialog.ElicitSlot; a red-flag question, with what to do first).
    on_unclear: Answer | None = None
    # What "help" does while it is open: say how to answer, and ask it again (None: help for
    # where the person is).
    help: Answer | None = None
    # Other intents that mean "yes" to it ("carry on", "next" to "shall we carry on from step 3?").
    also_yes: frozenset[str] = frozenset()
    # Whether "continue" (AMAZON.ResumeIntent, which "continue my bedtime stretch" reaches too)
    # means a bedtime place saved from another night before it means "yes" to this question.
    saved_place_first: bool = False


QUESTIONS: dict[str, Question] = {}


def ask_about(question: Question) -> Question:
    """Register a topic's question under its name, so a "yes" in a later turn finds it."""
    if QUESTIONS.setdefault(question.name, question) is not question:
        raise ValueError(f"two questions are called {question.name!r}")
    return question


def open_question(handler_input) -> Question | None:
    """The question the last answer asked, if it still means something. A name this version
    does not know (from an older one, or damaged) is no question."""
    question = QUESTIONS.get(state(handler_input).question)
    return question if question is not None and question.is_open(handler_input) else None


def yes_by_another_name(handler_input, intent: str) -> Response | None:
    """`intent` said while a question that takes it as "yes" is open: that question's yes."""
    question = open_question(handler_input)
    if question is None or intent not in question.also_yes:
        return None
    return question.on_yes(handler_input)


def help_for(handler_input) -> Response | None:
    """Help while a question with help of its own is open: it says how to answer, and asks the
    question again. None otherwise."""
    question = open_question(handler_input)
    if question is None or question.help is None:
        return None
    return question.help(handler_input)


def reask(handler_input) -> Response | None:
    """Something other than yes or no while a question is open: ask it again. None if none is."""
    question = open_question(handler_input)
    if question is None:
        return None
    if question.on_unclear is not None:
        return question.on_unclear(handler_input)
    return ask(handler_input, question.reask, question=question, **question.data(handler_input))


def declined(handler_input):
    """"No" to an offer of something more: a kind goodbye."""
    return tell(handler_input, "declined")


class YesNoHandler(AbstractRequestHandler):
    """"Yes" and "no" mean what the open question meant."""

    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.YesIntent")(handler_input)
                or is_intent_name("AMAZON.NoIntent")(handler_input))

    def handle(self, handler_input):
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        question = open_question(handler_input)
        if question is not None:
            return question.on_yes(handler_input) if yes else question.on_no(handler_input)
        if not yes:
            # "No" to "what would you like?" is a polite way to leave.
            return tell(handler_input, "goodbye", topic=state(handler_input).topic or "")
        return ask(handler_input, "no_question", reprompt="launch_reprompt", answer="yes")
