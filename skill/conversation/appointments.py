""""Book an appointment", "what's the clinic's phone number", "how do I contact the clinic"
(ClinicIntent), at any moment. With a clinic configured (skill/clinic.py): its details, spoken and
as a card in the Alexa app. Without one: honestly, that the skill has none, and to contact their
own doctor; no card. Whatever was under way goes on: a routine asks to carry on from its place,
the short check asks its question again; otherwise the session closes."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import clinic, display, routines
from skill.conversation import doctor, walkthrough
from skill.conversation.questions import open_question
from skill.respond import ask, tell
from skill.session import state


class ClinicHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("ClinicIntent")(handler_input)

    def handle(self, handler_input):
        found = clinic.configured()
        key = "clinic/details" if found is not None else "clinic/none"
        data = {"clinic": found.name if found else "", "phone": found.phone if found else "",
                "booking": bool(found and found.booking_url), "asking": ""}
        current = state(handler_input)
        if routines.in_walkthrough(current):
            walkthrough.step_out(handler_input)
            response = ask(handler_input, key, question=walkthrough.WALK_CONTINUE,
                           then="carry_on", **data)
        elif open_question(handler_input) is doctor.TRIAGE:
            data["asking"] = doctor.open_question(current)
            response = ask(handler_input, key, question=doctor.TRIAGE, then="check", **data)
        else:
            response = tell(handler_input, key, then="", **data)
        if found is not None:
            display.card(handler_input, "cards/clinic", name=found.name, phone=found.phone,
                         booking_url=found.booking_url)
        return response
