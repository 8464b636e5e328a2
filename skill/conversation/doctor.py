""""Should I see a doctor": the answer first (when to book, the signs that mean now), then an
offer of a short yes/no check, red flags first. The answers live only in the session (just which
question is open), never in persistent storage.

"Not sure" to any question is taken as "yes", kindly: the cautious path. A question not heard
is asked again; for a red flag, after saying what to do if the answer is yes."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill import clinic, display
from skill.conversation import walkthrough
from skill.conversation.questions import Question, ask_about, declined
from skill.respond import ask, tell
from skill.session import state
from skill.symptom_table import EMERGENCY, URGENT, Check, table



def checks() -> tuple[Check, ...]:
    """The check's questions, most urgent first (skill/symptoms.toml [[check]]): the first "yes"
    decides, with that question's level of care; all "no" means home care."""
    return table().checks


def red_flags() -> frozenset[str]:
    """The questions a "yes" to which means care today or now."""
    return frozenset(check.name for check in checks() if check.level in (EMERGENCY, URGENT))


def _check(current) -> Check:
    found = checks()
    return found[current.triage_step if 0 <= current.triage_step < len(found) else 0]


def open_question(current) -> str:
    return _check(current).name


def ask_question(handler_input, key: str, **data):
    return ask(handler_input, key, question=TRIAGE,
               asking=open_question(state(handler_input)), **data)


class SeeDoctorHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("SeeDoctorIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        current.topic = "doctor"
        current.walk = None
        current.triage_step = 0
        # The criteria to keep, in the Alexa app.
        display.card(handler_input, "cards/doctor")
        return ask(handler_input, "doctor/start", question=OFFER_TRIAGE)


def begin_check(handler_input, cautious: bool = False):
    """"Yes" (or "not sure") to the offer of the short check: its first question."""
    current = state(handler_input)
    current.topic = "doctor"
    current.walk = None
    current.triage_step = 0
    return ask_question(handler_input, "doctor/first", cautious=cautious)


def decline_check(handler_input):
    return tell(handler_input, "doctor/declined")


def answer(handler_input, yes: bool, cautious: str = ""):
    """A yes or a no to the open question. `cautious` is "unsure" when the person was not sure
    (taken as yes: never beyond the level the question's signs have)."""
    current = state(handler_input)
    check = _check(current)
    step = checks().index(check)
    if yes:
        current.triage_step = 0
        if check.level in (EMERGENCY, URGENT):
            return tell(handler_input, f"symptom/{check.level}", aloud=True, sign="",
                        cautious=cautious)
        return book(handler_input, medicine=check.name == "new_medicine", cautious=cautious)
    if step + 1 < len(checks()):
        current.triage_step = step + 1
        return ask_question(handler_input, "doctor/next")
    current.triage_step = 0
    return ask(handler_input, "doctor/home", question=walkthrough.OFFER_BEDTIME)


def not_sure(handler_input):
    """"Not sure", "maybe", "a bit" to the open question: the cautious path, said kindly."""
    return answer(handler_input, True, cautious="unsure")


def not_heard(handler_input):
    """Neither yes, no nor "not sure": for a red flag, what to do if it is a yes, then the
    question again; never a loop of "I need a yes or a no"."""
    if open_question(state(handler_input)) in red_flags():
        return ask_question(handler_input, "doctor/unclear")
    return ask_question(handler_input, "fallback/triage")


def book(handler_input, medicine: bool, cautious: str = ""):
    """"Book an appointment": with a clinic configured, offer its details as a card."""
    found = clinic.configured()
    if found is None:
        return tell(handler_input, "doctor/book", medicine=medicine, clinic="", cautious=cautious)
    return ask(handler_input, "doctor/book", question=OFFER_CLINIC_CARD,
               medicine=medicine, clinic=found.name, cautious=cautious)


def send_clinic_card(handler_input):
    found = clinic.configured()
    if found is None:
        return tell(handler_input, "declined")
    display.card(handler_input, "cards/clinic", name=found.name, phone=found.phone,
                 booking_url=found.booking_url)
    return tell(handler_input, "clinic/sent", clinic=found.name, phone=found.phone)


# "Would you like a short check?", after "should I see a doctor". "Not sure" is a yes.
OFFER_TRIAGE = ask_about(Question(
    "offer_triage", reprompt="doctor/offer_reprompt", reask="fallback/offer_triage",
    on_yes=begin_check, on_no=decline_check,
    on_unsure=lambda handler_input: begin_check(handler_input, cautious=True)))

# The check's questions, one at a time. "Not sure" takes the cautious path (a yes, said kindly);
# a red-flag question not heard says what to do if the answer is yes before asking again.
TRIAGE = ask_about(Question(
    "triage", reprompt="doctor/reprompt", reask="fallback/triage",
    on_yes=lambda handler_input: answer(handler_input, True),
    on_no=lambda handler_input: answer(handler_input, False),
    data=lambda handler_input: {"asking": open_question(state(handler_input))},
    on_unsure=not_sure, on_unclear=not_heard))

# "Shall I send the clinic's details to your Alexa app?"
OFFER_CLINIC_CARD = ask_about(Question(
    "offer_clinic_card", reprompt="clinic/offer_reprompt", on_yes=send_clinic_card,
    on_no=declined))
