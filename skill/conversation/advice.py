"""Prevention and causes: spoken advice from the article, each ending in an offer."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name

from skill import display
from skill.conversation import walkthrough
from skill.conversation.questions import Question, ask_about, declined
from skill.respond import ask
from skill.session import state
from skill.slots import resolved_id

# "Do cramps get worse with age", "i get cramps after running", "does not drinking enough water
# cause cramps", "does pregnancy cause leg cramps", "can my medicine cause leg cramps": the CAUSE
# slot's id -> its own answer (responses/<locale>/causes_of/<answer>.ssml.j2). Anything else:
# the usual list.
CAUSE_ANSWERS = {"AGE": "age", "EXERCISE": "exercise", "DEHYDRATION": "dehydration",
                 "PREGNANCY": "pregnancy", "MEDICINE": "medicine"}


def prevent(handler_input):
    state(handler_input).topic = "prevent"
    display.card(handler_input, "cards/prevent")
    return ask(handler_input, "prevent", question=walkthrough.OFFER_BEDTIME)


# "Would you like some tips to prevent them?", after the causes.
OFFER_PREVENT = ask_about(Question(
    "offer_prevent", reprompt="causes_reprompt", on_yes=prevent, on_no=declined))


class PreventCrampsHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("PreventCrampsIntent")(handler_input)

    def handle(self, handler_input):
        return prevent(handler_input)


class CausesHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("CausesIntent")(handler_input)

    def handle(self, handler_input):
        state(handler_input).topic = "causes"
        cause = CAUSE_ANSWERS.get(resolved_id(get_slot(handler_input, "Cause")))
        key = f"causes_of/{cause}" if cause else "causes"
        return ask(handler_input, key, question=OFFER_PREVENT)


class TakingSomethingHandler(AbstractRequestHandler):
    """"Should I take magnesium", "what can I take for leg cramps": ask a pharmacist or doctor
    first. No product and no dose is ever named."""

    def can_handle(self, handler_input):
        return is_intent_name("TakingSomethingIntent")(handler_input)

    def handle(self, handler_input):
        state(handler_input).topic = "causes"
        return ask(handler_input, "taking_something", question=OFFER_PREVENT)

