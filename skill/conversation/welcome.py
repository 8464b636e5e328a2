"""Launch: what the skill can do, the disclaimer once for a first-timer, and for someone who left
a bedtime routine unfinished, an offer to carry on from where they were."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_request_type

from skill.conversation import walkthrough
from skill.conversation.questions import Question, ask_about
from skill.memory import remembered
from skill.respond import ask
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


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        # Someone who left a routine unfinished is offered to carry on; anyone else, the menu.
        if walkthrough.has_unfinished(handler_input):
            greeting(handler_input)
            return walkthrough.offer_resume(handler_input, OFFER_RESUME, "welcome/resume")
        return launch(handler_input, welcome=greeting(handler_input))
