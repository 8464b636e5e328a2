"""Launch, help, stop, repeat, fallback and the other requests every skill must answer."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill.handlers import doctor, reminders
from skill.respond import ask, silent, state, tell
from skill.speech import speakable

OFFER_REPROMPTS = {
    "offer_relief": "relief/answer_reprompt",
    "offer_bedtime": "prevent_reprompt",
    "offer_prevent": "causes_reprompt",
    "offer_clinic_card": "clinic/offer_reprompt",
    "offer_reminder": "reminder/offer_reprompt",
}


def launch(handler_input, welcome: str = "again"):
    """What the skill can do, and a question. `welcome` picks the greeting (see launch.ssml.j2);
    the launch request itself is answered in `skill.handlers.welcome`."""
    current = state(handler_input)
    current.topic = None
    current.walk = None
    return ask(handler_input, "launch", reprompt="launch_reprompt", welcome=welcome)


class HelpHandler(AbstractRequestHandler):
    """Help for where the person is: in triage, just after a cramp answer, or anywhere else."""

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        if current.question == "triage":
            return ask(handler_input, "help/triage", reprompt="doctor/reprompt",
                       question="triage", asking=doctor.open_question(current))
        if current.topic == "cramp":
            return ask(handler_input, "help/cramp", reprompt="relief/answer_reprompt",
                       question="offer_relief", muscle=current.muscle)
        return ask(handler_input, "help/top", reprompt="launch_reprompt")


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in
                   ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"))

    def handle(self, handler_input):
        current = state(handler_input)
        current.walk = None
        return tell(handler_input, "goodbye", topic=current.topic or "")


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        if not (speakable(current.last_speech) and speakable(current.last_reprompt)):
            return ask(handler_input, "help/top", reprompt="launch_reprompt")
        # Said again exactly as it was, and the open question stays open.
        builder = handler_input.response_builder
        builder.speak(current.last_speech).ask(current.last_reprompt)
        return builder.response


def nudge(handler_input):
    """Something unexpected while a question is open: ask it again. None if none is."""
    current = state(handler_input)
    if current.question == "triage":
        return ask(handler_input, "fallback/triage", reprompt="doctor/reprompt",
                   question="triage", asking=doctor.open_question(current))
    if current.question == "reminder_time":
        return reminders.not_a_time(handler_input)
    if current.question in OFFER_REPROMPTS:
        return ask(handler_input, "fallback/offer", question=current.question,
                   reprompt=OFFER_REPROMPTS[current.question], muscle=current.muscle)
    return None


class FallbackHandler(AbstractRequestHandler):
    """What Alexa could not match, and any intent this version does not know."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        return nudge(handler_input) or ask(handler_input, "fallback/top",
                                           reprompt="launch_reprompt")


class NotInWalkthroughHandler(AbstractRequestHandler):
    """Next, previous, pause and resume when no routine is under way. With a yes/no question
    open they get it asked again; otherwise, how to start a routine."""

    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in
                   ("AMAZON.NextIntent", "AMAZON.PreviousIntent",
                    "AMAZON.PauseIntent", "AMAZON.ResumeIntent"))

    def handle(self, handler_input):
        return nudge(handler_input) or ask(handler_input, "not_in_walkthrough",
                                           reprompt="launch_reprompt")


class StartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input):
        return launch(handler_input)


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return silent(handler_input)


class SilentHandler(AbstractRequestHandler):
    """Any other request type (system events, directives' callbacks): answered with no speech."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return silent(handler_input)
