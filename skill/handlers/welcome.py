"""Launch for someone the skill remembers: the disclaimer once for a first-timer, and an offer to
carry on an unfinished bedtime routine for someone who left one."""

from __future__ import annotations

from datetime import date, datetime, timezone

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill import walkthrough as engine
from skill.handlers.builtins import launch
from skill.handlers.walkthrough import say_step
from skill.recall import remembered
from skill.respond import ask, state
from skill.routines import ROUTINES, Routine


def _today(handler_input) -> date:
    moment = getattr(handler_input.request_envelope.request, "timestamp", None)
    if not isinstance(moment, datetime):
        moment = datetime.now(timezone.utc)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.date()


def greeting(handler_input) -> str:
    """How to greet this person ("first" or "returning"), noting the visit."""
    memory = remembered(handler_input)
    first = memory.first_visit
    memory.visited(_today(handler_input))
    return "first" if first else "returning"


def unfinished(handler_input) -> tuple[Routine, int] | None:
    """The routine left unfinished and its step, if it can still be resumed in this version."""
    saved = remembered(handler_input).walk
    routine = ROUTINES.get(saved.routine) if saved is not None else None
    if routine is None or not routine.resumable or saved.step >= len(routine.steps):
        return None
    return routine, saved.step


class ResumeOfferHandler(AbstractRequestHandler):
    """Before the plain launch: someone who left a routine unfinished is offered to carry on."""

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input) and bool(unfinished(handler_input))

    def handle(self, handler_input):
        routine, step = unfinished(handler_input)
        greeting(handler_input)
        current = state(handler_input)
        current.topic = None
        current.walk = None
        return ask(handler_input, "welcome/resume", reprompt="welcome/resume_reprompt",
                   question="offer_resume", number=step + 1, total=len(routine.steps))


class BedtimeResumeOfferHandler(AbstractRequestHandler):
    """"Walk me through a bedtime stretch" with a place saved: offer to carry on from it."""

    def can_handle(self, handler_input):
        return (is_intent_name("BedtimeStretchIntent")(handler_input)
                and bool(unfinished(handler_input)))

    def handle(self, handler_input):
        routine, step = unfinished(handler_input)
        current = state(handler_input)
        current.topic = routine.name
        current.walk = None
        return ask(handler_input, "welcome/resume_bedtime", reprompt="welcome/resume_reprompt",
                   question="offer_resume_bedtime", number=step + 1, total=len(routine.steps))


RESUME_QUESTIONS = ("offer_resume", "offer_resume_bedtime")


class ResumeNudgeHandler(AbstractRequestHandler):
    """Anything else while a resume offer is open (Alexa's fallback, "go back", "pause"): ask it
    again rather than drop it. Placed after every intent that means something on its own."""

    def can_handle(self, handler_input):
        return (is_request_type("IntentRequest")(handler_input)
                and state(handler_input).question in RESUME_QUESTIONS
                and bool(unfinished(handler_input)))

    def handle(self, handler_input):
        routine, step = unfinished(handler_input)
        current = state(handler_input)
        return ask(handler_input, "fallback/offer", reprompt="welcome/resume_reprompt",
                   question=current.question, number=step + 1, total=len(routine.steps))


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        return launch(handler_input, welcome=greeting(handler_input))


class CarryOnHandler(AbstractRequestHandler):
    """"Carry on", "continue" or "next" in answer to the offer mean yes."""

    def can_handle(self, handler_input):
        return (state(handler_input).question in RESUME_QUESTIONS
                and (is_intent_name("AMAZON.ResumeIntent")(handler_input)
                     or is_intent_name("AMAZON.NextIntent")(handler_input)))

    def handle(self, handler_input):
        return carry_on(handler_input)


def carry_on(handler_input):
    """"Yes" to the offer: the routine again, at the step where it was left."""
    left = unfinished(handler_input)
    if left is None:
        return launch(handler_input)
    routine, step = left
    current = state(handler_input)
    current.topic = routine.name
    engine.begin(current, routine, step=step)
    return say_step(handler_input, key="walkthrough/resumed")


def start_fresh(handler_input):
    """"No" to the offer: forget where it was left, and say what else the skill can do."""
    remembered(handler_input).walk = None
    return launch(handler_input, welcome="fresh")
