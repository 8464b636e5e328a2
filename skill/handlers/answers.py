""""Yes" and "no" mean what the last question meant. The question is named in the session."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill.handlers import advice, doctor, relief, reminders, walkthrough, welcome
from skill.respond import ask, state, tell
from skill.walkthrough import in_walkthrough


def declined(handler_input):
    return tell(handler_input, "declined")


# question name -> (what "yes" does, what "no" does)
ANSWERS = {
    "offer_relief": (relief.talk_through, relief.decline),
    "offer_bedtime": (walkthrough.start_bedtime, declined),
    "offer_prevent": (advice.prevent, declined),
    "triage": (lambda handler_input: doctor.answer(handler_input, True),
               lambda handler_input: doctor.answer(handler_input, False)),
    "walk_continue": (walkthrough.carry_on, walkthrough.not_yet),
    "offer_clinic_card": (doctor.send_clinic_card, declined),
    "offer_reminder": (reminders.ask_time, reminders.decline),
    # "Yes" to "what time?" is not a time: ask again. "No" lets it go.
    "reminder_time": (reminders.ask_time, reminders.decline),
    "offer_resume": (welcome.carry_on, welcome.start_fresh),
    # Asked when they ask for the bedtime stretch itself: "no" means from the beginning.
    "offer_resume_bedtime": (welcome.carry_on, walkthrough.start_bedtime),
}


def can_answer(current) -> bool:
    if current.question == "walk_continue":
        # Only while the walkthrough it was about is still valid.
        return in_walkthrough(current)
    return current.question in ANSWERS


class YesNoHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.YesIntent")(handler_input)
                or is_intent_name("AMAZON.NoIntent")(handler_input))

    def handle(self, handler_input):
        yes = is_intent_name("AMAZON.YesIntent")(handler_input)
        current = state(handler_input)
        if can_answer(current):
            on_yes, on_no = ANSWERS[current.question]
            return on_yes(handler_input) if yes else on_no(handler_input)
        if not yes:
            # "No" to "what would you like?" is a polite way to leave.
            return tell(handler_input, "goodbye", topic=current.topic or "")
        return ask(handler_input, "no_question", reprompt="launch_reprompt", answer="yes")
