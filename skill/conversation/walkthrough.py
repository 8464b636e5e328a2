"""The conversation side of the walkthrough engine: the bedtime stretch, next, back, pause and
resume inside any routine, and picking a routine up where it was left another night. No routine
has code of its own here; help, repeat, start over and "I didn't catch that" inside a routine are
in `builtins.py`, beside the same intents elsewhere.

A step is done once its holds were spoken (`skill/timeline.py`, from the request times). When the
person steps out of a step (a pause, "no", help, "I didn't catch that", the clinic's number, the
cramp again), it is left where it was (`step_out`); going on then does only what was not done:
the holds left, or the next step if none are. A cramp in the bedtime stretch sets it aside for
the guided relief, and the relief's end offers to go back."""

from __future__ import annotations

from datetime import datetime

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import display, routines, timeline
from skill.conversation.questions import (QUESTIONS, Question, ask_about, declined,
                                          open_question, reask, yes_by_another_name)
from skill.memory import SavedWalk, remembered
from skill.respond import ask, tell
from skill.routines import BEDTIME, RELIEF, ROUTINES, Routine
from skill.session import state

# A routine's closing offer is made only while it is worth making.
STILL_WORTH_OFFERING = {
    # Once a reminder is set, the skill need not offer it again every night.
    "offer_reminder": lambda handler_input: remembered(handler_input).reminder_time is None,
    # The relief, after a cramp in the bedtime stretch: back to where the stretch was left.
    "back_to_routine": lambda handler_input: state(handler_input).set_aside is not None,
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
    """When the step just said ends each of its holds, read from its own speech."""
    ssml = getattr(handler_input.response_builder.response.output_speech, "ssml", None)
    ends = timeline.hold_ends(ssml, data["hold_seconds"], data["rest_seconds"],
                              data["repetitions"])
    routines.said(state(handler_input), request_time(handler_input),
                  tuple(int(end) + 1 for end in ends))


def step_out(handler_input) -> None:
    """The person steps out of the step under way (a pause, "no", help, a question of their own):
    it keeps count of the holds done by now, so that going on does only the rest."""
    current = state(handler_input)
    if routines.in_walkthrough(current):
        routines.leave(current, request_time(handler_input))


def left_off(handler_input) -> None:
    """The person leaves a routine (pause, stop, the session closes, a cramp). A step is done
    once its holds were spoken: one left before that is where they pick up."""
    current = state(handler_input)
    routine = routines.routine_of(current)
    if (routine is None or not routine.resumable
            or routines.step_done(current, request_time(handler_input))):
        return
    remembered(handler_input).walk = SavedWalk(routine.name, current.walk.step)


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


def offer_resume(handler_input, question: Question, key: str, topic: str | None = None,
                 **data):
    """Offer to carry on the unfinished routine: at launch, or (with its `topic`) when the
    bedtime stretch itself is asked for."""
    current = state(handler_input)
    current.topic = topic
    current.walk = None
    current.set_aside = None
    return ask(handler_input, key, question=question, **unfinished_step(handler_input), **data)


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


def carry_on(handler_input, key: str = "walkthrough/step"):
    """"Yes" to going on: after an interruption, what was not done (the holds left of the step,
    or the next step if it was done); otherwise the next step."""
    current = state(handler_input)
    if not current.walk.paused or routines.step_done(current, request_time(handler_input)):
        routines.move(current, +1)
    return say_step(handler_input, key=key)


def not_yet(handler_input):
    step_out(handler_input)
    return ask(handler_input, "walkthrough/declined", question=WALK_CONTINUE)


# "Shall we carry on?", after each step of a routine.
WALK_CONTINUE = ask_about(Question(
    "walk_continue", reprompt="walkthrough/step_reprompt", reask="fallback/walkthrough",
    on_yes=carry_on, on_no=not_yet,
    data=lambda handler_input: routines.step_data(state(handler_input)),
    is_open=lambda handler_input: routines.in_walkthrough(state(handler_input))))


# --- a cramp in the bedtime stretch: the relief, then back -------------------------------------

def set_aside_for_relief(handler_input, muscle: str):
    """A cramp mid-routine: the routine's place is kept (in the session, and remembered for
    another night as a pause would), and the guided relief starts at once with the stretch."""
    current = state(handler_input)
    left_off(handler_input)
    step_out(handler_input)
    current.set_aside = current.walk
    current.topic = RELIEF.name
    routines.begin(current, RELIEF, muscle=muscle)
    return say_step(handler_input)


def back_to_routine(handler_input):
    """"Yes" to going back after the relief: the routine where it was set aside."""
    current = state(handler_input)
    current.walk, current.set_aside = current.set_aside, None
    if not routines.in_walkthrough(current):
        return not_in_walkthrough(handler_input)
    current.topic = current.walk.routine
    return carry_on(handler_input, key="walkthrough/resumed")


def not_back(handler_input):
    """"No": the place stays remembered, for "continue my bedtime stretch" another time."""
    state(handler_input).set_aside = None
    place = unfinished_step(handler_input) if has_unfinished(handler_input) else {
        "number": 0, "total": 0}
    return tell(handler_input, "walkthrough/not_back", **place)


BACK_TO_ROUTINE = ask_about(Question(
    "back_to_routine", reprompt="walkthrough/back_reprompt", on_yes=back_to_routine,
    on_no=not_back, also_yes=CARRY_ON_WORDS,
    is_open=lambda handler_input: state(handler_input).set_aside is not None))


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
    """"Wait", "hold on", "pause": the place and the session are kept, and the microphone stays
    open; going on does what was not done. If nobody answers, the session closes, and a bedtime
    routine's place is remembered for "continue my bedtime stretch"."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.PauseIntent")(handler_input)

    def handle(self, handler_input):
        if not _walking(handler_input):
            return not_in_walkthrough(handler_input)
        # Remembered now: the session may close without a word if nobody answers.
        left_off(handler_input)
        step_out(handler_input)
        current = state(handler_input)
        saved = remembered(handler_input).walk if routines.routine_of(current).resumable else None
        data = routines.step_data(current)
        if saved is not None:
            data["number"] = saved.step + 1
        return ask(handler_input, "walkthrough/paused", question=WALK_CONTINUE,
                   reprompt="walkthrough/paused_reprompt", **data)


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
        # A place saved from another night (a pause closes a bedtime session): carry on there,
        # before a yes to the open question only where that question says so.
        question = open_question(handler_input)
        if question is not None and question.saved_place_first and has_unfinished(handler_input):
            return resume(handler_input)
        offered = yes_by_another_name(handler_input, "AMAZON.ResumeIntent")
        if offered is not None:
            return offered
        return resume(handler_input)  # with no place saved, it says how to start a routine
