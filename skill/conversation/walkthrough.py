"""The conversation side of the walkthrough engine: the bedtime stretch, next, back, pause and
resume inside any routine, and picking a routine up where it was left another night. No routine
has code of its own here; help, repeat, start over and "I didn't catch that" inside a routine are
in `builtins.py`, beside the same intents elsewhere."""

from __future__ import annotations

from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import display, routines, timeline
from skill.conversation.questions import (QUESTIONS, Question, ask_about, declined,
                                          open_question, reask, yes_by_another_name)
from skill.memory import SavedWalk, remembered
from skill.respond import ask, tell
from skill.routines import BEDTIME, ROUTINES, Routine
from skill.session import state

# A routine's closing offer is made only while it is worth making.
STILL_WORTH_OFFERING = {
    # Once a reminder is set, the skill need not offer it again every night.
    "offer_reminder": lambda handler_input: remembered(handler_input).reminder_time is None,
}


def request_time(handler_input) -> int:
    """This request's time, in whole seconds since 1970 (0 if it has none)."""
    moment = getattr(handler_input.request_envelope.request, "timestamp", None)
    return int(moment.timestamp()) if isinstance(moment, datetime) else 0


def keep_place(handler_input, data: dict) -> None:
    """A routine that can be picked up another night remembers the step not yet done: once a
    step is said, the next one (its holds are about to be spoken; `left_off` corrects that if
    the person leaves before they were), and nothing once finished. Any other routine (the
    mid-cramp relief) is about symptoms and is never stored."""
    if ROUTINES[data["routine"]].resumable:
        remembered(handler_input).walk = (None if data["last"]
                                          else SavedWalk(data["routine"], data["number"]))


def note_timing(handler_input, data: dict) -> None:
    """When the step just said ends its last hold, read from its own speech."""
    walk = state(handler_input).walk
    ssml = getattr(handler_input.response_builder.response.output_speech, "ssml", None)
    end = timeline.holds_end(ssml, data["hold_seconds"], data["rest_seconds"],
                             data["repetitions"])
    walk.said_at = request_time(handler_input)
    walk.holds_end = int(end) + 1 if end is not None else 0


def left_off(handler_input) -> None:
    """The person leaves a routine (pause, stop, the session closes). A step is done once its
    holds were spoken: one left before that (a pause mid-step) is where they pick up."""
    walk = state(handler_input).walk
    routine = routines.routine_of(state(handler_input))
    if routine is None or not routine.resumable or walk.holds_spoken(request_time(handler_input)):
        return
    remembered(handler_input).walk = SavedWalk(routine.name, walk.step)


def say_step(handler_input, key: str = "walkthrough/step", starting: bool = False):
    """One step, one response. The last step finishes the routine: it closes the session, or
    asks the routine's closing offer (the bedtime reminder)."""
    current = state(handler_input)
    data = routines.step_data(current, starting=starting)
    keep_place(handler_input, data)
    if not data["last"]:
        response = ask(handler_input, key, question=WALK_CONTINUE, **data)
        note_timing(handler_input, data)
    else:
        routines.finish(current)
        # A routine names its closing question; a name no module registered is a bug.
        offer = QUESTIONS[data["offer"]] if data["offer"] else None
        worth_offering = STILL_WORTH_OFFERING.get(data["offer"], lambda _: True)
        if offer is not None and worth_offering(handler_input):
            # The bedtime routine ends by offering a reminder for tomorrow night.
            response = ask(handler_input, key, question=offer, **data)
        else:
            data["offer"] = ""
            response = tell(handler_input, key, **data)
    display.screen(handler_input, "screen/step", **data)
    return response


def start(handler_input, routine: Routine, muscle: str = "general"):
    current = state(handler_input)
    current.topic = routine.name
    routines.begin(current, routine, muscle=muscle)
    if routine.card:
        display.card(handler_input, routine.card, steps=routines.steps_data(routine))
    return say_step(handler_input, starting=True)


def start_bedtime(handler_input):
    return start(handler_input, BEDTIME)


def bedtime(handler_input):
    """The bedtime stretch, however it was asked for (by name, or "yes" to the offer after
    prevention tips or home care): with a place saved from another night, an offer to carry on
    from it rather than a start that would overwrite it."""
    if unfinished(handler_input):
        return offer_resume(handler_input, OFFER_RESUME_BEDTIME, "welcome/resume_bedtime",
                            topic=BEDTIME.name)
    return start_bedtime(handler_input)


# "Would you like a bedtime stretch?", after prevention tips or home care.
OFFER_BEDTIME = ask_about(Question(
    "offer_bedtime", reprompt="prevent_reprompt", on_yes=bedtime, on_no=declined))


# --- another night: carrying on where a routine was left ------------------------------------

def unfinished(handler_input) -> tuple[Routine, int] | None:
    """The routine left unfinished and its step, if it can still be resumed in this version."""
    saved = remembered(handler_input).walk
    routine = ROUTINES.get(saved.routine) if saved is not None else None
    if routine is None or not routine.resumable or saved.step >= len(routine.steps):
        return None
    return routine, saved.step


def offer_resume(handler_input, question: Question, key: str, topic: str | None = None):
    """Offer to carry on the unfinished routine: at launch, or (with its `topic`) when the
    bedtime stretch itself is asked for."""
    routine, step = unfinished(handler_input)
    current = state(handler_input)
    current.topic = topic
    current.walk = None
    return ask(handler_input, key, question=question, number=step + 1, total=len(routine.steps))


def resume(handler_input):
    """The routine again, at the step where it was left."""
    left = unfinished(handler_input)
    if left is None:
        return not_in_walkthrough(handler_input)
    routine, step = left
    current = state(handler_input)
    current.topic = routine.name
    routines.begin(current, routine, step=step)
    return say_step(handler_input, key="walkthrough/resumed")


def unfinished_step(handler_input) -> dict:
    """The saved place, as the resume offer says it ("from stretch 3 of 4")."""
    routine, step = unfinished(handler_input)
    return {"number": step + 1, "total": len(routine.steps)}


def has_unfinished(handler_input) -> bool:
    return unfinished(handler_input) is not None


# Once a place is offered, "carry on", "resume" and "next" mean yes.
CARRY_ON_WORDS = frozenset({"AMAZON.ResumeIntent", "AMAZON.NextIntent"})

# When they ask for the bedtime stretch itself: "no" means from the beginning.
OFFER_RESUME_BEDTIME = ask_about(Question(
    "offer_resume_bedtime", reprompt="welcome/resume_reprompt", on_yes=resume,
    on_no=start_bedtime, data=unfinished_step, is_open=has_unfinished, also_yes=CARRY_ON_WORDS))


def carry_on(handler_input):
    """"Yes" to going on: resume a paused step, otherwise go on to the next one."""
    current = state(handler_input)
    if current.walk.paused:
        current.walk.paused = False
        return say_step(handler_input)
    routines.move(current, +1)
    return say_step(handler_input)


def not_yet(handler_input):
    return ask(handler_input, "walkthrough/declined", question=WALK_CONTINUE)


# "Shall we carry on?", after each step of a routine.
WALK_CONTINUE = ask_about(Question(
    "walk_continue", reprompt="walkthrough/step_reprompt", reask="fallback/walkthrough",
    on_yes=carry_on, on_no=not_yet,
    is_open=lambda handler_input: routines.in_walkthrough(state(handler_input))))


def not_in_walkthrough(handler_input):
    """Next, back, pause or resume with no routine under way: the open question asked again, or
    how to start one."""
    return reask(handler_input) or ask(handler_input, "not_in_walkthrough",
                                       reprompt="launch_reprompt")


def _walking(handler_input) -> bool:
    return routines.in_walkthrough(state(handler_input))


class BedtimeStretchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("BedtimeStretchIntent")(handler_input)

    def handle(self, handler_input):
        return bedtime(handler_input)


class NextHandler(AbstractRequestHandler):
    """"Next" and "skip" (the same intent) move on, even from a pause: "resume" is the word for
    going back into the step that was paused."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.NextIntent")(handler_input)

    def handle(self, handler_input):
        if _walking(handler_input):
            routines.move(state(handler_input), +1)
            return say_step(handler_input)
        return (yes_by_another_name(handler_input, "AMAZON.NextIntent")
                or not_in_walkthrough(handler_input))


class PreviousHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PreviousIntent")(handler_input)

    def handle(self, handler_input):
        if not _walking(handler_input):
            return not_in_walkthrough(handler_input)
        if routines.move(state(handler_input), -1):
            return say_step(handler_input)
        return say_step(handler_input, key="walkthrough/first_step")


class PauseHandler(AbstractRequestHandler):
    """A pause at bedtime keeps the place for later and closes (a device would close the session
    within seconds anyway): "continue my bedtime stretch" picks it up, tonight or another night.
    In the mid-cramp relief, a short wait with the microphone open."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PauseIntent")(handler_input)

    def handle(self, handler_input):
        if not _walking(handler_input):
            return not_in_walkthrough(handler_input)
        current = state(handler_input)
        routine = routines.routine_of(current)
        if not routine.resumable:
            current.walk.paused = True
            return ask(handler_input, "walkthrough/paused", question=WALK_CONTINUE,
                       reprompt="walkthrough/paused_reprompt", **routines.step_data(current))
        left_off(handler_input)
        saved = remembered(handler_input).walk
        data = routines.step_data(current)
        if saved is not None:
            data["number"] = saved.step + 1
        routines.finish(current)
        return tell(handler_input, "walkthrough/paused", **data)


class ResumeHandler(AbstractRequestHandler):
    """"Resume", "continue my bedtime stretch": inside a routine, the paused step again; after
    the offer at launch, yes; in a new session with a place saved, straight on from it."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.ResumeIntent")(handler_input)

    def handle(self, handler_input):
        # "Go on", "carry on", "continue": after a pause, back into the step; otherwise on to
        # the next one, as "yes" to "shall we go on?" does.
        if _walking(handler_input):
            return carry_on(handler_input)
        # A place saved from another night (a pause closes a bedtime session): carry on there.
        offered = yes_by_another_name(handler_input, "AMAZON.ResumeIntent")
        if offered is not None:
            return offered
        if has_unfinished(handler_input):
            return resume(handler_input)
        return not_in_walkthrough(handler_input)
