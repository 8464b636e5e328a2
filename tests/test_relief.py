"""Mid-cramp: someone wakes with a cramp and asks what to do."""

import pytest

from localdev.envelopes import SlotFill
from localdev.measure import break_seconds, spoken_seconds, words_before_instruction
from tests.words import STRETCH


def test_one_shot_cramp_answer_leads_with_the_stretch(talk):
    reply = talk.say("ask leg cramp helper what to do i have a leg cramp")

    assert reply.text.startswith(STRETCH)
    assert words_before_instruction(reply.ssml) <= 8
    assert spoken_seconds(reply.ssml) < 20
    assert reply.text.endswith("Want me to talk you through it?")
    assert not reply.ends_session and reply.reprompt_text


def test_cramp_answer_in_session(talk):
    talk.launch()
    reply = talk.say("i've got a cramp")
    assert reply.text.startswith(STRETCH)


@pytest.mark.parametrize("said, muscle_id, advice", [
    ("calf", "CALF", STRETCH),
    ("foot", "FOOT", "Pull your toes up toward your shin, to stretch the sole of your foot"),
    ("toes", "TOES", "Pull your toes up toward your shin, to stretch the sole of your foot"),
    ("thigh", "THIGH", "Sit, straighten your leg and pull your toes up"),
    ("hamstring", "HAMSTRING", "Sit with your leg out straight, and pull your toes up toward you"),
    ("shin", "SHIN", "Gently point your foot and toes down, away from you, to stretch the front "
                     "of your shin"),
    ("leg", "LEG", STRETCH),
])
def test_the_muscle_changes_the_advice(talk, said, muscle_id, advice):
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill(said, muscle_id))
    assert reply.text.startswith(advice)
    assert words_before_instruction(reply.ssml) <= 8
    assert spoken_seconds(reply.ssml) < 20


def test_a_cramp_in_my_foot_is_heard_as_the_foot(talk):
    reply = talk.say("i have a cramp in my foot")
    assert reply.text.startswith("Pull your toes up toward your shin")


@pytest.mark.parametrize("hostile", [
    "<b>&", "\"'><script>", "]]></speak><audio src='x'/>", "knee" * 500, "", "   ", "ñandú 🦵",
])
def test_unknown_or_hostile_muscles_get_the_general_advice(talk, hostile):
    reply = talk.intent("LegCrampIntent", Muscle=hostile)
    assert reply.text.startswith(STRETCH)
    assert "script" not in reply.ssml and "audio" not in reply.ssml


def test_an_unfilled_muscle_slot_gets_the_general_advice(talk):
    reply = talk.intent("LegCrampIntent", Muscle=None)
    assert reply.text.startswith(STRETCH)


def test_yes_talks_them_through_stretch_massage_then_the_rest(talk):
    talk.intent("LegCrampIntent", Muscle=SlotFill("calf", "CALF"))

    stretch = talk.say("yes")
    assert STRETCH in stretch.text
    assert break_seconds(stretch.ssml) == 30
    assert "more seconds" in stretch.text and not stretch.ends_session

    massage = talk.say("next")
    assert "rub the muscle" in massage.text
    assert break_seconds(massage.ssml) == 20

    rest = talk.say("yes")
    for relief in ("warm towel", "heating pad", "ice pack", "Walking around"):
        assert relief in rest.text
    assert ("If a cramp lasts more than ten minutes, or your leg is swollen, red or warm, "
            "get medical help.") in rest.text
    assert rest.ends_session


def test_the_guided_stretch_uses_the_muscle_from_the_answer(talk):
    talk.intent("LegCrampIntent", Muscle=SlotFill("quads", "THIGH", "front of thigh"))
    assert "lie on your side and pull your heel to your bottom" in talk.say(
        "yes").text


def test_a_thigh_cramp_is_never_told_to_stand(talk):
    """At 3 a.m. on a cramping leg a standing stretch is a fall risk: seated or lying, front
    and back both said."""
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill("thigh", "THIGH"))
    text = reply.text
    assert "Hold on to something steady" not in text and "stand" not in text.lower()
    assert "Sit, straighten your leg" in text and "If it's the front, lie on your side" in text


def test_the_shin_advice_says_how_to_stretch_and_rubs_only_once(talk):
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill("shin", "SHIN"))
    assert "point your foot and toes down" in reply.text
    assert reply.text.lower().count("rub") <= 1


def test_no_thanks_still_gets_the_safety_line_and_closes(talk):
    talk.say("i have a leg cramp")
    reply = talk.say("no")
    assert "Keep stretching and rubbing it" in reply.text
    assert "get medical help" in reply.text
    assert reply.ends_session


def test_help_after_the_cramp_answer_is_about_the_cramp(talk):
    talk.intent("LegCrampIntent", Muscle=SlotFill("foot", "FOOT"))
    reply = talk.say("help")
    assert reply.text.startswith("Pull your toes up toward your shin")
    assert "talk you through" in reply.text
    assert talk.say("yes").text.startswith("Okay, let's ease it together")


SAFETY_ON_STOP = "Okay. If it lasts more than ten minutes or your leg swells, get medical help."


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_during_the_guided_relief_keeps_the_safety_line_and_wishes_them_well(talk, words):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.say(words)
    assert reply.ends_session
    assert reply.text.startswith(SAFETY_ON_STOP)
    assert any(words in reply.text for words in ("eases soon", "Feel better", "settles soon"))


# --- what people say inside the guided relief --------------------------------------------------
# "it's gone", "i'm fine now", "thank you", "that's better", "i'm done" are CrampEasedIntent's
# samples; "it still hurts" is SymptomIntent STILL_HURTS, "it's been ten minutes" LASTING.

def test_its_gone_ends_kindly_with_the_safety_line(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("CrampEasedIntent")
    assert reply.text.startswith(("I'm glad it's eased", "Good, I'm glad it's better"))
    assert ("If a cramp lasts more than ten minutes, or your leg is swollen, red or warm, "
            "get medical help.") in reply.text
    assert reply.ends_session


def test_thank_you_after_the_cramp_answer_ends_kindly_too(talk):
    talk.say("i have a leg cramp")
    reply = talk.intent("CrampEasedIntent")
    assert "get medical help" in reply.text and reply.ends_session


def test_im_done_in_the_relief_does_not_skip_to_the_next_step(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("CrampEasedIntent")
    assert "rub the muscle firmly" not in reply.text
    assert reply.attributes.get("walk") is None


def test_it_still_hurts_keeps_them_stretching_with_the_safety_line(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("it still hurts", "SORE"))
    assert reply.text.startswith("Cramps can take a few minutes to ease. Keep stretching gently")
    assert "get medical help" in reply.text
    assert reply.text.endswith("Shall we carry on?") and not reply.ends_session
    assert "rub the muscle firmly" in talk.say("yes").text


def test_its_been_ten_minutes_is_sent_to_care(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("it's been ten minutes", "LASTED_LONG"))
    assert reply.text.startswith("A cramp that lasts more than ten minutes should be checked by "
                                 "a doctor today, urgently.")
    assert reply.ends_session and reply.attributes.get("walk") is None


def test_go_on_moves_to_the_next_step_when_not_paused(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    # "go on", "carry on", "keep going", "continue": AMAZON.ResumeIntent's samples.
    reply = talk.intent("AMAZON.ResumeIntent")
    assert "rub the muscle firmly" in reply.text


def test_not_understood_in_the_relief_says_what_to_do_first(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith(STRETCH)
    assert "Sorry" not in reply.text and "get medical help" in reply.text
    assert reply.text.endswith("Say next to carry on, or stop to finish.")


# --- every muscle hears its own stretch first --------------------------------------------------

def _leg_parts():
    from skill.symptom_table import parts

    return [part for part in parts().values() if part.leg]


def _stretch_words(group: str) -> str:
    """The first sentence of a stretch group's words (responses/en-US/stretch/<group>)."""
    from localdev.envelopes import ssml_to_text
    from skill.speech import speech

    return ssml_to_text(speech().render("en-US", f"stretch/{group}")).split(". ")[0]


@pytest.mark.parametrize("part", _leg_parts(), ids=lambda part: part.id)
def test_every_leg_muscle_hears_its_own_stretch_first_in_the_answer_the_relief_and_the_screen(
        new_talk, alexa_api, part):
    from localdev.envelopes import Device

    stretch = _stretch_words(part.stretch)
    talk = new_talk(device=Device(screen=True, api_endpoint=alexa_api.url))
    answer = talk.intent("LegCrampIntent", Muscle=SlotFill(part.words[0], part.id))
    assert answer.text.startswith(stretch)
    first_step = talk.say("yes")
    assert first_step.text.startswith("Okay, let's ease it together. " + stretch)
    for reply in (answer, first_step):
        screen = next(d for d in reply.directives
                      if d["type"] == "Alexa.Presentation.APL.RenderDocument")
        assert screen["datasources"]["screen"]["properties"]["instruction"].startswith(stretch)


def test_the_front_of_the_thigh_hears_the_quadriceps_stretch_first(talk):
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill("front of my thigh", "FRONT_THIGH"))
    assert reply.text.startswith("Lie on your side, bend your knee, and pull your heel toward "
                                 "your bottom")
    assert "toes up" not in reply.text
    assert talk.say("yes").text.startswith("Okay, let's ease it together. Lie on your side")


@pytest.mark.parametrize("words", ["i'm ready", "go on", "next", "carry on"])
def test_ready_or_go_on_to_the_offer_talks_them_through_it(talk, words):
    """"Want me to talk you through it?" "I'm ready." is a yes: the relief starts, never "Sorry,
    I didn't catch that" to someone mid-cramp."""
    talk.say("i have a cramp in my calf")
    relief = talk.say(words)
    assert relief.text.startswith("Okay, let's ease it together. " + STRETCH)
    assert relief.attributes["walk"]["routine"] == "relief"
