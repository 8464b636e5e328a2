"""Mid-cramp: the first words are what to do. Then an offer to talk the person through it."""

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import get_slot, is_intent_name

from skill import display, routines
from skill.conversation import walkthrough
from skill.conversation.questions import Question, ask_about, open_question
from skill.respond import ask, tell
from skill.routines import RELIEF
from skill.session import state
from skill.slots import resolved_id
from skill.symptom_table import Part, parts

def part_said(handler_input) -> Part | None:
    """The body part Alexa resolved the Muscle slot to (skill/symptoms.toml [[part]])."""
    return parts().get(resolved_id(get_slot(handler_input, "Muscle")))


def part_said_as(handler_input, words: tuple[str, ...]) -> bool:
    """Whether the Muscle slot's own words, not the part they resolve to, are among `words`: only
    the words tell "ankles" (both legs) or "other calf" (the other leg) from the part itself."""
    slot = get_slot(handler_input, "Muscle")
    return slot is not None and (slot.value or "").lower() in words


def talk_through(handler_input):
    """"Yes" to the offer: the guided relief routine, on the walkthrough engine."""
    return walkthrough.start(handler_input, RELIEF, muscle=state(handler_input).muscle)


def decline(handler_input):
    return tell(handler_input, "relief/decline")


# "Want me to talk you through it?", after the cramp answer.
OFFER_RELIEF = ask_about(Question(
    "offer_relief", reprompt="relief/answer_reprompt", on_yes=talk_through, on_no=decline,
    data=lambda handler_input: {"muscle": state(handler_input).muscle},
    # "I'm ready", "go on", "next": a yes, not a "sorry?" to someone mid-cramp.
    also_yes=walkthrough.CARRY_ON_WORDS))


class LegCrampHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("LegCrampIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        part = part_said(handler_input)
        if part is not None and part.chest:
            # "A cramp in my chest" is chest pain, whatever word it is said with.
            current.walk = None
            current.topic = "symptom"
            return tell(handler_input, "symptom/emergency", aloud=True, sign="CHEST_PAIN",
                        cautious="")
        if part is not None and not part.leg:
            current.walk = None
            current.topic = None
            return tell(handler_input, "relief/not_a_leg")
        # Any leg part, or none said: its stretch (most night cramps are in the calf).
        muscle = part.stretch if part is not None else None
        routine = routines.routine_of(current)
        if routine is RELIEF:
            return cramp_again(handler_input, muscle,
                               other_leg=part is not None and part_said_as(handler_input,
                                                                           part.other_words))
        if routine is not None:
            # "Ow, I just got a cramp" in the bedtime stretch: the relief now, the stretch after.
            return walkthrough.set_aside_for_relief(handler_input, muscle or "general")
        current.walk = None
        current.topic = "cramp"
        current.muscle = muscle or "general"
        response = ask(handler_input, "relief/answer", question=OFFER_RELIEF,
                       muscle=current.muscle)
        display.screen(handler_input, "screen/cramp", muscle=current.muscle)
        return response


def cramp_again(handler_input, muscle: str | None, other_leg: bool = False):
    """"Ow ow ow", "ow my calf", "it's cramping again" in the guided relief: the place is kept and
    it goes on, doing only what was not done. A cramp in another muscle ("now it's my foot"), or
    in the same one on the other leg ("the other calf now"), is a new cramp: it starts again from
    that muscle's stretch."""
    current = state(handler_input)
    if muscle is not None and (muscle != current.walk.muscle or other_leg):
        current.muscle = current.walk.muscle = muscle
        routines.restart(current)
        return walkthrough.say_step(handler_input)
    walkthrough.step_out(handler_input)
    return walkthrough.carry_on(handler_input)


def in_a_cramp(handler_input) -> bool:
    """Whether the person is in the middle of a cramp, as far as the skill knows: in the guided
    relief, offered it, or just told what to do."""
    current = state(handler_input)
    routine = routines.routine_of(current)
    if routine is not None:
        return routine is RELIEF
    question = open_question(handler_input)
    return question is OFFER_RELIEF or (
        question is None and current.topic in ("cramp", "relief"))


# Intents whose answer may start with what to do for a cramp: "i have a leg cramp", "what else
# can I do", and what Alexa could not match or the person was unsure of (at night, with nothing
# else known, that is answered with what to do for a cramp).
CRAMP_FIRST_INTENTS = frozenset({"LegCrampIntent", "EaseIdeasIntent", "AMAZON.FallbackIntent",
                                 "UnsureIntent"})


def may_answer_a_cramp(handler_input) -> bool:
    """Whether this request's answer may be what to do for a cramp: one of CRAMP_FIRST_INTENTS,
    or anything said in the middle of one. Such an answer never waits for the device's time
    zone (skill.session.LoadSession)."""
    request = handler_input.request_envelope.request
    intent = getattr(getattr(request, "intent", None), "name", None)
    return intent in CRAMP_FIRST_INTENTS or in_a_cramp(handler_input)


def not_understood(handler_input):
    """Not understood from someone who may be in pain: what to do first, the safety line, then
    one short question (carry on the relief, or be talked through it)."""
    current = state(handler_input)
    if routines.routine_of(current) is RELIEF:
        return ask(handler_input, "fallback/cramp", question=walkthrough.WALK_CONTINUE,
                   muscle=current.walk.muscle, walking=True, cramp=True)
    cramp = current.topic in ("cramp", "relief")
    current.topic = "cramp"
    return ask(handler_input, "fallback/cramp", question=OFFER_RELIEF,
               muscle=current.muscle, walking=False, cramp=cramp)


class CrampEasedHandler(AbstractRequestHandler):
    """"It's gone", "that's better", "thank you", "i'm done". About a cramp: ended kindly, with
    the safety line. In the bedtime stretch, "done" means the next step."""

    def can_handle(self, handler_input):
        return is_intent_name("CrampEasedIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        routine = routines.routine_of(current)
        if routine is not None and routine is not RELIEF:
            return walkthrough.carry_on(handler_input)
        if in_a_cramp(handler_input):
            routines.finish(current)
            if current.set_aside is not None:
                # A cramp in the bedtime stretch has eased: back to it, if wanted.
                return ask(handler_input, "relief/eased", question=walkthrough.BACK_TO_ROUTINE,
                           back=True)
            return tell(handler_input, "relief/eased", back=False)
        return tell(handler_input, "goodbye", topic=current.topic or "")


class EaseIdeasHandler(AbstractRequestHandler):
    """"What else can I do?": everything that helps a cramp that is still sore, whatever the
    hour. At night the guided relief names only one of them, and says this is how to ask."""

    def can_handle(self, handler_input):
        return is_intent_name("EaseIdeasIntent")(handler_input)

    def handle(self, handler_input):
        current = state(handler_input)
        current.walk = None
        current.topic = "cramp"
        return tell(handler_input, "relief/more")
