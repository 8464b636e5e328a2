"""A symptom in the person's own words ("my calf is swollen", "this cramp won't stop", "i have
chest pain"), honoured wherever it is said: at the top, mid-triage, in the guided relief, inside
the bedtime routine. A red flag ends whatever was under way and says where to get help at this
hour; the emergency number comes first for the signs that need it. Nothing is diagnosed, and
nothing said here is stored: the session forgets it.

Each SYMPTOM id is a row of skill/symptoms.toml: its words, its answer and the source for it."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name

from skill import routines
from skill.conversation import doctor, relief, walkthrough
from skill.conversation.questions import open_question
from skill.respond import ask, tell
from skill.session import state
from skill.slots import resolved_id
from skill.symptom_table import symptoms

# What each SYMPTOM id leads to is its row's `answer` in skill/symptoms.toml:
# emergency: the emergency number first (NHS-DVT: breathlessness or chest pain; NHS stroke).
# sudden: a weak or numb leg, the emergency number first if it came on suddenly, else care now.
# urgent: medical help now, with where to go at this hour.
# injury: care now if it can't take weight, has changed shape or is badly swollen (NHS leg pain).
# sore: no red flag; what to do and the safety line, then the way on from where they are.
# An id not in the table, or a slot Alexa could not resolve, gets every sign that matters.


# Most urgent first. None is a symptom Alexa heard but could not resolve: the answer that names
# every sign that matters, ahead of the milder ones.
URGENCY = ("emergency", "sudden", "urgent", None, "injury", "sore")


def answer_for(handler_input) -> str | None:
    """The answer to the more urgent of the symptoms said: a person may name two ("my calf is
    swollen and I can't breathe properly"), and the second is often the emergency."""
    said = [get_slot(handler_input, "Symptom")]
    other = get_slot(handler_input, "OtherSymptom")
    if other is not None and other.value:
        said.append(other)
    rows = [symptoms().get(resolved_id(slot)) for slot in said]
    return min((row.answer if row is not None else None for row in rows), key=URGENCY.index)


class SymptomHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        muscle = relief.ADVICE_FOR_MUSCLE.get(resolved_id(get_slot(handler_input, "Muscle")))
        if muscle is not None:
            current.muscle = muscle
        answer = answer_for(handler_input)
        if answer == "sore":
            return sore(handler_input)
        # Anything else ends whatever was under way: a routine, the triage, an offer.
        current.walk = None
        current.triage_step = 0
        current.topic = "symptom"
        if answer is None:
            return ask(handler_input, "symptom/unclear", question=doctor.OFFER_TRIAGE)
        return tell(handler_input, f"symptom/{answer}", cautious="")


def sore(handler_input):
    """Pain that is no red flag, answered where the person is: mid-triage, the question goes
    on; in a routine, the routine does; after a cramp, the offer to talk them through it;
    anywhere else, the offer of the short check."""
    current = state(handler_input)
    question = open_question(handler_input)
    if question is doctor.TRIAGE:
        return ask(handler_input, "symptom/in_triage", question=doctor.TRIAGE,
                   asking=doctor.open_question(current))
    routine = routines.routine_of(current)
    if routine is not None:
        return ask(handler_input, "symptom/sore", question=walkthrough.WALK_CONTINUE,
                   where="relief" if routine is routines.RELIEF else "bedtime")
    if question is relief.OFFER_RELIEF or current.topic in ("cramp", "relief"):
        current.topic = "cramp"
        return ask(handler_input, "symptom/sore", question=relief.OFFER_RELIEF,
                   where="cramp", muscle=current.muscle)
    current.topic = "symptom"
    return ask(handler_input, "symptom/sore", question=doctor.OFFER_TRIAGE, where="after")
