"""Checks of every interaction model (interaction_models/<locale>.json): its structure, that each
locale keeps en-US's intents, slots and ids, and how virtual-alexa routes every sample.

The routing and SSML tests run Node (tests/js/ via tests/node_tools.py). They need node_modules
(`make test` runs `npm ci`); without it they fail with a message saying so, they do not skip.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests import node_tools

REPO_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = REPO_ROOT / "interaction_models"
MODEL_PATH = MODELS_DIR / "en-US.json"
LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]

CUSTOM_INTENTS = {
    "LegCrampIntent": {"Muscle": "MUSCLE"},
    "SymptomIntent": {"Symptom": "SYMPTOM", "OtherSymptom": "SYMPTOM", "Muscle": "MUSCLE"},
    "PreventCrampsIntent": {},
    "SeeDoctorIntent": {},
    "CausesIntent": {"Cause": "CAUSE"},
    "BedtimeStretchIntent": {},
    "StretchReminderIntent": {"Time": "AMAZON.TIME"},
    "CancelReminderIntent": {},
    "ReminderStatusIntent": {},
    "TakingSomethingIntent": {"Remedy": "REMEDY"},
    "UnsureIntent": {},
    "CrampEasedIntent": {},
    "EaseIdeasIntent": {},
}
MIN_SAMPLES = 30
# Slots every sample of the intent fills; the others are optional (people say it both ways).
REQUIRED_SLOTS = {"SymptomIntent": {"Symptom"}}
# The skill asks for these with Dialog.ElicitSlot: slot -> the elicitation prompt's id.
ELICITED_SLOTS = {
    ("LegCrampIntent", "Muscle"): "Elicit.Slot.LegCramp.Muscle",
    ("StretchReminderIntent", "Time"): "Elicit.Slot.StretchReminder.Time",
}

BUILTIN_INTENTS = [
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.CancelIntent",
    "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.YesIntent",
    "AMAZON.NoIntent",
    "AMAZON.RepeatIntent",
    "AMAZON.NextIntent",
    "AMAZON.PreviousIntent",
    "AMAZON.PauseIntent",
    "AMAZON.ResumeIntent",
    "AMAZON.StartOverIntent",
]

# Samples the brief and the design name explicitly: the public face of each intent.
REQUIRED_SAMPLES = {
    "LegCrampIntent": [
        "i have a leg cramp",
        "charley horse",
        "cramp in my {Muscle}",
        "my {Muscle} is cramping",
        "my {Muscle} is seizing up",
        "there's a knot in my {Muscle}",
        "what do i do for a cramp",
        "what to do i have a leg cramp",
        "how do i stop a cramp",
        "help my {Muscle} is cramping",
    ],
    "PreventCrampsIntent": [
        "how do i prevent cramps",
        "how do i prevent night cramps",
        "how do i avoid cramps",
        "how do i stop getting cramps",
        "how can i stop cramps coming back",
    ],
    "SeeDoctorIntent": [
        "should i see a doctor",
        "do i need a specialist",
        "when should i worry",
        "is this serious",
        "should i go to the hospital",
        "is it dangerous",
    ],
    "CausesIntent": [
        "does {Cause} cause leg cramps",
        "can {Cause} cause leg cramps",
        "what causes leg cramps",
        "why do i get cramps",
        "why do my legs cramp at night",
    ],
    "BedtimeStretchIntent": [
        "walk me through a bedtime stretch",
        "bedtime stretches",
        "stretch routine before bed",
        "guide me through stretches",
    ],
    "SymptomIntent": [
        "my {Muscle} is {Symptom}",
        "my {Muscle} has gone {Symptom}",
        "my {Muscle} feels {Symptom}",
        "my {Muscle} is {Symptom} and {OtherSymptom}",
        "i have {Symptom}",
        "i have {Symptom} and my {Muscle} hurts",
        "this cramp {Symptom}",
        "it's been cramping for {Symptom}",
        "i think i have {Symptom}",
        "i can't {Symptom}",
    ],
    "StretchReminderIntent": [
        "remind me to stretch at {Time} every night",
        "set a stretch reminder for {Time}",
        "set a bedtime reminder",
        "remind me to stretch",
    ],
    "AMAZON.NextIntent": [
        "skip", "skip it", "skip this one", "skip this stretch", "next stretch", "next step",
        "i'm ready", "ready",
    ],
    # "Done" ends the guided relief kindly and moves the bedtime stretch on (CrampEasedHandler).
    "CrampEasedIntent": ["it's gone", "that's better", "thank you", "i'm fine now", "done"],
    "UnsureIntent": ["not sure", "maybe", "i don't know", "a bit", "kind of"],
    "TakingSomethingIntent": ["should i take {Remedy}", "can i take {Remedy}", "what can i take for leg cramps"],
    "AMAZON.PreviousIntent": ["go back", "back", "previous stretch"],
    "AMAZON.RepeatIntent": ["say that again", "what did you say"],
    "AMAZON.ResumeIntent": ["continue", "carry on", "keep going"],
    "AMAZON.PauseIntent": ["wait", "hold on", "give me a minute"],
}

MUSCLE_IDS = {
    "CALF": ["calf", "calves", "calf muscle", "lower leg", "back of my lower leg", "back of my leg"],
    "FOOT": ["foot", "feet", "arch", "arch of my foot", "sole", "bottom of my foot", "instep"],
    "TOES": ["toes", "toe", "big toe", "little toe"],
    "THIGH": ["front of thigh", "thigh", "thighs", "quad", "quads", "quadriceps", "front of my thigh",
              "upper leg"],
    "HAMSTRING": ["hamstring", "hamstrings", "back of my thigh", "back of thigh", "back of my upper leg"],
    "SHIN": ["shin", "shins", "front of my lower leg"],
    "LEG": ["leg", "legs", "whole leg"],
}

# What each SYMPTOM id means is in the README; these words must reach it.
SYMPTOM_IDS = {
    "SWOLLEN": ["swollen", "puffy", "swelling", "bigger than the other"],
    "RED": ["red", "redness", "discoloured"],
    "WARM": ["warm", "hot", "burning", "hot to touch"],
    "PAINFUL": ["painful", "tender", "sore to touch", "throbbing", "i touch it", "i walk"],
    "NUMB": ["numb", "pins and needles", "tingling", "dead", "feel my leg"],
    "WEAK": ["weak", "giving way", "move my leg", "slurred speech"],
    "LASTING": ["won't stop", "go away", "twenty minutes", "over ten minutes", "isn't helping"],
    "CHEST_PAIN": ["chest pain", "a tight chest", "pain in my chest", "chest"],
    "BREATHLESS": ["short of breath", "can't breathe properly", "breathe", "coughing up blood"],
    "PALE_COLD": ["pale", "white", "blue", "ice cold", "cold"],
    "BLOOD_CLOT": ["blood clot", "a blood clot", "dvt", "deep vein thrombosis"],
    "INJURY": ["fell", "twisted my ankle", "pulled a muscle"],
    "STILL_HURTS": ["hurts", "aching", "sore", "stiff"],
}

SLOT_RE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)\}")
# What Alexa accepts in a sample here: lowercase words, apostrophes, periods (as in "p. m."), slots.
SAMPLE_CHARS_RE = re.compile(r"^[a-z'.]+( [a-z'.]+)*$")
# virtual-alexa 0.7.8 treats any utterance containing these (even inside a word) as a launch.
LAUNCH_WORDS_RE = re.compile(r"(ask|open|launch|talk to|tell)", re.I)


def norm(text: str) -> str:
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", params=LOCALES)
def model_path(request) -> Path:
    return MODELS_DIR / f"{request.param}.json"


@pytest.fixture(scope="module")
def model(model_path) -> dict:
    return json.loads(model_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def language_model(model) -> dict:
    return model["interactionModel"]["languageModel"]


@pytest.fixture(scope="module")
def intents(language_model) -> dict[str, dict]:
    return {intent["name"]: intent for intent in language_model["intents"]}


@pytest.fixture(scope="module")
def types(language_model) -> dict[str, dict]:
    return {t["name"]: t for t in language_model.get("types", [])}


@pytest.fixture(scope="module")
def routes(model_path) -> list[dict]:
    """One virtual-alexa run over the whole model (a single node process per locale)."""
    return node_tools.route_utterances(model_path)


# -------------------------------------------------------------------------------------- structure


def test_model_has_the_ask_shape(model):
    assert list(model) == ["interactionModel"]
    assert "languageModel" in model["interactionModel"]
    lm = model["interactionModel"]["languageModel"]
    assert set(lm) <= {"invocationName", "intents", "types", "modelConfiguration"}
    assert isinstance(lm["intents"], list) and isinstance(lm["types"], list)
    for intent in lm["intents"]:
        assert isinstance(intent.get("name"), str) and intent["name"], intent
        assert isinstance(intent.get("samples"), list), f"{intent['name']} needs a samples list"
        assert all(isinstance(s, str) for s in intent["samples"]), intent["name"]
        for slot in intent.get("slots", []):
            assert set(slot) >= {"name", "type"}, (intent["name"], slot)
    names = [intent["name"] for intent in lm["intents"]]
    assert len(names) == len(set(names)), "an intent is declared twice"


def test_invocation_name(language_model):
    name = language_model["invocationName"]
    assert name == "leg cramp helper"
    assert name == name.lower() and len(name.split()) >= 2


def test_every_english_locale_has_a_model():
    assert sorted(path.stem for path in MODELS_DIR.glob("*.json")) == sorted(LOCALES)


def _shape(model: dict):
    lm = model["interactionModel"]["languageModel"]
    intents = {intent["name"]: [(slot["name"], slot["type"]) for slot in intent.get("slots", [])]
               for intent in lm["intents"]}
    types = {t["name"]: sorted(value["id"] for value in t["values"]) for t in lm["types"]}
    dialog = {(intent["name"], slot["name"]): slot["prompts"].get("elicitation")
              for intent in model["interactionModel"].get("dialog", {}).get("intents", [])
              for slot in intent["slots"]}
    prompts = sorted(p["id"] for p in model["interactionModel"].get("prompts", []))
    return lm["invocationName"], intents, types, sorted(model["interactionModel"]), dialog, prompts


def test_each_locale_keeps_the_intents_slots_and_value_ids_of_en_us(model):
    # The handlers know one set of names, ids and prompts; a locale changes only how people say
    # things (so every locale has SymptomIntent, the same SYMPTOM and MUSCLE ids, the same dialog).
    assert _shape(model) == _shape(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def test_each_locale_understands_everything_en_us_does(intents, types):
    us = json.loads(MODEL_PATH.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    for intent in us["intents"]:
        missing = set(intent["samples"]) - set(intents[intent["name"]]["samples"])
        assert not missing, f"{intent['name']} lacks en-US samples {sorted(missing)}"
    for slot_type in us["types"]:
        here = {value["id"]: value for value in types[slot_type["name"]]["values"]}
        for value in slot_type["values"]:
            words = {value["name"]["value"], *value["name"].get("synonyms", [])}
            theirs = {here[value["id"]]["name"]["value"], *here[value["id"]]["name"].get("synonyms", [])}
            assert words <= theirs, f"{value['id']} lacks {sorted(words - theirs)}"


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-IN"])
def test_where_people_see_a_gp_they_can_ask_about_one(locale):
    model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    intents = {i["name"]: i for i in model["interactionModel"]["languageModel"]["intents"]}
    assert {"should i see a gp", "do i need to see a gp"} <= set(intents["SeeDoctorIntent"]["samples"])


def test_the_local_matcher_uses_each_locales_own_model():
    from localdev.matcher import Matcher

    assert Matcher.for_locale("en-GB").match("should i see a gp").intent == "SeeDoctorIntent"
    assert Matcher.for_locale("en-GB").match("i've got cramp in my calf").slots["Muscle"].id == "CALF"
    assert Matcher.for_locale("en-US").match("should i see a gp").intent == "AMAZON.FallbackIntent"
    # A locale without a model of its own is matched against en-US's, as it is answered in English.
    assert Matcher.for_locale("de-DE").match("should i see a doctor").intent == "SeeDoctorIntent"


@pytest.mark.parametrize("intent_name", sorted(CUSTOM_INTENTS))
def test_custom_intent_has_enough_unique_samples(intents, intent_name):
    assert intent_name in intents, f"{intent_name} is missing from the model"
    samples = [norm(s) for s in intents[intent_name]["samples"]]
    duplicates = sorted({s for s in samples if samples.count(s) > 1})
    assert not duplicates, f"{intent_name} repeats samples: {duplicates}"
    assert len(set(samples)) >= MIN_SAMPLES, f"{intent_name} has {len(set(samples))} samples, want {MIN_SAMPLES}"


@pytest.mark.parametrize("intent_name", sorted(CUSTOM_INTENTS))
def test_custom_intent_declares_exactly_its_slots(intents, intent_name):
    declared = {slot["name"]: slot["type"] for slot in intents[intent_name].get("slots", [])}
    assert declared == CUSTOM_INTENTS[intent_name]
    required = REQUIRED_SLOTS.get(intent_name, set())
    for slot in required:
        without = [s for s in intents[intent_name]["samples"] if f"{{{slot}}}" not in s]
        assert not without, f"{intent_name} samples without {{{slot}}}: {without[:10]}"
    if declared and not required:
        samples = intents[intent_name]["samples"]
        with_slot = [s for s in samples if SLOT_RE.search(s)]
        without_slot = [s for s in samples if not SLOT_RE.search(s)]
        # The slots are optional: people say it both ways.
        assert len(with_slot) >= 10 and len(without_slot) >= 10, (len(with_slot), len(without_slot))


def test_every_slot_in_a_sample_is_declared_and_every_slot_type_exists(intents, types):
    problems = []
    for name, intent in intents.items():
        declared = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent["samples"]:
            for slot in SLOT_RE.findall(sample):
                if slot not in declared:
                    problems.append(f"{name}: {{{slot}}} in {sample!r} is not declared")
            if "{" in SLOT_RE.sub("", sample) or "}" in SLOT_RE.sub("", sample):
                problems.append(f"{name}: malformed slot in {sample!r}")
        for slot_name, slot_type in declared.items():
            if not (slot_type.startswith("AMAZON.") or slot_type in types):
                problems.append(f"{name}: slot {slot_name} has unknown type {slot_type}")
    assert not problems, "\n".join(problems)


def test_no_sample_appears_in_two_intents(intents):
    owners = defaultdict(set)
    for name, intent in intents.items():
        for sample in intent["samples"]:
            owners[norm(sample)].add(name)
    shared = {sample: sorted(names) for sample, names in owners.items() if len(names) > 1}
    assert not shared, f"samples in more than one intent: {shared}"


def test_samples_use_only_characters_alexa_accepts(intents):
    bad = []
    for name, intent in intents.items():
        for sample in intent["samples"]:
            words = SLOT_RE.sub("slot", sample)
            if not SAMPLE_CHARS_RE.match(words) or len(sample) > 200 or re.search(r"\}\{", sample):
                bad.append(f"{name}: {sample!r}")
    assert not bad, "samples with characters or spacing Alexa rejects:\n" + "\n".join(bad)


def test_samples_do_not_contain_the_invocation_name_or_wake_word(intents, language_model):
    invocation = language_model["invocationName"]
    bad = [s for i in intents.values() for s in i["samples"] if invocation in s or "alexa" in s.split()]
    assert not bad, bad


@pytest.mark.parametrize("intent_name", sorted(REQUIRED_SAMPLES))
def test_named_samples_are_in_their_intent(intents, intent_name):
    samples = {norm(s) for s in intents[intent_name]["samples"]}
    missing = [s for s in REQUIRED_SAMPLES[intent_name] if norm(s) not in samples]
    assert not missing, f"{intent_name} lacks {missing}"


def test_stopping_a_cramp_now_and_preventing_cramps_stay_apart(intents):
    # LegCrampIntent is about the cramp happening now; PreventCrampsIntent about future ones.
    future_words = re.compile(
        r"\b(prevent\w*|avoid\w*|coming back|(?<!i'm )(?<!i am )getting cramps|every night|fewer)\b")
    leaking = [s for s in intents["LegCrampIntent"]["samples"] if future_words.search(s)]
    assert not leaking, f"LegCrampIntent samples that sound like prevention: {leaking}"
    one_cramp_now = re.compile(r"\b(a|this|the) cramp\b(?! (from|coming))")
    leaking = [s for s in intents["PreventCrampsIntent"]["samples"] if one_cramp_now.search(s)]
    assert not leaking, f"PreventCrampsIntent samples about a single cramp now: {leaking}"


def test_muscle_type_values(types):
    assert "MUSCLE" in types
    values = types["MUSCLE"]["values"]
    by_id = {v["id"]: v for v in values}
    assert set(by_id) == set(MUSCLE_IDS), f"MUSCLE ids: {sorted(by_id)}"
    assert len(by_id) == len(values), "a MUSCLE id is repeated"
    owner = {}
    for value in values:
        words = [value["name"]["value"], *value["name"].get("synonyms", [])]
        assert len(words) >= 4, f"{value['id']} needs more synonyms"
        for word in words:
            key = norm(word)
            assert word == key and SAMPLE_CHARS_RE.match(word), f"{value['id']}: bad value {word!r}"
            assert key not in owner, f"{word!r} appears twice (in {owner[key]} and {value['id']})"
            owner[key] = value["id"]
    for muscle_id, expected in MUSCLE_IDS.items():
        missing = [w for w in expected if owner.get(w) != muscle_id]
        assert not missing, f"{muscle_id} should cover {missing}"
    assert by_id["THIGH"]["name"]["value"] == "front of thigh"


def test_no_sample_is_only_a_slot_or_has_two_slots_side_by_side(intents):
    """A slot-only sample ("{Time}", "at {Time}") is a catch-all for Alexa's NLU: what the person
    says then is asked for with Dialog.ElicitSlot and the slot's own samples. Two slots side by side
    ("{Symptom} {Muscle}") cannot be told apart (and virtual-alexa never matches them)."""
    bad = []
    for name, intent in intents.items():
        for sample in intent["samples"]:
            words = SLOT_RE.sub("", sample).split()
            if not words or words in (["at"], ["for"], ["make", "it"], ["the"], ["my"]):
                bad.append(f"{name}: {sample!r} is a slot with at most a connecting word")
            if re.search(r"\}\s*\{", sample):
                bad.append(f"{name}: {sample!r} has two slots side by side")
    assert not bad, "\n".join(bad)


def test_the_skill_can_ask_for_the_muscle_and_the_reminder_time(model, intents):
    """Dialog.ElicitSlot needs the intent and slot in the dialog model, with an elicitation prompt
    and the slot's own samples (what a person answers: "foot", "at nine p m")."""
    dialog = model["interactionModel"]["dialog"]
    assert dialog["delegationStrategy"] == "SKILL_RESPONSE"  # Alexa never asks on its own
    prompts = {p["id"]: p for p in model["interactionModel"]["prompts"]}
    in_dialog = {(i["name"], slot["name"]): slot for i in dialog["intents"] for slot in i["slots"]}
    for (intent_name, slot_name), prompt_id in ELICITED_SLOTS.items():
        slot = in_dialog[(intent_name, slot_name)]
        declared = {s["name"]: s for s in intents[intent_name]["slots"]}[slot_name]
        assert slot["type"] == declared["type"]
        assert slot["prompts"]["elicitation"] == prompt_id
        variations = prompts[prompt_id]["variations"]
        assert variations and all(v["type"] in ("PlainText", "SSML") and v["value"] for v in variations)
        samples = declared.get("samples", [])
        assert f"{{{slot_name}}}" in samples and len(samples) >= 5, samples
        for sample in samples:
            assert SLOT_RE.findall(sample) == [slot_name], sample
            assert SAMPLE_CHARS_RE.match(SLOT_RE.sub("slot", sample)), sample
    for intent in dialog["intents"]:
        assert set(intent) <= {"name", "confirmationRequired", "prompts", "slots", "delegationStrategy"}
        for slot in intent["slots"]:
            assert set(slot) <= {"name", "type", "confirmationRequired", "elicitationRequired", "prompts",
                                 "validations"}, slot
            for prompt_id in slot["prompts"].values():
                assert prompt_id in prompts, prompt_id
    assert ("StretchReminderIntent", "Time") in in_dialog
    assert "at {Time}" in {s["name"]: s for s in intents["StretchReminderIntent"]["slots"]}["Time"]["samples"]


def test_symptom_type_values(types):
    """Each SYMPTOM id keeps its own words: none shared with another id or with MUSCLE, so that
    "my calf is swollen" can only mean one thing."""
    values = types["SYMPTOM"]["values"]
    by_id = {v["id"]: v for v in values}
    assert set(by_id) == set(SYMPTOM_IDS) and len(by_id) == len(values), sorted(by_id)
    muscle_words = {norm(w) for v in types["MUSCLE"]["values"]
                    for w in [v["name"]["value"], *v["name"].get("synonyms", [])]}
    owner = {}
    for value in values:
        words = [value["name"]["value"], *value["name"].get("synonyms", [])]
        assert len(words) >= 5, f"{value['id']} needs more synonyms"
        for word in words:
            key = norm(word)
            assert word == key and SAMPLE_CHARS_RE.match(word), f"{value['id']}: bad value {word!r}"
            assert key not in owner, f"{word!r} appears twice (in {owner[key]} and {value['id']})"
            assert key not in muscle_words, f"{word!r} is a SYMPTOM and a MUSCLE"
            # two symptoms at once fill Symptom and OtherSymptom; a value with "and" in it would
            # swallow both
            assert " and " not in key or key == "pins and needles", key
            owner[key] = value["id"]
    for symptom_id, expected in SYMPTOM_IDS.items():
        missing = [w for w in expected if owner.get(w) != symptom_id]
        assert not missing, f"{symptom_id} should cover {missing}"


def _single_slot_instances(intent, types):
    """(prefix words, suffix words, set of value phrases) for each one-slot custom-type sample."""
    slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
    for sample in intent["samples"]:
        slots = SLOT_RE.findall(sample)
        if len(slots) != 1 or slot_types.get(slots[0]) not in types:
            continue
        before, after = (norm(part) for part in SLOT_RE.split(sample)[::2])
        words = {norm(w) for v in types[slot_types[slots[0]]]["values"]
                 for w in [v["name"]["value"], *v["name"].get("synonyms", [])]}
        yield before, after, words


def test_no_plain_sample_is_also_a_slotted_sample_of_another_intent(intents, types):
    """'i have a cramp' in LegCrampIntent must not also be 'i have {Symptom}' with a SYMPTOM value:
    Alexa could send either."""
    problems = []
    literals = {norm(s): name for name, intent in intents.items()
                for s in intent["samples"] if not SLOT_RE.search(s)}
    for name, intent in intents.items():
        for before, after, words in _single_slot_instances(intent, types):
            for literal, owner in literals.items():
                if owner == name or not (literal.startswith(before) and literal.endswith(after)):
                    continue
                middle = literal[len(before):len(literal) - len(after)].strip()
                if middle in words and f"{before} {middle} {after}".split() == literal.split():
                    problems.append(f"{literal!r} is a sample of {owner} and of {name}")
    assert not problems, "\n".join(sorted(set(problems)))


def test_builtins_are_declared(intents):
    missing = [name for name in BUILTIN_INTENTS if name not in intents]
    assert not missing, f"built-in intents not declared: {missing}"
    assert intents["AMAZON.FallbackIntent"]["samples"] == []
    unexpected = sorted(name for name in intents if name not in CUSTOM_INTENTS and name not in BUILTIN_INTENTS)
    assert not unexpected, f"intents nobody handles: {unexpected}"


def test_a_literal_sample_never_hides_a_slotted_one(intents, types):
    """'my calf is cramping' as a plain sample would beat 'my {Muscle} is cramping' and lose the muscle."""
    problems = []
    for name, intent in intents.items():
        slot_types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        literals = {norm(s) for s in intent["samples"] if not SLOT_RE.search(s)}
        for sample in intent["samples"]:
            slots = SLOT_RE.findall(sample)
            if len(slots) != 1 or slot_types.get(slots[0]) not in types:
                continue
            for value in types[slot_types[slots[0]]]["values"]:
                for word in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    filled = norm(SLOT_RE.sub(word, sample))
                    if filled in literals:
                        problems.append(f"{name}: {filled!r} is a plain sample and an instance of {sample!r}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------------- routing (virtual-alexa)


def _describe(record: dict) -> str:
    got = record["error"] or f"{record['request_type']} {record['intent']} {record['slots']}"
    return f"{record['expected_intent']}: {record['utterance']!r} (sent by {record['sent_by']}) -> {got}"


def test_every_sample_routes_to_its_own_intent(routes):
    wrong = [r for r in routes if r["error"] or r["intent"] != r["expected_intent"]]
    assert not wrong, f"{len(wrong)} of {len(routes)} utterances misrouted:\n" + "\n".join(map(_describe, wrong))


def test_every_sample_was_sent(routes, intents, types):
    sent = defaultdict(set)
    for r in routes:
        if r["source"] == "sample":
            sent[r["expected_intent"]].add(r["sample"])
    for name, intent in intents.items():
        missing = [s for s in intent["samples"] if s not in sent[name]]
        assert not missing, f"{name}: samples never sent to virtual-alexa: {missing}"
    # Every value of every custom slot reached the skill through each intent that declares it
    # (each sample is sent with the next value of its slot's type in turn).
    for name, intent in intents.items():
        for slot in intent.get("slots", []):
            if slot["type"] not in types:
                continue
            all_ids = {v["id"] for v in types[slot["type"]]["values"]}
            ids = {r["slots_sent"][slot["name"]]["id"] for r in routes
                   if r["expected_intent"] == name and slot["name"] in r["slots_sent"]}
            assert ids == all_ids, f"{name}.{slot['name']} was tried with {sorted(ids)}"


def test_slot_values_reach_the_handler(routes):
    with_slots = [r for r in routes if r["slots_sent"]]
    assert any("Muscle" in r["slots_sent"] for r in with_slots)
    assert any("Time" in r["slots_sent"] for r in with_slots)
    lost = []
    for r in with_slots:
        for name, sent in r["slots_sent"].items():
            got = r["slots"].get(name)
            if got is None:
                lost.append(f"{_describe(r)}: {name} should be {sent['value']!r}")
            elif sent["id"] is None and norm(got["value"]) != norm(sent["value"]):
                # a built-in type (AMAZON.TIME): the words themselves
                lost.append(f"{_describe(r)}: {name} should be {sent['value']!r}")
            elif sent["id"] is not None and got["ids"] != [sent["id"]]:
                # A custom type: the id is what the skill reads. A sample's last words may be read
                # as part of the value ("it's a bit sore": "a bit" + "sore" or "a bit sore"); the
                # id must be the same either way.
                lost.append(f"{_describe(r)}: {name} should resolve to {sent['id']}, got {got['ids']}")
    assert not lost, "\n".join(lost)


def test_samples_without_slots_arrive_without_slot_values(routes):
    extra = [r for r in routes if not r["slots_sent"] and not r["error"] and r["slots"]]
    assert not extra, "\n".join(map(_describe, extra))


def test_launch_word_samples_are_routed_through_the_matcher(routes):
    # virtual-alexa would turn these into LaunchRequests; the script matches their words itself and
    # sends the matched intent with intend(). Everything else goes through utter().
    for r in routes:
        if r["source"] != "sample":
            continue
        if LAUNCH_WORDS_RE.search(r["utterance"]):
            assert r["sent_by"] == "intend" and r["intend_reason"], _describe(r)
        else:
            assert r["sent_by"] == "utter", _describe(r)
    assert all(r["request_type"] == "IntentRequest" for r in routes if not r["error"])


@pytest.mark.parametrize(
    "words, intent",
    [("help", "AMAZON.HelpIntent"), ("stop", "AMAZON.StopIntent"), ("cancel", "AMAZON.CancelIntent")],
)
def test_builtin_words_reach_builtin_intents(routes, words, intent):
    checks = [r for r in routes if r["source"] == "builtin-check" and r["utterance"] == words]
    assert len(checks) == 1
    assert checks[0]["intent"] == intent, _describe(checks[0])


def test_the_router_reports_a_misrouted_sample(tmp_path):
    """Prove the routing check can fail: a plain sample hiding a slotted one in another intent."""
    bad = {
        "interactionModel": {
            "languageModel": {
                "invocationName": "leg cramp helper",
                "intents": [
                    {"name": "LegCrampIntent", "slots": [{"name": "Muscle", "type": "MUSCLE"}],
                     "samples": ["my {Muscle} is cramping"]},
                    {"name": "CausesIntent", "samples": ["my calf is cramping", "tell me why"]},
                ],
                "types": [{"name": "MUSCLE", "values": [
                    {"id": "CALF", "name": {"value": "calf", "synonyms": ["calves"]}},
                ]}],
            }
        }
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    records = node_tools.route_utterances(path)
    by_utterance = {(r["expected_intent"], r["utterance"]): r for r in records}
    stolen = by_utterance[("LegCrampIntent", "my calf is cramping")]
    assert stolen["intent"] == "CausesIntent" and stolen["slots"] == {}
    assert by_utterance[("LegCrampIntent", "my calves is cramping")]["intent"] == "LegCrampIntent"
    assert by_utterance[("CausesIntent", "tell me why")]["sent_by"] == "intend"


# ----------------------------------------------------------------------------- SSML validator


def test_check_ssml_accepts_valid_and_rejects_invalid_ssml():
    results = node_tools.check_ssml([
        '<speak>Hello <break time="3s"/> there</speak>',
        '<speak><break time="11s"/></speak>',
        "<speak>a & b</speak>",
        "<speak><foo>x</foo></speak>",
        "<speak>a &amp; b</speak>",
    ])
    assert results[0] is None
    assert results[1], "a break over 10 s must be rejected"
    assert any(e.get("tag") == "break" for e in results[1])
    assert results[2], "a bare & must be rejected"
    assert results[3], "an unknown tag must be rejected"
    assert any(e.get("tag") == "foo" for e in results[3])
    assert results[4] is None
    assert node_tools.check_ssml([]) == []
