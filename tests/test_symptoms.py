"""A sign in the person's own words (SymptomIntent), at 3 a.m. and by day, at every moment, in
both directions: a red flag in any words reaches care, and an ordinary cramp is never sent to an
emergency room.

The levels expected here are written from the sources (responses/SOURCES.md), not read from the
symptom table: a test below holds every row of the table to them."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from localdev.envelopes import SlotFill
from tests.locales import EMERGENCY, LOCALES
from tests.words import STRETCH

CALL = "Call 911 now."
TODAY = "should be checked by a doctor today, urgently."
SAFETY = ("If a cramp lasts more than ten minutes, or your leg is swollen, red or warm, "
          "get medical help.")
SOFT = '<prosody volume="soft" rate="90%">'
# Words the skill never says about a symptom: it does not diagnose, name a medicine or promise.
NEVER = ("this could be", "you have a", "blood clot", "DVT", "thrombosis", "stroke",
         "save your life", "magnesium", "quinine", "ibuprofen", "paracetamol", "aspirin",
         "milligram", " mg")
# Where each sign belongs, from its sources: said of a leg, at the top of a conversation.
LEVEL = {
    "CHEST_PAIN": "emergency", "BREATHLESS": "emergency", "COUGHING_BLOOD": "emergency",
    "FACE_DROOP": "emergency", "SLURRED_SPEECH": "emergency", "SUDDEN_WEAKNESS": "emergency",
    "SUDDEN_COLD": "emergency", "BLUE_LIPS": "emergency", "SUDDEN_HEADACHE": "emergency",
    "SWOLLEN": "urgent", "RED": "urgent", "WARM": "urgent", "THROBBING": "urgent",
    "HARD_VEINS": "urgent", "BLOOD_CLOT": "urgent", "LASTED_LONG": "urgent",
    "TETANUS": "urgent", "CANT_BEAR_WEIGHT": "urgent", "PALE_COLD": "urgent", "TURNED_BLUE": "urgent",
    "RACING_HEART": "urgent",
    "NUMB": "soon", "WEAK": "soon", "TINGLING": "soon", "FREQUENT": "soon",
    "KEEPS_WAKING": "soon", "NEW_MEDICINE": "soon", "HURTS_TO_WALK": "soon", "INJURY": "soon",
    "ULCER": "soon",
    "STILL_CRAMPING": "expected", "SORE": "expected", "TIGHT": "expected",
    "TWITCHING": "expected",
}
# Said in the middle of a cramp: the ones that are the cramp itself keep helping.
IN_A_CRAMP = {**LEVEL, "THROBBING": "expected", "CANT_BEAR_WEIGHT": "expected",
              "NUMB": "expected", "WEAK": "expected", "TINGLING": "expected",
              "FREQUENT": "expected", "KEEPS_WAKING": "expected", "HURTS_TO_WALK": "expected"}
# Stroke and breathing signs are signs wherever they are; a leg sign said of the face is not.
ANYWHERE = {"CHEST_PAIN", "BREATHLESS", "COUGHING_BLOOD", "FACE_DROOP", "SLURRED_SPEECH",
            "SUDDEN_WEAKNESS", "NUMB", "WEAK", "TETANUS", "NEW_MEDICINE", "RACING_HEART",
            "BLUE_LIPS", "SUDDEN_HEADACHE"}
# A leg sign that means something else said of some parts: blue or grey, of the lips, face or
# skin, is the emergency the NHS gives it (cyanosis), not a cold leg.
SAID_OF_THE_FACE = {"TURNED_BLUE": "emergency"}
# A question first, when the answer changes the level.
ASKS = {"NUMB": "Did it come on suddenly, in the last few hours?",
        "WEAK": "Did it come on suddenly, in the last few hours?",
        "STILL_CRAMPING": "Has it lasted more than ten minutes?"}


def sign(talk, symptom_id, muscle=None, said=None, **more):
    slots = {"Symptom": SlotFill(said or symptom_id.lower().replace("_", " "), symptom_id)}
    if muscle:
        slots["Muscle"] = SlotFill(muscle.lower(), muscle)
    return talk.intent("SymptomIntent", **slots, **more)


def level_of(reply) -> str:
    """Which level of care a reply gives, read from what it says first."""
    text = reply.text
    if text.startswith(("Keep stretching", "That's the cramp")):
        return "expected"
    if text.startswith(("Call ", "If you're coughing up")) or (
            "call 911 now" in text.split(".")[0] and "suddenly" not in text.split(".")[0]):
        return "emergency"
    if ("today, urgently" in text or "get it checked today" in text) and reply.ends_session:
        return "urgent"
    if text.startswith("I'm made for leg cramps"):
        return "not_a_leg"
    if any(words in text for words in ("about soon", "book an appointment",
                                       "see your doctor soon", "talk to your doctor")):
        return "soon"
    return "expected"


def never_unsafe(reply):
    for words in NEVER:
        assert words.lower() not in reply.text.lower(), words


@pytest.fixture
def at_night(new_talk, alexa_api):
    """A conversation at 03:00 in New York."""
    alexa_api.time_zone = "America/New_York"
    night = datetime(2025, 1, 20, 8, 0, tzinfo=timezone.utc)
    return lambda **options: new_talk(now=lambda: night, **options)


# --- every row of the table, at its level, both directions ---------------------------------------

def test_every_row_of_the_table_has_its_level_written_here_from_its_sources():
    from skill.symptom_table import symptoms

    assert set(symptoms()) == set(LEVEL)


@pytest.mark.parametrize("symptom_id", sorted(LEVEL))
def test_said_of_the_calf_by_day_each_sign_gets_its_level(talk, symptom_id):
    reply = sign(talk, symptom_id, muscle="CALF")
    if symptom_id in ASKS and LEVEL[symptom_id] != "emergency":
        # The answer's first words are safe whatever the answer will be; then the question.
        assert reply.text.endswith(ASKS[symptom_id]) and not reply.ends_session
        return
    assert level_of(reply) == LEVEL[symptom_id], reply.text
    never_unsafe(reply)


@pytest.mark.parametrize("symptom_id", sorted(LEVEL))
def test_said_thirty_seconds_into_the_relief_each_sign_gets_its_level_in_a_cramp(
        talk, symptom_id):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = sign(talk, symptom_id)
    level = IN_A_CRAMP[symptom_id]
    if symptom_id in ASKS and level != "emergency" and LEVEL[symptom_id] == level:
        assert reply.text.endswith(ASKS[symptom_id]) and not reply.ends_session
        assert reply.attributes["walk"]["routine"] == "relief"   # the place is kept
        return
    assert level_of(reply) == level, reply.text
    if level in ("expected", "soon"):
        # Still helping: the microphone open, the relief where it was.
        assert not reply.ends_session and reply.attributes["walk"]["routine"] == "relief"
        assert reply.text.endswith("Shall we carry on?")
    else:
        assert reply.ends_session and reply.attributes.get("walk") is None


@pytest.mark.parametrize("symptom_id", sorted(LEVEL))
def test_said_of_the_face_a_leg_sign_is_no_leg_red_flag(talk, symptom_id):
    reply = sign(talk, symptom_id, muscle="FACE")
    if symptom_id in SAID_OF_THE_FACE:
        assert level_of(reply) == SAID_OF_THE_FACE[symptom_id], reply.text
        return
    if symptom_id in ANYWHERE:
        assert level_of(reply) != "not_a_leg", reply.text
        if LEVEL[symptom_id] == "emergency":
            assert level_of(reply) == "emergency"
        return
    assert reply.text.startswith("I'm made for leg cramps, so I can't say what that might be.")
    assert ("If you have chest pain or trouble breathing, or your face, an arm or a leg "
            "suddenly went weak or numb, call 911 now.") in reply.text
    assert "Otherwise, a pharmacist or your doctor can help." in reply.text


# --- the emergency number first -----------------------------------------------------------------

@pytest.mark.parametrize("symptom_id", ["CHEST_PAIN", "BREATHLESS", "FACE_DROOP",
                                        "SLURRED_SPEECH", "SUDDEN_WEAKNESS", "SUDDEN_COLD"])
def test_at_3am_an_emergency_sign_gets_the_number_first_in_the_normal_voice(at_night,
                                                                           symptom_id):
    talk = at_night()
    talk.say("walk me through a bedtime stretch")
    reply = sign(talk, symptom_id)
    assert reply.text.startswith(CALL) and reply.ends_session
    assert SOFT not in reply.ssml
    assert reply.attributes.get("walk") is None
    never_unsafe(reply)


def test_coughing_up_blood_follows_the_nhs_both_ways(talk):
    reply = sign(talk, "COUGHING_BLOOD")
    assert reply.text.startswith("If you're coughing up more than a few spots of blood, or you "
                                 "also have trouble breathing or chest pain, call 911 now.")
    assert "Even a few spots of blood should be checked by a doctor today." in reply.text


@pytest.mark.parametrize("symptom_id", ["SORE", "TIGHT", "THROBBING"])
def test_a_pain_said_of_the_chest_is_chest_pain(talk, symptom_id):
    reply = sign(talk, symptom_id, muscle="CHEST")
    assert reply.text.startswith(CALL + " Chest pain, pressure or tightness: that needs "
                                 "emergency help straight away.")


def test_a_cramp_in_the_chest_is_chest_pain_and_a_cramp_in_the_arm_is_not_a_leg(talk):
    assert talk.intent("LegCrampIntent", Muscle=SlotFill("chest", "CHEST")).text.startswith(CALL)
    reply = talk.intent("LegCrampIntent", Muscle=SlotFill("arm", "ARM"))
    assert reply.text.startswith("Gently stretch the muscle and rub it: that helps a cramp "
                                 "anywhere")
    assert "I'm made for leg cramps" in reply.text
    assert "call 911 now" in reply.text


# --- medical help today, urgently, with where to go at this hour ---------------------------------

@pytest.mark.parametrize("symptom_id, words", [
    ("SWOLLEN", "A swollen calf or leg, above all in one leg"),
    ("RED", "A red or darkened calf or leg"), ("WARM", "A calf or leg that feels warm"),
    ("THROBBING", "A throbbing pain in the calf or leg"),
    ("HARD_VEINS", "Veins that are swollen, hard or sore to touch"),
    ("BLOOD_CLOT", "Signs like that in a calf or leg"),
    ("TETANUS", "Cramps or stiffness after a cut or wound that might have got dirty"),
])
def test_at_3am_a_sign_that_needs_care_today_is_sent_there_not_to_an_emergency_room(
        at_night, symptom_id, words):
    reply = sign(at_night(), symptom_id, muscle="CALF")
    assert reply.text.startswith(f"{words}: that {TODAY}")
    assert "At this hour, call your doctor's after-hours line or a nurse advice line." \
        in reply.text
    assert "emergency room" not in reply.text and SOFT not in reply.ssml
    assert reply.text.endswith("If you also have chest pain or trouble breathing, call 911.")
    assert reply.ends_session
    never_unsafe(reply)


def test_a_red_flag_said_mid_relief_is_heard_first_and_ends_it(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = sign(talk, "SWOLLEN", muscle="CALF", said="swollen")
    assert reply.text.startswith("A swollen calf or leg")
    assert reply.ends_session and reply.attributes.get("walk") is None


def at(new_talk, alexa_api, locale, hour, time_zone):
    alexa_api.time_zone = time_zone
    return new_talk(locale=locale,
                    now=lambda: datetime(2024, 1, 15, hour, 0, tzinfo=timezone.utc))


# Where to get help today, by day and at 3 a.m. local time: someone who answers all night, never
# the emergency room for these signs (but India, where a hospital is where a doctor is at night).
WHERE = {
    "en-US": ("America/Chicago", "Call your doctor's office for an urgent appointment today, or "
              "go to an urgent care clinic.",
              "At this hour, call your doctor's after-hours line or a nurse advice line."),
    "en-GB": ("Europe/London", "Ask your GP surgery for an urgent appointment today, or call 111.",
              "Call 111 now: NHS 111 is there day and night."),
    "en-CA": ("America/Toronto", "Call your doctor for an urgent appointment today, or go to a "
              "walk-in clinic.", "At this hour, call 811, the health line in most provinces"),
    "en-AU": ("Australia/Sydney", "See your GP today, or call healthdirect",
              "it's there day and night."),
    "en-IN": ("Asia/Kolkata", "See a doctor today", "At this hour, go to a hospital's emergency "
              "department."),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_where_to_go_today_depends_on_the_hour_where_the_person_is(new_talk, alexa_api, locale):
    time_zone, day_words, night_words = WHERE[locale]
    offsets = {"America/Chicago": -6, "Europe/London": 0, "America/Toronto": -5,
               "Australia/Sydney": 11, "Asia/Kolkata": 5}
    utc_hour = lambda local: (local - offsets[time_zone]) % 24  # noqa: E731
    day = sign(at(new_talk, alexa_api, locale, utc_hour(14), time_zone), "SWOLLEN")
    night = sign(at(new_talk, alexa_api, locale, utc_hour(3), time_zone), "SWOLLEN")
    assert day_words in day.text and night_words not in day.text
    assert night_words in night.text and day_words not in night.text
    assert f"call {EMERGENCY[locale]}." in night.text


def test_swelling_in_both_legs_with_cramps_is_for_a_doctor_soon_not_tonight(talk):
    reply = sign(talk, "SWOLLEN", muscle="BOTH_LEGS")
    assert reply.text.startswith("Swelling in both legs: that's worth seeing your doctor about "
                                 "soon, so book an appointment.")
    assert reply.ends_session and "urgently" not in reply.text


def test_a_cramp_over_ten_minutes_needs_care_today_and_keeps_the_stretch(talk):
    talk.say("i have a cramp in my calf")
    reply = sign(talk, "LASTED_LONG", said="twenty minutes")
    assert reply.text.startswith("A cramp that lasts more than ten minutes should be checked by "
                                 "a doctor today, urgently.")
    assert f"Meanwhile, keep stretching gently: {STRETCH}" in reply.text
    assert reply.ends_session


def test_after_an_injury_a_leg_that_takes_no_weight_goes_to_urgent_care_by_day(talk):
    reply = sign(talk, "CANT_BEAR_WEIGHT", muscle="LEG")
    assert reply.text.startswith("If you can't put weight on your leg, get it checked today. "
                                 "Go to an urgent care clinic or an emergency room.")
    assert reply.ends_session


# --- one question, where the answer changes the level --------------------------------------------

def test_it_wont_stop_thirty_seconds_into_the_relief_is_the_cramp(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("won't stop", "STILL_CRAMPING"))
    assert reply.text.startswith(f"Keep stretching: {STRETCH}")
    assert reply.text.endswith("Has it lasted more than ten minutes?")
    assert not reply.ends_session and reply.attributes["walk"]["step"] == 0
    no = talk.say("no")
    assert no.text.startswith(f"Keep stretching: {STRETCH}")
    assert "If it lasts longer than that, get medical help today." in no.text
    assert no.text.endswith("Shall we carry on?") and not no.ends_session
    assert no.attributes["walk"]["step"] == 0
    assert "rub the muscle" in talk.say("yes").text   # on to the massage, where it was


def test_it_wont_stop_and_it_has_been_twenty_minutes_is_care_today(talk):
    talk.say("i have a leg cramp")
    sign(talk, "STILL_CRAMPING", said="won't stop")
    reply = talk.say("yes")
    assert reply.text.startswith("A cramp that lasts more than ten minutes should be checked")
    assert reply.ends_session


def test_not_sure_how_long_never_escalates_by_itself(talk):
    talk.say("i have a leg cramp")
    sign(talk, "STILL_CRAMPING", said="getting worse")
    reply = talk.intent("UnsureIntent")
    assert reply.text.startswith(f"Keep stretching: {STRETCH}")
    assert "urgently" not in reply.text and not reply.ends_session


def test_a_numb_leg_is_asked_whether_it_came_on_suddenly(talk):
    reply = sign(talk, "NUMB", muscle="LEG")
    assert reply.text.startswith("If it came on suddenly, or your face or an arm feels weak or "
                                 "numb too, call 911 now.")
    assert reply.text.endswith("Did it come on suddenly, in the last few hours?")
    assert talk.say("yes").text.startswith(CALL + " Sudden weakness or numbness")


@pytest.mark.parametrize("answer, first", [
    ("no", "If it came on suddenly"), ("not sure", "Call 911 now: when you're not sure, it's "
                                                   "safest to call.")])
def test_a_weak_leg_not_sudden_is_for_a_doctor_soon_and_not_sure_is_safest_called(
        talk, answer, first):
    sign(talk, "WEAK", muscle="LEG")
    reply = talk.intent("UnsureIntent") if answer == "not sure" else talk.say(answer)
    assert reply.text.startswith(first) and reply.ends_session
    if answer == "no":
        assert "it's worth seeing your doctor about soon" in reply.text


def test_a_cold_pale_leg_is_an_emergency_if_sudden_and_very_painful_otherwise_today(talk):
    reply = sign(talk, "PALE_COLD", muscle="LEG")
    assert reply.text.startswith("If your leg suddenly turned cold and pale and it's very "
                                 "painful, call 911 now. Otherwise, a leg that's cold, pale or "
                                 "blue should be checked by a doctor today, urgently.")
    assert reply.ends_session and SOFT not in reply.ssml
    said_so = sign(talk, "SUDDEN_COLD", muscle="LEG", said="suddenly cold")
    assert said_so.text.startswith(CALL + " A leg that suddenly turns cold")


def test_lips_gone_blue_at_3am_is_the_emergency_number_and_a_blue_foot_is_care_today(at_night):
    """NHS cyanosis: lips, tongue, face or skin that suddenly turn blue or grey, 999; fingers or
    toes, feet, 111. However the words split ("my lips have gone blue" is the face and "blue"
    to a model), the lips are not a leg."""
    lips = sign(at_night(), "TURNED_BLUE", muscle="FACE", said="gone blue")
    assert lips.text.startswith(CALL) and SOFT not in lips.ssml and lips.ends_session
    assert sign(at_night(), "BLUE_LIPS", said="my lips have gone blue").text.startswith(CALL)
    foot = sign(at_night(), "TURNED_BLUE", muscle="FOOT", said="gone blue")
    assert "checked by a doctor today, urgently" in foot.text and not foot.text.startswith(CALL)


def test_the_worst_headache_of_my_life_is_the_emergency_number_a_headache_is_not_a_sign(talk):
    """NHS headaches: a headache that came on suddenly and is extremely painful, 999. Only the
    sudden, severe one is a row: a headache alone is no sign this skill judges."""
    reply = sign(talk, "SUDDEN_HEADACHE", said="the worst headache of my life")
    assert reply.text.startswith(CALL) and reply.ends_session
    from skill.symptom_table import symptoms

    assert not any(word in ("headache", "a headache", "a bad headache")
                   for row in symptoms().values() for word in row.words)


def test_the_symptom_question_not_heard_says_what_to_do_if_yes_and_asks_again(talk):
    sign(talk, "NUMB", muscle="FOOT")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("I didn't quite catch that, so to be safe: if it came on "
                                 "suddenly, call 911 now.")
    assert reply.text.endswith("Did it come on suddenly?") and not reply.ends_session


# --- soon, and expected ----------------------------------------------------------------------------

def test_pins_and_needles_at_3am_are_no_emergency(at_night):
    reply = sign(at_night(), "TINGLING", muscle="FOOT")
    assert reply.text.startswith("Pins and needles often come from pressure on a nerve")
    assert "If it came with sudden weakness, or your face or an arm feels numb or weak too, " \
           "call 911 now." in reply.text
    assert "emergency room" not in reply.text and reply.ends_session


def test_with_a_clinic_configured_a_sign_for_a_doctor_soon_offers_its_details(talk,
                                                                            monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", "Riverside Leg Clinic")
    monkeypatch.setenv("CLINIC_PHONE", "+1 555 0100")
    reply = sign(talk, "KEEPS_WAKING")
    assert reply.text.startswith("Cramps that come very often, or keep waking you, are worth "
                                 "seeing your doctor about")
    assert reply.text.endswith("Would you like me to send Riverside Leg Clinic's phone number "
                               "and booking details to your Alexa app?")
    assert "Riverside Leg Clinic" in talk.say("yes").text


def test_tender_after_the_cramp_is_expected_with_the_check_offered(talk):
    reply = sign(talk, "SORE", muscle="CALF", said="tender after the cramp")
    assert reply.text.startswith("After a cramp, the muscle can feel tender for up to a day.")
    assert SAFETY in reply.text and not reply.ends_session
    assert reply.text.endswith("Would you like a few quick questions about whether to see a "
                               "doctor?")


def test_it_still_hurts_after_the_cramp_answer_offers_to_talk_them_through(talk):
    talk.say("i have a leg cramp")
    reply = sign(talk, "SORE", said="it still hurts")
    assert reply.text.startswith("Keep stretching gently, and rub the muscle.")
    assert SAFETY in reply.text and reply.text.endswith("Want me to talk you through it?")
    assert "Okay, let's ease it together" in talk.say("yes").text


def test_pain_inside_the_bedtime_routine_means_easing_off(talk):
    talk.say("walk me through a bedtime stretch")
    reply = sign(talk, "SORE", said="it hurts")
    assert reply.text.startswith("Ease off a little: a stretch should feel gentle, never painful.")
    assert reply.text.endswith("Shall we carry on, more gently?") and not reply.ends_session


def test_twitching_is_common_and_usually_harmless(talk):
    reply = sign(talk, "TWITCHING", muscle="CALF")
    assert reply.text.startswith("Muscle twitches are common, usually harmless")
    assert "If a twitch lasts more than two weeks" in reply.text


def test_something_milder_mid_check_keeps_the_question_open(talk):
    talk.say("should i see a doctor")
    talk.say("yes")
    talk.say("no")
    reply = sign(talk, "SORE")
    assert reply.text.startswith("Thanks for telling me.")
    assert reply.text.endswith("Has your face, an arm or a leg suddenly gone weak, numb or "
                               "droopy, is your speech slurred, or has a leg suddenly turned "
                               "cold, pale and very painful?")
    assert reply.attributes["question"] == "triage"


# --- of two signs, the more urgent; what was not understood -------------------------------------

def test_of_two_signs_said_together_the_more_urgent_decides(talk):
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("sore", "SORE"),
                        OtherSymptom=SlotFill("short of breath", "BREATHLESS"))
    assert reply.text.startswith(CALL)
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("won't stop", "STILL_CRAMPING"),
                        OtherSymptom=SlotFill("puffy", "SWOLLEN"))
    assert reply.text.startswith("A swollen calf or leg")


@pytest.mark.parametrize("fill", [SlotFill("my leg feels funny"), SlotFill("tingly", "TINGLY"),
                                  None])
def test_an_unknown_sign_gets_every_sign_that_matters_then_the_check(talk, fill):
    reply = talk.intent("SymptomIntent", Symptom=fill)
    assert reply.text.startswith("If you have chest pain or trouble breathing, or your face, an "
                                 "arm or a leg suddenly went weak or numb, call 911 now.")
    assert "get medical help today" in reply.text
    assert "What would you like?" not in reply.text and not reply.ends_session
    assert "First: Do you have chest pain" in talk.say("yes").text


def test_an_unknown_sign_mid_relief_starts_with_the_stretch(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("weird"))
    assert reply.text.startswith(f"Keep stretching: {STRETCH}")
    assert "call 911 now" in reply.text and reply.text.endswith("Shall we carry on?")


# --- the check: "not sure" or "a bit" never beyond the sign's level --------------------------------

def test_a_bit_to_the_swelling_question_is_care_today_not_the_emergency_room(at_night):
    talk = at_night()
    talk.say("should i see a doctor")
    talk.say("yes")
    talk.say("no")
    talk.say("no")
    reply = talk.intent("UnsureIntent")
    assert reply.text.startswith("That's okay. When you're not sure, it's safest to have it "
                                 "checked.")
    assert "emergency room" not in reply.text and "Call 911" not in reply.text


# --- "call 911" ----------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_asked_to_call_for_help_it_says_at_once_to_call_the_local_number(new_talk, locale):
    talk = new_talk(locale=locale)
    talk.say("i have a leg cramp")
    reply = talk.intent("CallForHelpIntent")
    assert reply.text.startswith(f"I can't make calls. Call {EMERGENCY[locale]} now, from a "
                                 "phone.")
    assert "ask Alexa to call for help" in reply.text and reply.ends_session


# --- a fallback at night carries the emergency line, after what to do for a cramp ---------------

def test_at_3am_whatever_was_not_understood_gets_the_stretch_then_the_emergency_line(at_night):
    reply = at_night().intent("AMAZON.FallbackIntent")
    assert reply.text.startswith(f"If you have a cramp: {STRETCH}")
    text = reply.text
    assert text.index(STRETCH) < text.index("If you have chest pain or trouble breathing, call "
                                            "911 now.")
    assert '<prosody volume="medium" rate="100%">If you have chest pain' in reply.ssml


def test_by_day_too_whatever_was_not_understood_names_the_signs_that_need_care_first(talk):
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("Sorry, I didn't catch that. If you have chest pain or trouble "
                                 "breathing, call 911 now. If a calf or leg is swollen, red or "
                                 "warm, get medical help today.")
    assert reply.text.endswith("What would you like?") and not reply.ends_session


# --- nothing stored; one table ------------------------------------------------------------------

def test_symptoms_live_in_the_session_only(talk, tmp_path):
    sign(talk, "SORE", said="my calf still aches")
    kept = talk.history[-1][1].attributes
    assert "SORE" not in str(kept) and "aches" not in str(kept)
    sign(talk, "NUMB")
    sign(talk, "SWOLLEN")
    # Neither answer read or wrote what is remembered: the local store was never even created.
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("locale", LOCALES)
def test_every_models_symptom_and_body_part_types_are_the_table(locale):
    """The SYMPTOM and MUSCLE slot types are the table's rows (skill/symptoms.toml), word for
    word: a sign or a body part is defined once."""
    import json

    from localdev.matcher import MODELS_DIR
    from skill.symptom_table import parts, symptoms

    model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    types = {t["name"]: {value["id"]: [value["name"]["value"], *value["name"].get("synonyms", [])]
                         for value in t["values"]}
             for t in model["interactionModel"]["languageModel"]["types"]}
    assert types["SYMPTOM"] == {row.id: list(row.words_in(locale)) for row in symptoms().values()}
    assert types["MUSCLE"] == {row.id: list(row.words_in(locale)) for row in parts().values()}


def test_every_row_has_its_words_its_level_and_its_source():
    from skill.speech import Speech
    from skill.symptom_table import LEVELS, symptoms, table

    keys = set(Speech().keys())
    sources = (Path(__file__).resolve().parent.parent / "responses" / "SOURCES.md").read_text()
    for row in symptoms().values():
        assert row.level in LEVELS and (row.in_cramp or row.level) in LEVELS, row.id
        assert f"symptom/{row.template}" in keys or row.answer is None, row.id
        assert (Path(__file__).resolve().parent.parent / "responses" / "en-US" / "symptom"
                / "signs" / f"_{row.id}.ssml.j2").is_file(), row.id
        for source in row.source.split(", "):
            assert f"| {source} |" in sources, (row.id, source)
    # A "yes" to a question of the short check means the level of the signs it asks about.
    for check in table().checks:
        assert {symptoms()[name].level for name in check.signs} == {check.level}, check.name


@pytest.mark.parametrize("said", ["both my ankles are swollen", "my feet are swollen",
                                  "my ankles are swollen"])
def test_swelling_of_a_part_named_on_both_legs_is_for_a_doctor_soon(talk, said):
    """"Both my ankles are swollen" is swelling in both legs (see a doctor soon), not one swollen
    leg (today): the Muscle slot holds "ankles", the words around it say both."""
    reply = talk.say(said)
    assert "soon" in reply.text and "urgently" not in reply.text, reply.text
    assert "urgently" in talk.say("my ankle is swollen").text
