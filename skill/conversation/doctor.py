""""Should I see a doctor": a short yes/no triage, red flags first. The answers live only in the
session (just which question is open), never in persistent storage."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import clinic, display
from skill.conversation import questions
from skill.respond import ask, tell
from skill.session import state

# (question, where a "yes" leads). The first "yes" decides; all "no" means home care.
# Red flags (NHS, Mayo Clinic) come before the article's reasons to book an appointment.
QUESTIONS = (
    ("swelling", "urgent"),
    ("long_or_numb", "urgent"),
    ("new_medicine", "book"),
    ("troubling", "book"),
    ("persistent", "book"),
)


def open_question(current) -> str:
    step = current.triage_step if 0 <= current.triage_step < len(QUESTIONS) else 0
    return QUESTIONS[step][0]


def ask_question(handler_input, key: str):
    return ask(handler_input, key, question=questions.TRIAGE,
               asking=open_question(state(handler_input)))


class SeeDoctorHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("SeeDoctorIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        current.topic = "doctor"
        current.walk = None
        current.triage_step = 0
        # The criteria to keep, in the Alexa app, before any question is answered.
        display.card(handler_input, "cards/doctor")
        return ask_question(handler_input, "doctor/start")


def answer(handler_input, yes: bool):
    current = state(handler_input)
    name = open_question(current)
    step = [question for question, _ in QUESTIONS].index(name)
    if yes:
        current.triage_step = 0
        outcome = QUESTIONS[step][1]
        if outcome == "urgent":
            return tell(handler_input, "doctor/urgent")
        return book(handler_input, medicine=name == "new_medicine")
    if step + 1 < len(QUESTIONS):
        current.triage_step = step + 1
        return ask_question(handler_input, "doctor/next")
    current.triage_step = 0
    return ask(handler_input, "doctor/home", question=questions.OFFER_BEDTIME)


def book(handler_input, medicine: bool):
    """"Book an appointment": with a clinic configured, offer its details as a card."""
    found = clinic.configured()
    if found is None:
        return tell(handler_input, "doctor/book", medicine=medicine, clinic="")
    return ask(handler_input, "doctor/book", question=questions.OFFER_CLINIC_CARD,
               medicine=medicine, clinic=found.name)


def send_clinic_card(handler_input):
    found = clinic.configured()
    if found is None:
        return tell(handler_input, "declined")
    display.card(handler_input, "cards/clinic", name=found.name, phone=found.phone,
                 booking_url=found.booking_url)
    return tell(handler_input, "clinic/sent", clinic=found.name, phone=found.phone)
