"""Launch. By day: what the skill can do, the disclaimer once for a first-timer, and for someone
who left a bedtime routine unfinished, an offer to carry on from where they were. At night:
someone opening the skill is most likely in a cramp, so what to do comes first, then one short
question; the menu, the disclaimer and the saved place wait for a "no"."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_request_type

from skill import display
from skill.conversation import relief, walkthrough
from skill.conversation.questions import Question, ask_about
from skill.memory import remembered
from skill.respond import ask, voice
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


def start_fresh(handler_input):
    """"No" to the offer: forget where it was left, and say what else the skill can do."""
    remembered(handler_input).walk = None
    return launch(handler_input, welcome="fresh")


# At launch, to someone who left a routine unfinished.
OFFER_RESUME = ask_about(Question(
    "offer_resume", reprompt="welcome/resume_reprompt", on_yes=walkthrough.resume,
    on_no=start_fresh, data=walkthrough.unfinished_step, is_open=walkthrough.has_unfinished,
    also_yes=walkthrough.CARRY_ON_WORDS))


def welcome_back(handler_input, welcome: str):
    """The day's launch: the saved place offered, or the menu."""
    if walkthrough.has_unfinished(handler_input):
        return walkthrough.offer_resume(handler_input, OFFER_RESUME, "welcome/resume",
                                        welcome=welcome)
    return launch(handler_input, welcome=welcome)


def at_night(handler_input):
    """The night's launch: what to do for a cramp, and whether to talk them through it. Nothing
    remembered is read (no store call stands before it), and the disclaimer is not said yet."""
    current = state(handler_input)
    current.topic = None
    current.walk = None
    current.muscle = "general"
    response = ask(handler_input, "launch_night", question=OFFER_RELIEF_AT_NIGHT,
                   muscle=current.muscle)
    display.screen(handler_input, "screen/cramp", muscle=current.muscle)
    return response


def not_a_cramp(handler_input):
    """"No" to the night's offer: the saved place if there is one, else what the skill can do;
    a first-timer hears the disclaimer now."""
    return welcome_back(handler_input, "declined_" + greeting(handler_input))


def help_at_night(handler_input):
    return ask(handler_input, "help/cramp", question=OFFER_RELIEF_AT_NIGHT,
               muscle=state(handler_input).muscle)


# "Want me to talk you through the cramp?", the night's launch. Not understood: what to do
# first, the safety and emergency lines, and the question again.
OFFER_RELIEF_AT_NIGHT = ask_about(Question(
    "offer_relief_at_night", reprompt="launch_night_reprompt", reask="fallback/cramp",
    on_yes=relief.talk_through, on_no=not_a_cramp, help=help_at_night,
    # "Go on", "I'm ready": yes. "Continue my bedtime stretch" is the same intent as "go on":
    # with a place saved from another night, it goes there (a "no" offers the place too).
    also_yes=walkthrough.CARRY_ON_WORDS, saved_place_first=True,
    data=lambda handler_input: {"muscle": state(handler_input).muscle, "walking": False,
                                "cramp": False}))


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        if voice(handler_input).night:
            return at_night(handler_input)
        return welcome_back(handler_input, greeting(handler_input))
