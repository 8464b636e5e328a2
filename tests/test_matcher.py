"""The local utterance matcher: typed text -> the intent and slots a device would send."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from localdev.envelopes import SlotFill
from localdev.matcher import MODELS_DIR, Match, Matcher, normalize, spoken_time

REAL_MODEL = MODELS_DIR / "en-US.json"

FIXTURE = {
    "interactionModel": {
        "languageModel": {
            "invocationName": "leg cramp helper",
            "intents": [
                {"name": "LegCrampIntent",
                 "slots": [{"name": "Muscle", "type": "MUSCLE"}],
                 "samples": ["i have a leg cramp", "i have a cramp",
                             "what to do i have a leg cramp",
                             "i have a cramp in my {Muscle}", "my {Muscle} is cramping",
                             "my {Muscle} are cramping", "{Muscle} cramp", "cramp"]},
                {"name": "PreventCrampsIntent", "samples": ["how do i prevent cramps",
                                                           "how do i prevent leg cramps"]},
                {"name": "CausesIntent", "samples": ["what causes leg cramps"]},
                {"name": "BedtimeStretchIntent",
                 "samples": ["walk me through a bedtime stretch", "bedtime stretch"]},
                {"name": "StretchReminderIntent",
                 "slots": [{"name": "Time", "type": "AMAZON.TIME"}],
                 "samples": ["remind me to stretch at {Time}",
                             "remind me to stretch at {Time} every night",
                             "remind me to stretch"]},
                {"name": "NoteIntent", "slots": [{"name": "Text", "type": "AMAZON.SearchQuery"}],
                 "samples": ["note {Text}"]},
                {"name": "AMAZON.HelpIntent", "samples": []},
                {"name": "AMAZON.StopIntent", "samples": []},
                {"name": "AMAZON.CancelIntent", "samples": []},
                {"name": "AMAZON.NavigateHomeIntent", "samples": []},
                {"name": "AMAZON.FallbackIntent", "samples": []},
                {"name": "AMAZON.YesIntent", "samples": ["let's do it"]},
                {"name": "AMAZON.NoIntent", "samples": []},
                {"name": "AMAZON.NextIntent", "samples": []},
                {"name": "AMAZON.PreviousIntent", "samples": []},
                {"name": "AMAZON.RepeatIntent", "samples": []},
                {"name": "AMAZON.PauseIntent", "samples": []},
                {"name": "AMAZON.ResumeIntent", "samples": []},
                {"name": "AMAZON.StartOverIntent", "samples": []},
            ],
            "types": [
                {"name": "MUSCLE", "values": [
                    {"id": "CALF", "name": {"value": "calf", "synonyms": ["calves", "lower leg"]}},
                    {"id": "FOOT", "name": {"value": "foot", "synonyms": ["feet", "arch"]}},
                    {"id": "THIGH", "name": {"value": "thigh", "synonyms": ["thighs"]}},
                    {"name": {"value": "toes"}},
                ]},
            ],
        }
    }
}


@pytest.fixture(scope="module")
def matcher(tmp_path_factory) -> Matcher:
    path = tmp_path_factory.mktemp("model") / "en-US.json"
    path.write_text(json.dumps(FIXTURE))
    return Matcher.from_file(path)


# --- the fixture model -----------------------------------------------------------------------

def test_custom_slot_resolves_to_value_id_and_name(matcher):
    match = matcher.match("I have a cramp in my foot")
    assert match == Match("LegCrampIntent", {"Muscle": SlotFill("foot", "FOOT", "foot")},
                          {"Muscle": "MUSCLE"})


def test_synonym_keeps_the_spoken_words_and_resolves_to_the_canonical_value(matcher):
    assert matcher.match("my feet are cramping").slots == {
        "Muscle": SlotFill("feet", "FOOT", "foot")}
    assert matcher.match("my lower leg is cramping").slots == {
        "Muscle": SlotFill("lower leg", "CALF", "calf")}


def test_value_without_id_gets_an_opaque_id(matcher):
    fill = matcher.match("toes cramp").slots["Muscle"]
    assert (fill.value, fill.name) == ("toes", "toes") and fill.id


def test_custom_slot_only_takes_its_values(matcher):
    assert matcher.match("i have a cramp in my elbow").intent == "AMAZON.FallbackIntent"


def test_unfilled_slots_are_absent_but_their_types_are_known(matcher):
    match = matcher.match("i have a leg cramp")
    assert (match.intent, match.slots, match.slot_types) == (
        "LegCrampIntent", {}, {"Muscle": "MUSCLE"})


def test_case_punctuation_spacing_and_wake_word_are_ignored(matcher):
    assert matcher.match("  Alexa,   HOW do I prevent cramps?! ").intent == "PreventCrampsIntent"
    assert normalize("What's   up, doc?") == "whats up doc"
    assert normalize("at 10:15 p.m.") == "at 10:15 p m"


@pytest.mark.parametrize("said", [
    "ask leg cramp helper what to do i have a leg cramp",
    "Alexa, ask Leg Cramp Helper: what to do, I have a leg cramp",
    "tell leg cramp helper i have a leg cramp",
    "ask leg cramp helper about i have a leg cramp",
    "open leg cramp helper and i have a leg cramp",
    "start leg cramp helper i have a leg cramp",
    "i have a leg cramp using leg cramp helper",
])
def test_one_shot_forms_strip_the_invocation(matcher, said):
    assert matcher.match(said).intent == "LegCrampIntent"


def test_connecting_word_is_kept_when_it_is_part_of_the_request(matcher):
    assert matcher.match("ask leg cramp helper how do i prevent cramps").intent == (
        "PreventCrampsIntent")
    assert matcher.match("ask leg cramp helper what causes leg cramps").intent == "CausesIntent"
    assert matcher.match("ask leg cramp helper to walk me through a bedtime stretch").intent == (
        "BedtimeStretchIntent")


@pytest.mark.parametrize("said", ["open leg cramp helper", "Alexa, launch leg cramp helper.",
                                  "start leg cramp helper", "ask leg cramp helper",
                                  "leg cramp helper", "open leg cramp helper and"])
def test_invocation_alone_is_a_launch(matcher, said):
    assert matcher.match(said) == Match(None, {}, {})


@pytest.mark.parametrize("said, intent", [
    ("help", "AMAZON.HelpIntent"), ("what can I say", "AMAZON.HelpIntent"),
    ("stop", "AMAZON.StopIntent"), ("cancel", "AMAZON.CancelIntent"),
    ("never mind", "AMAZON.CancelIntent"),
    ("yes", "AMAZON.YesIntent"), ("yeah", "AMAZON.YesIntent"), ("Yep.", "AMAZON.YesIntent"),
    ("sure", "AMAZON.YesIntent"), ("OK", "AMAZON.YesIntent"),
    ("let's do it", "AMAZON.YesIntent"),  # a sample the model adds to a built-in
    ("no", "AMAZON.NoIntent"), ("nope", "AMAZON.NoIntent"),
    ("next", "AMAZON.NextIntent"), ("previous", "AMAZON.PreviousIntent"),
    ("go back", "AMAZON.PreviousIntent"), ("repeat", "AMAZON.RepeatIntent"),
    ("say that again", "AMAZON.RepeatIntent"), ("pause", "AMAZON.PauseIntent"),
    ("resume", "AMAZON.ResumeIntent"), ("continue", "AMAZON.ResumeIntent"),
    ("start over", "AMAZON.StartOverIntent"), ("restart", "AMAZON.StartOverIntent"),
    ("go home", "AMAZON.NavigateHomeIntent"), ("home", "AMAZON.NavigateHomeIntent"),
])
def test_built_in_intents_answer_to_their_usual_phrases(matcher, said, intent):
    assert matcher.match(said) == Match(intent, {}, {})


@pytest.mark.parametrize("said", ["purple monkey dishwasher", "", "   ",
                                  "ask leg cramp helper banana"])
def test_anything_else_is_the_fallback_intent(matcher, said):
    assert matcher.match(said).intent == "AMAZON.FallbackIntent"


def test_without_a_declared_fallback_the_nearest_intent_is_sent(tmp_path):
    model = json.loads(json.dumps(FIXTURE))
    intents = model["interactionModel"]["languageModel"]["intents"]
    intents[:] = [i for i in intents if i["name"] != "AMAZON.FallbackIntent"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model))
    match = Matcher.from_file(path).match("what makes leg cramps happen")
    assert match.intent == "CausesIntent" and match.slots == {}


def test_built_ins_not_declared_are_not_heard_except_the_required_ones(tmp_path):
    model = {"interactionModel": {"languageModel": {
        "invocationName": "leg cramp helper",
        "intents": [{"name": "CausesIntent", "samples": ["what causes leg cramps"]},
                    {"name": "AMAZON.FallbackIntent", "samples": []}]}}}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model))
    small = Matcher.from_file(path)
    assert small.match("pause").intent == "AMAZON.FallbackIntent"
    assert small.match("help").intent == "AMAZON.HelpIntent"
    assert small.match("stop").intent == "AMAZON.StopIntent"


def test_time_slot_takes_only_the_time(matcher):
    # "remind me to stretch at {Time}" cannot take "nine every night": that is not a time.
    match = matcher.match("remind me to stretch at nine every night")
    assert match.slots == {"Time": SlotFill("09:00")}


def _model(tmp_path, *intents) -> Matcher:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"interactionModel": {"languageModel": {
        "invocationName": "leg cramp helper",
        "intents": [*intents, {"name": "AMAZON.FallbackIntent", "samples": []}]}}}))
    return Matcher.from_file(path)


def _intent(name, *samples):
    return {"name": name, "slots": [{"name": "Q", "type": "AMAZON.SearchQuery"}],
            "samples": list(samples)}


def test_specificity_most_literal_words_first(tmp_path):
    matcher = _model(tmp_path, _intent("WideIntent", "tell me {Q}"),
                     _intent("NarrowIntent", "{Q} me about cramps"))
    assert matcher.match("tell me about cramps") == Match(
        "NarrowIntent", {"Q": SlotFill("tell")}, {"Q": "AMAZON.SearchQuery"})


def test_specificity_then_fewest_captured_words(tmp_path):
    # "ask leg cramp helper about leg cramps" is read as "about leg cramps" and "leg cramps".
    # Both samples have one literal word; "{Q} cramps" on "leg cramps" captures only one.
    matcher = _model(tmp_path, _intent("AboutIntent", "about {Q}"),
                     _intent("CrampsIntent", "{Q} cramps"))
    match = matcher.match("ask leg cramp helper about leg cramps")
    assert (match.intent, match.slots) == ("CrampsIntent", {"Q": SlotFill("leg")})


def test_specificity_tie_goes_to_the_sample_listed_first(tmp_path):
    matcher = _model(tmp_path, _intent("FirstIntent", "tell me {Q}"),
                     _intent("SecondIntent", "tell {Q} cramps"))
    assert matcher.match("tell me about cramps").slots == {"Q": SlotFill("about cramps")}


@pytest.mark.parametrize("said, time", [
    ("nine", "09:00"), ("nine pm", "21:00"), ("nine p m", "21:00"), ("nine p.m.", "21:00"),
    ("nine at night", "21:00"), ("nine in the evening", "21:00"), ("nine thirty pm", "21:30"),
    ("21:00", "21:00"), ("10:15 pm", "22:15"), ("9pm", "21:00"), ("9:30 pm", "21:30"),
    ("nine o'clock", "09:00"), ("nine oh five", "09:05"), ("ten forty five at night", "22:45"),
    ("seven in the morning", "07:00"), ("twelve am", "00:00"), ("twelve pm", "12:00"),
    ("half past nine pm", "21:30"), ("quarter to ten pm", "21:45"), ("noon", "12:00"),
    ("midnight", "00:00"), ("twenty one hundred", "21:00"), ("tonight", "NI"),
    ("in the morning", "MO"), ("banana", None), ("nine five", None), ("25:00", None),
    ("half nine", "09:30"), ("half ten pm", "22:30"), ("half past", None),
])
def test_spoken_times_become_alexa_time_values(said, time):
    assert spoken_time(said) == time


def test_time_slot_is_converted_and_must_be_a_time(matcher):
    assert matcher.match("remind me to stretch at nine thirty pm").slots == {
        "Time": SlotFill("21:30")}
    assert matcher.match("remind me to stretch at 10:15 p.m.").slots == {"Time": SlotFill("22:15")}
    assert matcher.match("remind me to stretch at banana").intent == "AMAZON.FallbackIntent"


def test_other_built_in_slot_types_take_the_words_as_spoken(matcher):
    assert matcher.match("note Drink More Water!").slots == {"Text": SlotFill("drink more water")}


def test_for_locale_falls_back_to_en_us_and_caches(monkeypatch, tmp_path):
    (tmp_path / "en-US.json").write_text(json.dumps(FIXTURE))
    monkeypatch.setattr("localdev.matcher.MODELS_DIR", tmp_path)
    monkeypatch.setattr(Matcher, "_cache", {})
    german = Matcher.for_locale("de-DE")
    assert german is Matcher.for_locale("de-DE")
    assert german.match("i have a cramp in my calf").intent == "LegCrampIntent"
    monkeypatch.setattr("localdev.matcher.MODELS_DIR", tmp_path / "missing")
    with pytest.raises(FileNotFoundError):
        Matcher.for_locale("fr-FR")


# --- the real model --------------------------------------------------------------------------



@pytest.fixture(scope="module")
def real() -> Matcher:
    return Matcher.from_file(REAL_MODEL)


def test_real_model_cramp_in_my_foot(real):
    match = real.match("i have a cramp in my foot")
    assert match.intent == "LegCrampIntent"
    assert match.slot_types["Muscle"] == "MUSCLE"
    assert match.slots["Muscle"].value == "foot"
    assert match.slots["Muscle"].id == "FOOT"


def test_real_model_synonyms_resolve(real):
    feet = [sample for sample in _samples(real, "LegCrampIntent") if "{Muscle}" in sample]
    values = real.values["MUSCLE"]
    synonyms = {" ".join(words): value for words, value in values.items()
                if " ".join(words) != normalize(value[1])}
    assert feet and synonyms, "the model has a Muscle sample and synonyms"
    spoken, (value_id, name) = next(iter(synonyms.items()))
    said = feet[0].replace("{Muscle}", spoken)
    match = real.match(said)
    assert match.intent == "LegCrampIntent", said
    assert match.slots["Muscle"] == SlotFill(spoken, value_id, name)


@pytest.mark.parametrize("said, intent", [
    ("ask leg cramp helper what to do i have a leg cramp", "LegCrampIntent"),
    ("Alexa, ask leg cramp helper what to do, I have a leg cramp", "LegCrampIntent"),
    ("ask leg cramp helper how do i prevent cramps", "PreventCrampsIntent"),
    ("ask leg cramp helper should i see a doctor", "SeeDoctorIntent"),
    ("ask leg cramp helper what causes leg cramps", "CausesIntent"),
    ("ask leg cramp helper to walk me through a bedtime stretch", "BedtimeStretchIntent"),
    ("open leg cramp helper", None),
    ("help", "AMAZON.HelpIntent"), ("stop", "AMAZON.StopIntent"),
    ("cancel", "AMAZON.CancelIntent"), ("yes", "AMAZON.YesIntent"), ("no", "AMAZON.NoIntent"),
    ("next", "AMAZON.NextIntent"), ("go back", "AMAZON.PreviousIntent"),
    ("say that again", "AMAZON.RepeatIntent"), ("pause", "AMAZON.PauseIntent"),
    ("resume", "AMAZON.ResumeIntent"), ("start over", "AMAZON.StartOverIntent"),
    ("go home", "AMAZON.NavigateHomeIntent"),
    ("purple monkey dishwasher", "AMAZON.FallbackIntent"),
])
def test_real_model_design_phrases(real, said, intent):
    assert real.match(said).intent == intent


@pytest.mark.parametrize("said, fill", [
    ("i have a cramp in my feet", SlotFill("feet", "FOOT", "foot")),
    ("I've got a cramp in my lower leg.", SlotFill("lower leg", "CALF", "calf")),
    ("cramp in the back of my thigh", SlotFill("back of my thigh", "HAMSTRING", "hamstring")),
])
def test_real_model_spoken_synonyms(real, said, fill):
    assert real.match(said).slots == {"Muscle": fill}


def test_real_model_reminder_time(real):
    match = real.match("remind me to stretch at nine every night")
    assert match.intent == "StretchReminderIntent"
    # AMAZON.TIME's "09:00" for "nine", and the night heard apart, as the sample has it.
    assert match.slots == {"Time": SlotFill("09:00"),
                           "PartOfDay": SlotFill("night", "NIGHT", "night")}
    said = "tell leg cramp helper to remind me to stretch at nine thirty p.m."
    assert real.match(said).slots == {"Time": SlotFill("21:30")}


def test_real_model_every_sample_matches_its_own_intent(real):
    """Each literal sample (no slots) is heard as its own intent: no two intents share one."""
    for intent in real.intents:
        for sample in _samples(real, intent):
            if "{" not in sample:
                assert real.match(sample).intent == intent, sample


def test_for_locale_loads_the_real_model():
    assert Matcher.for_locale("en-US").invocation == ("leg", "cramp", "helper")


def _samples(matcher: Matcher, intent: str) -> list[str]:
    model = json.loads(Path(REAL_MODEL).read_text())
    for declared in model["interactionModel"]["languageModel"]["intents"]:
        if declared["name"] == intent:
            return declared.get("samples", [])
    return []


def test_model_samples_win_over_the_usual_built_in_phrases(tmp_path):
    # "go on" is a usual phrase for Resume; a model that gives it to Next is obeyed.
    matcher = _model(tmp_path, {"name": "AMAZON.ResumeIntent", "samples": []},
                     {"name": "AMAZON.NextIntent", "samples": ["go on"]})
    assert matcher.match("go on").intent == "AMAZON.NextIntent"
    assert matcher.match("continue").intent == "AMAZON.ResumeIntent"


# --- Dialog.ElicitSlot -----------------------------------------------------------------------

def _elicit(intent: str, slot: str, **given: str) -> dict:
    return {"type": "Dialog.ElicitSlot", "slotToElicit": slot,
            "updatedIntent": {"name": intent, "confirmationStatus": "NONE",
                              "slots": {name: {"name": name, "value": value, "confirmationStatus": "NONE"}
                                        for name, value in given.items()}}}


@pytest.mark.parametrize("said, muscle_id", [("foot", "FOOT"), ("my calf", "CALF"),
                                             ("in my toes", "TOES"), ("the back of my thigh", "HAMSTRING"),
                                             ("no it's my shin", "SHIN")])
def test_an_elicited_slot_is_filled_from_its_own_samples(real, said, muscle_id):
    # A bare "foot" is no sample of any intent; asked for the muscle, it is the answer.
    assert real.match("foot").intent == "AMAZON.FallbackIntent"
    match = real.match(said, eliciting=_elicit("LegCrampIntent", "Muscle"))
    assert match.intent == "LegCrampIntent" and match.slots["Muscle"].id == muscle_id


def test_an_elicited_time_is_converted_and_other_words_are_matched_as_usual(real):
    eliciting = _elicit("StretchReminderIntent", "Time")
    assert real.match("at nine thirty p m", eliciting=eliciting) == Match(
        "StretchReminderIntent", {"Time": SlotFill("21:30")},
        {"Time": "AMAZON.TIME", "PartOfDay": "PART_OF_DAY"})
    # An answer may fill another slot of the intent beside the one asked for.
    assert real.match("nine in the morning", eliciting=eliciting).slots == {
        "Time": SlotFill("09:00"), "PartOfDay": SlotFill("morning", "MORNING", "morning")}
    assert real.match("stop", eliciting=eliciting).intent == "AMAZON.StopIntent"
    assert real.match("no", eliciting=eliciting).intent == "AMAZON.NoIntent"
    assert real.match("banana", eliciting=eliciting).intent == "AMAZON.FallbackIntent"
    assert real.match("my calf is swollen", eliciting=eliciting).intent == "SymptomIntent"


def test_the_slots_the_directive_carried_come_back(tmp_path):
    model = json.loads(json.dumps(FIXTURE))
    for intent in model["interactionModel"]["languageModel"]["intents"]:
        if intent["name"] == "LegCrampIntent":
            intent["slots"] = [{"name": "Muscle", "type": "MUSCLE", "samples": ["{Muscle}"]},
                               {"name": "Side", "type": "AMAZON.SearchQuery"}]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model))
    match = Matcher.from_file(path).match("feet", eliciting=_elicit("LegCrampIntent", "Muscle", Side="left"))
    assert match.slots == {"Side": SlotFill("left"), "Muscle": SlotFill("feet", "FOOT", "foot")}
