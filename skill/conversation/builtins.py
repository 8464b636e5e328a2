"""Help, stop, repeat, start over, "I didn't catch that", "not sure", and the requests every
skill must answer. Each handler is the one for its intent: what it does depends on where the
person is.

When the skill is unsure what was said it is safe before it is helpful: to someone who may be in
pain (a cramp, the guided relief, or the night with nothing else known) it says what to do and
the safety line first, then asks one short question; mid-triage, a red-flag question is never
met with "I need a yes or a no". Elsewhere: one sentence of what it can do, and a question."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill import answers, routines
from skill.conversation import doctor, questions, relief, walkthrough, welcome
from skill.respond import ask, silent, tell, voice
from skill.session import state
from skill.speech import speakable


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        # A question waiting for its answer (the reminder's time) is asked again.
        answer = questions.help_for(handler_input)
        if answer is not None:
            return answer
        if routines.in_walkthrough(current):
            walkthrough.step_out(handler_input)
            return ask(handler_input, "help/walkthrough", question=walkthrough.WALK_CONTINUE,
                       reprompt="help/walkthrough_reprompt", **routines.step_data(current))
        if current.question == doctor.TRIAGE.name:
            return ask(handler_input, "help/triage", question=doctor.TRIAGE,
                       asking=doctor.open_question(current))
        if current.question == doctor.OFFER_TRIAGE.name:
            return ask(handler_input, "help/triage", question=doctor.OFFER_TRIAGE, asking="")
        if current.topic == "cramp":
            return ask(handler_input, "help/cramp", question=relief.OFFER_RELIEF,
                       muscle=current.muscle)
        return ask(handler_input, "help/top", reprompt="launch_reprompt")


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in
                   ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent"))

    def handle(self, handler_input):
        current = state(handler_input)
        walkthrough.left_off(handler_input)
        current.walk = None
        return tell(handler_input, "goodbye", topic=current.topic or "")


class RepeatHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        if routines.in_walkthrough(current):
            # Repeating a step means doing all its holds again, even after a pause or help.
            routines.again(current)
            return walkthrough.say_step(handler_input)
        if not (speakable(current.last_speech) and speakable(current.last_reprompt)):
            return ask(handler_input, "help/top", reprompt="launch_reprompt")
        # Said again exactly as it was, and the open question stays open.
        answers.said(answers.REPEAT)
        builder = handler_input.response_builder
        builder.speak(current.last_speech).ask(current.last_reprompt)
        return builder.response


class StartOverHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.StartOverIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        if routines.in_walkthrough(current):
            routines.restart(current)
            return walkthrough.say_step(handler_input, starting=True)
        return welcome.launch(handler_input)


class FallbackHandler(AbstractRequestHandler):
    """What Alexa could not match, and any intent this version does not know. A catch-all: it
    comes after every handler of a named intent."""

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        return not_understood(handler_input)


def not_understood(handler_input):
    """What to say when what was said is not understood (or was only "not sure"). Inside a
    routine the step under way waits where it was."""
    walkthrough.step_out(handler_input)
    if relief.in_a_cramp(handler_input):
        return relief.not_understood(handler_input)
    # An open question (inside a routine: "shall we carry on?"; mid-triage) is asked again.
    reasked = questions.reask(handler_input)
    if reasked is not None:
        return reasked
    if voice(handler_input).night and state(handler_input).walk is None:
        # At night, with nothing else known, the person may well be in pain.
        return relief.not_understood(handler_input)
    return ask(handler_input, "fallback/top", reprompt="launch_reprompt")


class UnsureHandler(AbstractRequestHandler):
    """"Not sure", "maybe", "i don't know", "a bit", "kind of": what the open question says it
    means (mid-triage: the cautious path, a yes said kindly); otherwise as if not understood."""

    def can_handle(self, handler_input):
        return is_intent_name("UnsureIntent")(handler_input)

    def handle(self, handler_input):
        question = questions.open_question(handler_input)
        if question is not None and question.on_unsure is not None:
            return question.on_unsure(handler_input)
        return not_understood(handler_input)


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        walkthrough.left_off(handler_input)
        return silent(handler_input)


class SilentHandler(AbstractRequestHandler):
    """Any other request type (system events, directives' callbacks): answered with no speech.
    The last catch-all."""

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        return silent(handler_input)
