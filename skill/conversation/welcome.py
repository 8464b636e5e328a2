"""Launch: what the skill can do, the disclaimer once for a first-timer, and for someone who left
a bedtime routine unfinished, an offer to carry on from where they were."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_request_type

from skill import routines
from skill.conversation import questions, walkthrough
from skill.memory import remembered
from skill.respond import ask
from skill.routines import ROUTINES, Routine
from skill.session import state


def launch(handler_input, welcome: str = "again"):
    """What the skill can do, and a question. `welcome` picks the greeting (see launch.ssml.j2)."""
    current = state(handler_input)
    current.topic = None
    current.walk = None
    return ask(handler_input, "launch", reprompt="launch_reprompt", welcome=welcome)


def greeting(handler_input) -> str:
    """How to greet this person ("first" or "returning"), noting that they have now heard the
    disclaimer."""
    memory = remembered(handler_input)
    first = memory.first_visit
    memory.disclaimer_heard = True
    return "first" if first else "returning"


def unfinished(handler_input) -> tuple[Routine, int] | None:
    """The routine left unfinished and its step, if it can still be resumed in this version."""
    saved = remembered(handler_input).walk
    routine = ROUTINES.get(saved.routine) if saved is not None else None
    if routine is None or not routine.resumable or saved.step >= len(routine.steps):
        return None
    return routine, saved.step


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        # Someone who left a routine unfinished is offered to carry on; anyone else, the menu.
        if unfinished(handler_input):
            greeting(handler_input)
            return offer_resume(handler_input, questions.OFFER_RESUME, "welcome/resume")
        return launch(handler_input, welcome=greeting(handler_input))


def offer_resume(handler_input, question, key: str, topic: str | None = None):
    """Offer to carry on the unfinished routine: at launch, or (with its `topic`) when the
    bedtime stretch itself is asked for."""
    routine, step = unfinished(handler_input)
    current = state(handler_input)
    current.topic = topic
    current.walk = None
    return ask(handler_input, key, question=question, number=step + 1, total=len(routine.steps))


def carry_on(handler_input):
    """"Yes" to the offer: the routine again, at the step where it was left."""
    left = unfinished(handler_input)
    if left is None:
        return launch(handler_input)
    routine, step = left
    current = state(handler_input)
    current.topic = routine.name
    routines.begin(current, routine, step=step)
    return walkthrough.say_step(handler_input, key="walkthrough/resumed")


def start_fresh(handler_input):
    """"No" to the offer: forget where it was left, and say what else the skill can do."""
    remembered(handler_input).walk = None
    return launch(handler_input, welcome="fresh")
