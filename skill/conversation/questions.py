"""Every yes/no question the skill asks, one row each: what it is called in the session, the
reprompt when nothing is heard, what "yes" and "no" do, and how to ask it again when the answer
is neither. Asking takes the row (`respond.ask(..., question=OFFER_RELIEF)`), never a string.

The answers are functions of the topic modules, looked up when a question is answered (each
`lambda` below), so that those modules can ask these questions without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name
from ask_sdk_model import Response

from skill import routines
from skill.conversation import advice, doctor, relief, reminders, walkthrough, welcome
from skill.respond import ask, tell
from skill.session import state

Answer = Callable[..., Response]


def _nothing(handler_input) -> dict:
    return {}


def _always(handler_input) -> bool:
    return True


@dataclass(frozen=True)
class Question:
    name: str
    # Said when nothing is heard after the question.
    reprompt: str
    on_yes: Answer
    on_no: Answer
    # Said when the answer is neither yes nor no; the question stays open.
    reask: str = "fallback/offer"
    # What the reprompt and the re-ask need to say it again (the muscle, the triage question).
    data: Callable[..., dict] = _nothing
    # Whether the question still means something (the routine it was about may be gone).
    is_open: Callable[..., bool] = _always
    # What "not sure", "maybe", "a bit" mean (UnsureIntent); None: ask again, as for anything else.
    on_unsure: Answer | None = None
    # Asks it again itself when the answer is not understood, instead of saying `reask` (the
    # reminder time, with Dialog.ElicitSlot; a red-flag question, with what to do first).
    on_unclear: Answer | None = None
    # What "help" does while it is open: say how to answer, and ask it again (None: help for
    # where the person is).
    help: Answer | None = None


def declined(handler_input):
    return tell(handler_input, "declined")


def _unfinished_step(handler_input) -> dict:
    routine, step = welcome.unfinished(handler_input)
    return {"number": step + 1, "total": len(routine.steps)}


def _has_unfinished(handler_input) -> bool:
    return welcome.unfinished(handler_input) is not None


OFFER_RELIEF = Question(
    "offer_relief", reprompt="relief/answer_reprompt",
    on_yes=lambda handler_input: relief.talk_through(handler_input),
    on_no=lambda handler_input: relief.decline(handler_input),
    data=lambda handler_input: {"muscle": state(handler_input).muscle})

OFFER_BEDTIME = Question(
    "offer_bedtime", reprompt="prevent_reprompt",
    on_yes=lambda handler_input: walkthrough.bedtime(handler_input),
    on_no=declined)

OFFER_PREVENT = Question(
    "offer_prevent", reprompt="causes_reprompt",
    on_yes=lambda handler_input: advice.prevent(handler_input),
    on_no=declined)

# "Should I see a doctor" answers first, then offers the short check. "Not sure" is a yes.
OFFER_TRIAGE = Question(
    "offer_triage", reprompt="doctor/offer_reprompt", reask="fallback/offer_triage",
    on_yes=lambda handler_input: doctor.begin_check(handler_input),
    on_no=lambda handler_input: doctor.decline_check(handler_input),
    on_unsure=lambda handler_input: doctor.begin_check(handler_input, cautious=True))

# "Not sure" to a triage question takes the cautious path (a yes, said kindly); a red-flag
# question not heard says what to do if the answer is yes before asking again.
TRIAGE = Question(
    "triage", reprompt="doctor/reprompt", reask="fallback/triage",
    on_yes=lambda handler_input: doctor.answer(handler_input, True),
    on_no=lambda handler_input: doctor.answer(handler_input, False),
    data=lambda handler_input: {"asking": doctor.open_question(state(handler_input))},
    on_unsure=lambda handler_input: doctor.not_sure(handler_input),
    on_unclear=lambda handler_input: doctor.not_heard(handler_input))

WALK_CONTINUE = Question(
    "walk_continue", reprompt="walkthrough/step_reprompt", reask="fallback/walkthrough",
    on_yes=lambda handler_input: walkthrough.carry_on(handler_input),
    on_no=lambda handler_input: walkthrough.not_yet(handler_input),
    is_open=lambda handler_input: routines.in_walkthrough(state(handler_input)))

OFFER_CLINIC_CARD = Question(
    "offer_clinic_card", reprompt="clinic/offer_reprompt",
    on_yes=lambda handler_input: doctor.send_clinic_card(handler_input),
    on_no=declined)

OFFER_REMINDER = Question(
    "offer_reminder", reprompt="reminder/offer_reprompt",
    on_yes=lambda handler_input: reminders.ask_time(handler_input),
    on_no=lambda handler_input: reminders.decline(handler_input))

# "Yes" to "what time?" is not a time: ask again. "No" lets it go.
REMINDER_TIME = Question(
    "reminder_time", reprompt="reminder/ask_time_reprompt", reask="reminder/not_a_time",
    on_yes=lambda handler_input: reminders.ask_time(handler_input),
    on_no=lambda handler_input: reminders.decline(handler_input),
    on_unclear=lambda handler_input: reminders.not_a_time(handler_input),
    help=lambda handler_input: reminders.elicit_time(handler_input, "reminder/help"))

# "Nine" for a bedtime stretch is nine at night; "three" may wake a partner: "yes" sets it as
# asked, "no" asks for the time.
CONFIRM_TIME = Question(
    "confirm_time", reprompt="reminder/confirm_time_reprompt",
    on_yes=lambda handler_input: reminders.confirmed(handler_input),
    on_no=lambda handler_input: reminders.ask_time(handler_input),
    data=lambda handler_input: reminders.confirm_data(handler_input),
    is_open=lambda handler_input: reminders.pending(handler_input) is not None,
    help=lambda handler_input: ask(handler_input, "reminder/help_confirm",
                                   question=CONFIRM_TIME, **reminders.confirm_data(handler_input)))

# At launch, to someone who left a routine unfinished.
OFFER_RESUME = Question(
    "offer_resume", reprompt="welcome/resume_reprompt",
    on_yes=lambda handler_input: welcome.carry_on(handler_input),
    on_no=lambda handler_input: welcome.start_fresh(handler_input),
    data=_unfinished_step, is_open=_has_unfinished)

# When they ask for the bedtime stretch itself: "no" means from the beginning.
OFFER_RESUME_BEDTIME = Question(
    "offer_resume_bedtime", reprompt="welcome/resume_reprompt",
    on_yes=lambda handler_input: welcome.carry_on(handler_input),
    on_no=lambda handler_input: walkthrough.start_bedtime(handler_input),
    data=_unfinished_step, is_open=_has_unfinished)

QUESTIONS = {question.name: question for question in (
    OFFER_RELIEF, OFFER_BEDTIME, OFFER_PREVENT, OFFER_TRIAGE, TRIAGE, WALK_CONTINUE,
    OFFER_CLINIC_CARD, OFFER_REMINDER, REMINDER_TIME, CONFIRM_TIME, OFFER_RESUME,
    OFFER_RESUME_BEDTIME)}
RESUME_OFFERS = (OFFER_RESUME, OFFER_RESUME_BEDTIME)


def open_question(handler_input) -> Question | None:
    """The question the last answer asked, if it still means something. A name this version
    does not know (from an older one, or damaged) is no question."""
    question = QUESTIONS.get(state(handler_input).question)
    return question if question is not None and question.is_open(handler_input) else None


def help_for(handler_input) -> Response | None:
    """Help while a question with help of its own is open: it says how to answer, and asks the
    question again. None otherwise."""
    question = open_question(handler_input)
    if question is None or question.help is None:
        return None
    return question.help(handler_input)


def reask(handler_input) -> Response | None:
    """Something other than yes or no while a question is open: ask it again. None if none is."""
    question = open_question(handler_input)
    if question is None:
        return None
    if question.on_unclear is not None:
        return question.on_unclear(handler_input)
    return ask(handler_input, question.reask, question=question, **question.data(handler_input))


class YesNoHandler(AbstractRequestHandler):
    """"Yes" and "no" mean what the open question meant."""

    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.YesIntent")(handler_input)
                or is_intent_name("AMAZON.NoIntent")(handler_input))

    def handle(self, handler_input):
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        question = open_question(handler_input)
        if question is not None:
            return question.on_yes(handler_input) if yes else question.on_no(handler_input)
        if not yes:
            # "No" to "what would you like?" is a polite way to leave.
            return tell(handler_input, "goodbye", topic=state(handler_input).topic or "")
        return ask(handler_input, "no_question", reprompt="launch_reprompt", answer="yes")
