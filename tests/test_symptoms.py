"""A symptom in the person's own words (SymptomIntent), at any moment: the emergency number first
for what needs it, "get medical help now" with where to go at this hour for the red flags, the
triage or home care for anything milder. Nothing is diagnosed and nothing is stored."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from localdev.envelopes import SlotFill
from tests.locales import EMERGENCY, LOCALES

URGENT = "Please get medical help now."
SAFETY = ("If a cramp lasts more than ten minutes, or your leg is swollen, red or warm, "
          "get medical help.")
# Words the skill never says about a symptom: it does not diagnose, name a medicine or promise.
NEVER = ("this could be", "you have a", "blood clot", "DVT", "thrombosis", "stroke",
         "save your life", "magnesium", "quinine", "ibuprofen", "paracetamol", "aspirin",
         "milligram", " mg")


def symptom(talk, symptom_id, said="", muscle=None):
    slots = {"Symptom": SlotFill(said or symptom_id.lower(), symptom_id)}
    if muscle:
        slots["Muscle"] = SlotFill(muscle.lower(), muscle)
    return talk.intent("SymptomIntent", **slots)


def never_unsafe(reply):
    for words in NEVER:
        assert words.lower() not in reply.text.lower(), words


# --- the emergency number first ----------------------------------------------------------------

@pytest.mark.parametrize("symptom_id, said", [("CHEST_PAIN", "i have chest pain"),
                                              ("BREATHLESS", "i can't breathe properly")])
def test_chest_pain_or_breathlessness_gets_the_emergency_number_first(talk, symptom_id, said):
    reply = symptom(talk, symptom_id, said)
    assert reply.text.startswith(f"Call {EMERGENCY[talk.locale]} now.")
    assert reply.ends_session
    never_unsafe(reply)


@pytest.mark.parametrize("symptom_id", ["NUMB", "WEAK"])
def test_a_weak_or_numb_leg_gets_the_emergency_number_first_then_care_now(talk, symptom_id):
    reply = symptom(talk, symptom_id, muscle="LEG")
    assert reply.text.startswith("If your leg suddenly went weak or numb, or you have chest pain "
                                 f"or trouble breathing, call {EMERGENCY[talk.locale]} now.")
    assert "Otherwise, please get medical help now." in reply.text
    assert reply.ends_session
    never_unsafe(reply)


def test_the_emergency_number_is_said_as_people_say_it(new_talk):
    reply = symptom(new_talk(locale="en-AU"), "CHEST_PAIN")
    assert '<sub alias="triple zero">000</sub>' in reply.ssml
    reply = symptom(new_talk(locale="de-DE"), "CHEST_PAIN")
    assert reply.text.startswith("Call your local emergency number now.")


# --- get medical help now, with where to go at this hour ----------------------------------------

@pytest.mark.parametrize("symptom_id, said", [
    ("SWOLLEN", "my calf is swollen"), ("RED", "my calf is red"), ("WARM", "my calf is hot"),
    ("PAINFUL", "my calf is painful to touch"), ("LASTING", "this cramp won't stop"),
    ("PALE_COLD", "my leg is cold and pale"), ("BLOOD_CLOT", "i think i have a blood clot"),
])
def test_red_flags_get_medical_help_now(talk, symptom_id, said):
    reply = symptom(talk, symptom_id, said, muscle="CALF")
    assert reply.text.startswith(URGENT)
    assert f"If you also have chest pain or trouble breathing, call {EMERGENCY[talk.locale]}." \
        in reply.text
    assert reply.ends_session
    never_unsafe(reply)


def at(new_talk, alexa_api, locale, hour, time_zone):
    alexa_api.time_zone = time_zone
    return new_talk(locale=locale,
                    now=lambda: datetime(2024, 1, 15, hour, 0, tzinfo=timezone.utc))


# Where to go now, by day and at 3 a.m. local time: never only "urgent care today" at night.
WHERE = {
    "en-US": ("America/Chicago", "go to an urgent care clinic or an emergency room",
              "At this hour, go to an emergency room, or call your doctor's after-hours line."),
    "en-GB": ("Europe/London", "Call 111, or ask your GP surgery for an urgent appointment today.",
              "Call 111 now: NHS 111 is there day and night."),
    "en-CA": ("America/Toronto", "go to a walk-in clinic or an emergency department",
              "At this hour, go to an emergency department, or call your provincial health line"),
    "en-AU": ("Australia/Sydney", "See your GP today, or call healthdirect",
              "day or night, or go to a hospital emergency department."),
    "en-IN": ("Asia/Kolkata", "See a doctor today, or go to a hospital emergency department.",
              "At this hour, go to a hospital emergency department."),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_where_to_go_depends_on_the_hour_where_the_person_is(new_talk, alexa_api, locale):
    time_zone, day_words, night_words = WHERE[locale]
    offsets = {"America/Chicago": -6, "Europe/London": 0, "America/Toronto": -5,
               "Australia/Sydney": 11, "Asia/Kolkata": 5}
    utc_hour = lambda local: (local - offsets[time_zone]) % 24  # noqa: E731
    day = symptom(at(new_talk, alexa_api, locale, utc_hour(14), time_zone), "SWOLLEN")
    night = symptom(at(new_talk, alexa_api, locale, utc_hour(3), time_zone), "SWOLLEN")
    assert day_words in day.text and night_words not in day.text
    assert night_words in night.text and day_words not in night.text
    assert "urgent care clinic today" not in night.text


def test_an_injury_gets_care_now_if_it_cannot_take_weight(talk):
    reply = symptom(talk, "INJURY", "i hurt my leg")
    assert reply.text.startswith("If you can't put weight on your leg, it has changed shape, or "
                                 "it's badly swollen, please get medical help now.")
    assert reply.ends_session
    never_unsafe(reply)


# --- something the skill did not recognise: cautious, never a menu ------------------------------

@pytest.mark.parametrize("fill", [SlotFill("my leg feels funny"), SlotFill("tingly", "TINGLY"),
                                  None])
def test_an_unknown_or_unresolved_symptom_gets_every_sign_that_matters(talk, fill):
    reply = talk.intent("SymptomIntent", Symptom=fill)
    assert reply.text.startswith("If you have chest pain or trouble breathing, or your leg "
                                 f"suddenly went weak or numb, call {EMERGENCY[talk.locale]} now.")
    assert "please get medical help now" in reply.text
    assert "What would you like?" not in reply.text and "I can help with" not in reply.text
    assert not reply.ends_session
    assert "First: Do you have chest pain" in talk.say("yes").text


# --- milder: what to do, the safety line, and the way on ----------------------------------------

def test_an_ache_after_the_cramp_gets_home_care_and_the_offer_of_the_check(talk):
    reply = symptom(talk, "STILL_HURTS", "my calf still aches after the cramp", muscle="CALF")
    assert reply.text.startswith("After a cramp, the muscle can feel tender for up to a day.")
    assert SAFETY in reply.text
    assert reply.text.endswith("about whether to see a doctor?") or "GP?" in reply.text
    assert "First: Do you have chest pain" in talk.say("yes").text


def test_it_still_hurts_after_the_cramp_answer_offers_to_talk_them_through(talk):
    talk.say("i have a leg cramp")
    reply = symptom(talk, "STILL_HURTS", "it still hurts")
    assert reply.text.startswith("Keep stretching gently, and rub the muscle.")
    assert SAFETY in reply.text and reply.text.endswith("Want me to talk you through it?")
    assert "Okay, let's ease it together" in talk.say("yes").text


def test_something_milder_mid_triage_keeps_the_question_open(talk):
    talk.say("should i see a doctor")
    talk.say("yes")
    talk.say("no")
    reply = symptom(talk, "STILL_HURTS")
    assert reply.text.endswith("Is your calf swollen, red, warm, or painful to touch?")
    assert reply.attributes["question"] == "triage"


# --- a red flag at any moment ends any routine --------------------------------------------------

def test_a_red_flag_during_the_guided_relief_ends_it(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")
    reply = symptom(talk, "SWOLLEN", "my calf is swollen", muscle="CALF")
    assert reply.text.startswith(URGENT) and reply.ends_session


def test_a_red_flag_inside_the_bedtime_routine_ends_it(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    reply = symptom(talk, "CHEST_PAIN", "i've got chest pain")
    assert reply.text.startswith(f"Call {EMERGENCY[talk.locale]} now.")
    assert reply.ends_session and reply.attributes.get("walk") is None


def test_pain_inside_the_bedtime_routine_means_easing_off(talk):
    talk.say("walk me through a bedtime stretch")
    reply = symptom(talk, "STILL_HURTS", "it hurts")
    assert reply.text.startswith("Ease off a little: a stretch should feel gentle, never painful.")
    assert SAFETY in reply.text and not reply.ends_session


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_after_a_symptom_keeps_the_safety_line(talk, words):
    symptom(talk, "STILL_HURTS")
    reply = talk.say(words)
    assert "get medical help" in reply.text and reply.ends_session


# --- nothing stored ----------------------------------------------------------------------------

def test_symptoms_live_in_the_session_only(talk, tmp_path):
    symptom(talk, "STILL_HURTS", "my calf still aches")
    kept = talk.history[-1][1].attributes
    assert "STILL_HURTS" not in str(kept) and "aches" not in str(kept)
    symptom(talk, "SWOLLEN", "my calf is swollen")
    # Neither answer read or wrote what is remembered: the local store was never even created.
    assert not (tmp_path / "data").exists()


# --- in the person's own words, through the interaction model ------------------------------------

def test_of_two_symptoms_said_together_the_more_urgent_decides(talk):
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("swollen", "SWOLLEN"),
                        OtherSymptom=SlotFill("short of breath", "BREATHLESS"))
    assert reply.text.startswith(f"Call {EMERGENCY[talk.locale]} now.")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("sore", "STILL_HURTS"),
                        OtherSymptom=SlotFill("puffy", "SWOLLEN"))
    assert reply.text.startswith(URGENT)


@pytest.mark.parametrize("said, first", [
    ("my calf is swollen and red", URGENT),
    ("i have chest pain and my leg hurts", "Call {emergency} now."),
    ("the cramp won't go away", URGENT),
    ("it's been cramping for twenty minutes", URGENT),
    ("my leg is numb", "If your leg suddenly went weak or numb"),
    ("my calf is hot and painful", URGENT),
])
def test_red_flags_in_the_words_of_the_issue_reach_care_one_shot_at_night(new_talk, alexa_api,
                                                                            said, first):
    alexa_api.time_zone = "America/New_York"
    night = datetime(2025, 1, 20, 8, 0, tzinfo=timezone.utc)   # 03:00 in New York
    reply = new_talk(now=lambda: night).say(said)
    assert reply.text.startswith(first.format(emergency=EMERGENCY["en-US"])), reply.text
    never_unsafe(reply)


# --- one table ---------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", LOCALES)
def test_every_models_symptom_type_is_the_symptom_table(locale):
    """The SYMPTOM slot type is the table's rows (skill/symptoms.toml), word for word: a symptom
    is defined once."""
    import json

    from localdev.matcher import MODELS_DIR
    from skill.symptom_table import symptoms

    model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    (slot_type,) = [t for t in model["interactionModel"]["languageModel"]["types"]
                    if t["name"] == "SYMPTOM"]
    in_model = {value["id"]: [value["name"]["value"], *value["name"].get("synonyms", [])]
                for value in slot_type["values"]}
    assert in_model == {row.id: list(row.words_in(locale)) for row in symptoms().values()}


def test_every_row_of_the_symptom_table_has_its_answer_and_its_source():
    from skill.speech import Speech
    from skill.symptom_table import symptoms

    keys = set(Speech().keys())
    sources = (Path(__file__).resolve().parent.parent / "responses" / "SOURCES.md").read_text()
    for row in symptoms().values():
        assert f"symptom/{row.answer}" in keys, row.id
        for source in row.source.split(", "):
            assert f"| {source} |" in sources, (row.id, source)
