"""The conversation side of the walkthrough engine: start, next, back, repeat, pause, resume,
start over, help and "no" inside any routine. No routine has code of its own here."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import display
from skill import walkthrough as engine
from skill.handlers.builtins import OFFER_REPROMPTS
from skill.memory import SavedWalk
from skill.recall import remembered
from skill.respond import ask, state, tell
from skill.routines import BEDTIME, ROUTINES, Routine


# A routine's closing offer is made only while it is worth making.
STILL_WORTH_OFFERING = {
    # Once a reminder is set, the skill need not offer it again every night.
    "offer_reminder": lambda handler_input: remembered(handler_input).reminder_time is None,
}


def keep_place(handler_input, data: dict) -> None:
    """A routine that can be picked up another night remembers the step just said, and forgets it
    once finished. Any other (the mid-cramp relief) is about symptoms and is never stored."""
    if ROUTINES[data["routine"]].resumable:
        remembered(handler_input).walk = (None if data["last"]
                                          else SavedWalk(data["routine"], data["number"] - 1))


def say_step(handler_input, key: str = "walkthrough/step", starting: bool = False):
    """One step, one response. The last step finishes the routine: it closes the session, or
    asks the routine's closing offer (the bedtime reminder)."""
    current = state(handler_input)
    data = engine.step_data(current, starting=starting)
    keep_place(handler_input, data)
    if data["last"]:
        engine.finish(current)
        worth_offering = STILL_WORTH_OFFERING.get(data["offer"], lambda _: True)
        if data["offer"] and not worth_offering(handler_input):
            data["offer"] = ""
        if data["offer"]:
            # The bedtime routine ends by offering a reminder for tomorrow night.
            response = ask(handler_input, key, reprompt=OFFER_REPROMPTS[data["offer"]],
                           question=data["offer"], **data)
        else:
            response = tell(handler_input, key, **data)
    else:
        response = ask(handler_input, key, reprompt="walkthrough/step_reprompt",
                       question="walk_continue", **data)
    display.screen(handler_input, "screen/step", **data)
    return response


def start(handler_input, routine: Routine, muscle: str = "general"):
    current = state(handler_input)
    current.topic = routine.name
    engine.begin(current, routine, muscle=muscle)
    if routine.card:
        display.card(handler_input, routine.card, steps=engine.steps_data(routine))
    return say_step(handler_input, starting=True)


def start_bedtime(handler_input):
    return start(handler_input, BEDTIME)


def carry_on(handler_input):
    """"Yes" to going on: resume a paused step, otherwise go on to the next one."""
    current = state(handler_input)
    if current.walk.paused:
        current.walk.paused = False
        return say_step(handler_input)
    engine.move(current, +1)
    return say_step(handler_input)


def not_yet(handler_input):
    return ask(handler_input, "walkthrough/declined", reprompt="walkthrough/step_reprompt",
               question="walk_continue")


class BedtimeStretchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("BedtimeStretchIntent")(handler_input)

    def handle(self, handler_input):
        return start_bedtime(handler_input)


class _InWalkthrough(AbstractRequestHandler):
    intents: tuple[str, ...] = ()

    def can_handle(self, handler_input):
        return (any(is_intent_name(name)(handler_input) for name in self.intents)
                and engine.in_walkthrough(state(handler_input)))


class NextHandler(_InWalkthrough):
    """"Next" and "skip" (the same intent) move on, even from a pause: "resume" is the word for
    going back into the step that was paused."""

    intents = ("AMAZON.NextIntent",)

    def handle(self, handler_input):
        engine.move(state(handler_input), +1)
        return say_step(handler_input)


class PreviousHandler(_InWalkthrough):
    intents = ("AMAZON.PreviousIntent",)

    def handle(self, handler_input):
        if engine.move(state(handler_input), -1):
            return say_step(handler_input)
        return say_step(handler_input, key="walkthrough/first_step")


class RepeatStepHandler(_InWalkthrough):
    intents = ("AMAZON.RepeatIntent",)

    def handle(self, handler_input):
        # Repeating a step means doing its hold again, even after a pause or help.
        state(handler_input).walk.paused = False
        return say_step(handler_input)


class PauseHandler(_InWalkthrough):
    intents = ("AMAZON.PauseIntent",)

    def handle(self, handler_input):
        current = state(handler_input)
        current.walk.paused = True
        data = engine.step_data(current)
        return ask(handler_input, "walkthrough/paused", reprompt="walkthrough/paused_reprompt",
                   question="walk_continue", **data)


class ResumeHandler(_InWalkthrough):
    intents = ("AMAZON.ResumeIntent",)

    def handle(self, handler_input):
        state(handler_input).walk.paused = False
        return say_step(handler_input)


class StartOverHandler(_InWalkthrough):
    intents = ("AMAZON.StartOverIntent",)

    def handle(self, handler_input):
        engine.restart(state(handler_input))
        return say_step(handler_input, starting=True)


class HelpHandler(_InWalkthrough):
    intents = ("AMAZON.HelpIntent",)

    def handle(self, handler_input):
        data = engine.step_data(state(handler_input))
        return ask(handler_input, "help/walkthrough", reprompt="help/walkthrough_reprompt",
                   question="walk_continue", **data)


class FallbackHandler(_InWalkthrough):
    intents = ("AMAZON.FallbackIntent",)

    def handle(self, handler_input):
        return ask(handler_input, "fallback/walkthrough", reprompt="walkthrough/step_reprompt",
                   question="walk_continue")


HANDLERS = (NextHandler(), PreviousHandler(), RepeatStepHandler(), PauseHandler(),
            ResumeHandler(), StartOverHandler(), HelpHandler(), FallbackHandler())
