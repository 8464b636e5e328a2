"""A sign in the person's own words ("my calf is swollen", "this cramp won't stop", "my chest
hurts"), heard at any moment: at the top, with the cramp, mid-relief, mid-check, mid-bedtime.

Each sign's level of care comes from the symptom table (skill/symptoms.toml), for the body part
it was said of and the moment: inside a cramp, words about the cramp keep helping (the stretch
first, the place kept, the microphone open), with one question where the answer changes the
level; a leg sign said of the face or an arm is no leg red flag; of two signs the more urgent
decides. An answer that sends the person to care today or now ends whatever was under way and is
said in the normal voice, never whispered. Nothing is diagnosed, and nothing said here is stored:
the session forgets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name

from skill import answers, clinic, routines
from skill.conversation import doctor, relief, walkthrough
from skill.conversation.questions import Question, ask_about, open_question
from skill.respond import ask, tell
from skill.routines import RELIEF
from skill.session import state
from skill.slots import resolved_id
from skill.symptom_table import (EMERGENCY, EXPECTED, NOT_A_LEG, SOON, UNCLEAR, URGENCY, URGENT,
                                 Part, Symptom, level_of, symptoms)


@dataclass(frozen=True)
class Heard:
    """A sign as the skill judges it: its level of care here and now, and the sign (None for
    words Alexa heard but could not resolve)."""

    level: str
    sign: Symptom | None


def where(handler_input, cramp_words: bool = False) -> str:
    """Where the person is: in the guided relief, in the bedtime stretch, mid-check, in a cramp
    (just told what to do, offered the relief, or saying so now), or "" (none of these)."""
    routine = routines.routine_of(state(handler_input))
    if routine is RELIEF:
        return "relief"
    if routine is not None:
        return "bedtime"
    if open_question(handler_input) is doctor.TRIAGE:
        return "check"
    if cramp_words or relief.in_a_cramp(handler_input):
        return "cramp"
    return ""


def _signs_said(handler_input) -> list[Symptom | None]:
    """The signs in the Symptom and OtherSymptom slots: None for words Alexa could not resolve
    (and for a Symptom slot with nothing in it: someone said a sign Alexa did not catch)."""
    said = [symptoms().get(resolved_id(get_slot(handler_input, "Symptom")))]
    other = get_slot(handler_input, "OtherSymptom")
    if other is not None and other.value:
        said.append(symptoms().get(resolved_id(other)))
    return said


def _said_of_both(handler_input, part: Part) -> bool:
    """Whether the part was named on both legs: "both my ankles are swollen" is heard as
    "both my {Muscle} are {Symptom}", the Muscle slot holding "ankles"."""
    return relief.part_said_as(handler_input, part.both_words)


def _words_said(handler_input) -> bool:
    """Whether the Symptom slot holds any words at all (resolved or not)."""
    slot = get_slot(handler_input, "Symptom")
    return slot is not None and bool(slot.value)


def judge(signs: list[Symptom | None], part: Part | None, in_cramp: bool, both: bool = False
          ) -> Heard:
    """The most urgent of the signs said, each at its level for this body part and moment."""
    heard = []
    for sign in signs:
        if sign is None:
            heard.append(Heard(UNCLEAR, None))
        else:
            level, counted_as = level_of(sign, part, in_cramp, both)
            heard.append(Heard(level, counted_as))
    return min(heard, key=lambda each: URGENCY.index(each.level))


class SymptomHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("SymptomIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        part = relief.part_said(handler_input)
        signs = _signs_said(handler_input)
        if part is not None and not _words_said(handler_input):
            # No sign in the words, only where: "it feels like someone's sitting on my chest" is
            # chest pain; "my calf hurts and I have a cramp" is the cramp.
            if part.chest:
                signs[0] = symptoms()["CHEST_PAIN"]
            elif part.leg and len(signs) == 1:
                return relief.LegCrampHandler().handle(handler_input)
        if part is not None and part.leg:
            current.muscle = part.stretch
        place = where(handler_input, cramp_words=any(sign is not None and sign.cramp
                                                     for sign in signs))
        both = part is not None and (part.both or _said_of_both(handler_input, part))
        heard = judge(signs, part, in_cramp=place in ("relief", "cramp"), both=both)
        return answer(handler_input, heard, place, both=both)


def answer(handler_input, heard: Heard, place: str, *, both: bool = False, cautious: str = "",
           asked: bool = False):
    """Say what `heard` needs, where the person is, and note the level of care it gave for the
    clinic's metrics (skill.answers). `asked`: its question was answered already."""
    response = _answer(handler_input, heard, place, both=both, cautious=cautious, asked=asked)
    answers.for_care(heard.level)
    return response


def _answer(handler_input, heard: Heard, place: str, *, both: bool, cautious: str, asked: bool):
    current = state(handler_input)
    sign = heard.sign
    data = {"level": heard.level, "sign": sign.id if sign is not None else "", "where": place,
            "muscle": current.muscle, "cautious": cautious, "both": both, "asking": "",
            "clinic": ""}
    if heard.level in (EMERGENCY, URGENT):
        # Care today or now: whatever was under way ends, and it is said in the normal voice.
        current.walk, current.triage_step, current.checking = None, 0, None
        current.topic = "symptom"
        return tell(handler_input, f"symptom/{template(heard)}", aloud=True, then="", **data)
    if place == "cramp":
        current.topic = "cramp"
    elif place == "":
        current.topic = "symptom"
    if sign is not None and sign.ask and heard.level == sign.level and not asked:
        current.checking = sign.id
        return ask(handler_input, f"symptom/{template(heard)}", question=ASKING[sign.ask],
                   then=sign.ask, **data)
    current.checking = None
    then, question = way_on(place, heard.level, clinic_known=clinic.configured() is not None)
    if then == "check":
        data["asking"] = doctor.open_question(current)
    if then == "clinic":
        data["clinic"] = clinic.configured().name
    key = f"symptom/{template(heard)}"
    if question is None:
        return tell(handler_input, key, then=then, **data)
    return ask(handler_input, key, question=question, then=then, **data)


def template(heard: Heard) -> str:
    """Which words: the sign's own, else its level's (responses/<locale>/symptom/)."""
    if heard.sign is None or heard.level in (UNCLEAR, NOT_A_LEG):
        return heard.level
    return heard.sign.answer or heard.level


def way_on(place: str, level: str, clinic_known: bool) -> tuple[str, Question | None]:
    """What comes after an answer that does not send the person to care now: the place they
    were in, kept (the routine goes on, the check asks its question again, the relief is
    offered), or, with nothing under way, the short check, the clinic's details, or goodbye."""
    if place == "relief":
        return "carry_on", walkthrough.WALK_CONTINUE
    if place == "bedtime":
        return ("carry_on_gently" if level == EXPECTED else "carry_on"), walkthrough.WALK_CONTINUE
    if place == "check":
        return "check", doctor.TRIAGE
    if place == "cramp":
        return "offer_relief", relief.OFFER_RELIEF
    if level in (EXPECTED, UNCLEAR):
        return "offer_check", doctor.OFFER_TRIAGE
    if level == SOON and clinic_known:
        return "clinic", doctor.OFFER_CLINIC_CARD
    return "", None


# --- the one question whose answer changes the level -------------------------------------------

def checking(handler_input) -> Symptom | None:
    """The sign the open symptom question is about."""
    return symptoms().get(state(handler_input).checking)


def _about(kind: str):
    def is_open(handler_input) -> bool:
        sign = checking(handler_input)
        return sign is not None and sign.ask == kind
    return is_open


def _again(handler_input, heard: Heard, **options):
    return answer(handler_input, heard, where(handler_input), asked=True, **options)


def came_on_suddenly(handler_input, cautious: str = ""):
    """Numbness or weakness that came on suddenly: the emergency number."""
    return _again(handler_input, Heard(EMERGENCY, symptoms()["SUDDEN_WEAKNESS"]),
                  cautious=cautious)


def not_suddenly(handler_input):
    sign = checking(handler_input)
    return _again(handler_input, Heard(sign.level, sign))


def not_sure_if_suddenly(handler_input):
    """With weakness or numbness, it is safest to call even if not sure (NHS stroke)."""
    return came_on_suddenly(handler_input, cautious="unsure")


def over_ten_minutes(handler_input):
    return _again(handler_input, Heard(URGENT, symptoms()["LASTED_LONG"]))


def within_ten_minutes(handler_input):
    """"No", or not sure: it is still a cramp in its first minutes. Keep stretching, with the
    ten-minute rule, and go on from where they were."""
    return _again(handler_input, Heard(EXPECTED, symptoms()["STILL_CRAMPING"]))


def _unclear(kind: str):
    def reask(handler_input):
        return ask(handler_input, f"symptom/questions/unclear_{kind}", question=ASKING[kind],
                   muscle=state(handler_input).muscle)
    return reask


SUDDEN = ask_about(Question(
    "sudden", reprompt="symptom/questions/sudden_reprompt", on_yes=came_on_suddenly,
    on_no=not_suddenly, on_unsure=not_sure_if_suddenly, on_unclear=_unclear("sudden"),
    is_open=_about("sudden")))

TEN_MINUTES = ask_about(Question(
    "ten_minutes", reprompt="symptom/questions/ten_minutes_reprompt", on_yes=over_ten_minutes,
    on_no=within_ten_minutes, on_unsure=within_ten_minutes, on_unclear=_unclear("ten_minutes"),
    is_open=_about("ten_minutes")))

ASKING = {"sudden": SUDDEN, "ten_minutes": TEN_MINUTES}


class CallForHelpHandler(AbstractRequestHandler):
    """"Call 911", "call an ambulance", "call for help": the skill cannot call anyone, and Alexa
    itself cannot call emergency numbers. Said at once: call the local emergency number now
    from a phone; Alexa can call an emergency contact set in the Alexa app. The session closes,
    so that "Alexa, call for help" reaches Alexa, not this skill."""

    def can_handle(self, handler_input):
        return is_intent_name("CallForHelpIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        current.walk, current.triage_step, current.checking = None, 0, None
        current.topic = "symptom"
        return tell(handler_input, "call_for_help", aloud=True)
