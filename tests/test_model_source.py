"""`make models` (localdev/interaction_models.py): the committed models are what models/ gives,
byte for byte; locales differ only by their overlays; the symptom table is the SYMPTOM type; and
what Alexa would refuse or could not tell apart fails the build with a message saying what."""

from __future__ import annotations

import copy
import json

import pytest

from localdev import interaction_models as im
from localdev.interaction_models import ModelError, Source, build, build_all, drifted


@pytest.fixture(scope="module")
def built():
    return build_all()


def test_the_committed_models_are_what_the_source_gives(built):
    stale = drifted(built)
    assert not stale, (f"interaction_models/ differs from models/ for {', '.join(stale)}: "
                       "run `make models` and commit the result")


def test_the_build_is_deterministic_and_sorted(built):
    again = build_all()
    assert {locale: text for locale, (text, _) in again.items()} == \
        {locale: text for locale, (text, _) in built.items()}
    for locale, (text, _) in built.items():
        model = json.loads(text)
        for intent in model["interactionModel"]["languageModel"]["intents"]:
            assert intent["samples"] == sorted(intent["samples"]), (locale, intent["name"])
        assert text == json.dumps(model, indent=2, ensure_ascii=False) + "\n", "console format"


def test_every_locale_of_the_source_has_its_model_and_counts(built):
    assert sorted(built) == sorted(p.stem for p in im.OUTPUT.glob("*.json"))
    reports = [report for _, report in built.values()]
    table = im.summary(reports)
    for name in ("LegCrampIntent", "SymptomIntent", "samples", "kilobytes"):
        assert name in table
    for report in reports:
        assert report.total == sum(report.samples.values()) > 0


def test_the_symptom_type_is_whatever_rows_the_table_holds(monkeypatch):
    """The lead changes the table's rows (triage): the type follows, per locale."""
    class Row:  # what the build reads of a row: its id and its words in a locale
        def __init__(self, id, words, locale_words=None):
            self.id, self.words, self.locale_words = id, words, locale_words or {}

        def words_in(self, locale):
            return self.words + self.locale_words.get(locale, ())

    rows = {"SWOLLEN": Row("SWOLLEN", ("swollen", "puffy")),
            "TINGLING": Row("TINGLING", ("tingling",), {"en-GB": ("pins and needles",)})}
    monkeypatch.setattr("skill.symptom_table.symptoms", lambda: rows)
    source = Source.read()
    for locale, words in (("en-US", ["tingling"]), ("en-GB", ["tingling", "pins and needles"])):
        model, _ = build(source, locale)
        (symptom,) = [t for t in model["interactionModel"]["languageModel"]["types"]
                      if t["name"] == "SYMPTOM"]
        assert symptom["values"] == [
            {"id": "SWOLLEN", "name": {"value": "swollen", "synonyms": ["puffy"]}},
            {"id": "TINGLING", "name": {"value": words[0], "synonyms": words[1:]}}]


# --- a small source, to show each rule --------------------------------------------------------

def small(**changes) -> Source:
    skill = {
        "invocation": "leg cramp helper",
        "locales": {"en-US": [], "en-GB": ["british"]},
        "intents": {
            "LegCrampIntent": {"slots": {"Muscle": {"type": "MUSCLE", "ask": "Where is it?"}}},
            "CausesIntent": None,
            "AMAZON.HelpIntent": None,
        },
        "types": {"MUSCLE": {"CALF": ["calf", "calves"], "FOOT": ["foot"]}},
    }
    intents = {
        "LegCrampIntent": {"samples": "i have <a_cramp>\n# a comment\n\nmy {Muscle} is cramping\n",
                           "slot_samples": {"Muscle": "[my] {Muscle}"}},
        "CausesIntent": {"samples": ["what causes <cramps>"]},
    }
    source = Source(skill, {"a_cramp": "a cramp", "cramps": "cramps"}, intents,
                    {"british": {"also": {"a_cramp": "cramp"},
                                 "samples": {"CausesIntent": "why do i get cramp"}}})
    for key, value in changes.items():
        setattr(source, key, value)
    return source


def samples(model, intent):
    return {i["name"]: i for i in model["interactionModel"]["languageModel"]["intents"]}[intent][
        "samples"]


def test_overlays_add_only_to_their_locales():
    source = small()
    us, _ = build(source, "en-US")
    gb, _ = build(source, "en-GB")
    assert samples(us, "LegCrampIntent") == ["i have a cramp", "my {Muscle} is cramping"]
    assert samples(gb, "LegCrampIntent") == ["i have a cramp", "i have cramp",
                                             "my {Muscle} is cramping"]
    assert samples(us, "CausesIntent") == ["what causes cramps"]
    assert samples(gb, "CausesIntent") == ["what causes cramps", "why do i get cramp"]
    assert samples(us, "AMAZON.HelpIntent") == []


def test_an_overlay_can_redefine_a_macro():
    source = small(overlays={"british": {"macros": {"cramps": "cramp"}}})
    gb, _ = build(source, "en-GB")
    assert samples(gb, "CausesIntent") == ["what causes cramp"]


def test_an_overlay_names_real_macros_and_intents():
    with pytest.raises(ModelError, match="also: <cramp_word> is not a macro"):
        build(small(overlays={"british": {"also": {"cramp_word": "cramp"}}}), "en-GB")
    with pytest.raises(ModelError, match="samples for NapIntent"):
        build(small(overlays={"british": {"samples": {"NapIntent": "nap"}}}), "en-GB")
    with pytest.raises(ModelError, match="no overlay models/overlays/british.yaml"):
        build(small(overlays={}), "en-GB")


def test_the_question_for_a_slot_becomes_the_dialog_model():
    model, _ = build(small(), "en-US")
    interaction = model["interactionModel"]
    assert interaction["dialog"] == {"intents": [{
        "name": "LegCrampIntent", "confirmationRequired": False, "prompts": {},
        "slots": [{"name": "Muscle", "type": "MUSCLE", "confirmationRequired": False,
                   "elicitationRequired": True,
                   "prompts": {"elicitation": "Elicit.Slot.LegCramp.Muscle"}}]}],
        "delegationStrategy": "SKILL_RESPONSE"}
    assert interaction["prompts"] == [{"id": "Elicit.Slot.LegCramp.Muscle", "variations": [
        {"type": "PlainText", "value": "Where is it?"}]}]
    slot = model["interactionModel"]["languageModel"]["intents"][0]["slots"][0]
    assert slot == {"name": "Muscle", "type": "MUSCLE", "samples": ["my {Muscle}", "{Muscle}"]}


def test_a_sample_in_two_intents_fails_the_build():
    source = small()
    source.intents["CausesIntent"] = {"samples": "i have a cramp"}
    with pytest.raises(ModelError, match="samples in more than one intent:\n  'i have a cramp': "
                                         "LegCrampIntent, CausesIntent"):
        build(source, "en-US")


def test_a_plain_sample_another_intents_slot_matches_fails_the_build():
    source = small()
    source.intents["CausesIntent"] = {"samples": "my calf is cramping"}
    with pytest.raises(ModelError, match="'my calf is cramping' in CausesIntent is also a "
                                         "slotted sample of LegCrampIntent"):
        build(source, "en-US")


def test_a_plain_sample_its_own_slot_covers_is_dropped_so_the_slot_is_heard():
    source = small()
    source.intents["LegCrampIntent"]["samples"] += "my (calf|foot|knee) is cramping\n"
    model, report = build(source, "en-US")
    assert samples(model, "LegCrampIntent") == ["i have a cramp", "my knee is cramping",
                                                "my {Muscle} is cramping"]
    assert report.dropped == [("LegCrampIntent", "my calf is cramping"),
                              ("LegCrampIntent", "my foot is cramping")]


def test_a_slot_the_intent_does_not_declare_fails_the_build():
    source = small()
    source.intents["CausesIntent"] = {"samples": "does {Cause} cause cramps"}
    with pytest.raises(ModelError, match=r"CausesIntent: 'does \{Cause\} cause cramps' uses "
                                         r"\{Cause\}, which CausesIntent does not declare"):
        build(source, "en-US")


def test_a_malformed_pattern_names_its_file_and_intent():
    source = small()
    source.intents["CausesIntent"] = {"samples": "why (do|does i get cramps"}
    with pytest.raises(ModelError, match=r"models/intents/CausesIntent.yaml, CausesIntent: "
                                         r"missing '\)'"):
        build(source, "en-US")


def test_alexas_limits_and_our_budget_fail_the_build_loudly(monkeypatch):
    monkeypatch.setitem(im.BUDGET, "samples_per_intent", 1)
    with pytest.raises(ModelError, match="LegCrampIntent expands to 2 samples \\(budget 1\\): "
                                         "a pattern has exploded"):
        build(small(), "en-US")
    monkeypatch.setitem(im.BUDGET, "samples_per_intent", 4000)
    monkeypatch.setitem(im.ALEXA_LIMITS, "model_bytes", 1000)
    with pytest.raises(ModelError, match=r"the model is \d+ bytes \(Alexa takes 1000\)"):
        build(small(), "en-US")
    monkeypatch.setitem(im.ALEXA_LIMITS, "model_bytes", 1_500_000)
    source = small()
    source.skill = copy.deepcopy(source.skill)
    source.skill["types"]["MUSCLE"]["CALF"].append("calf " * 30)
    with pytest.raises(ModelError, match="MUSCLE CALF: .* is longer than 140 characters"):
        build(source, "en-US")
    source = small()
    source.intents["CausesIntent"] = {"samples": "why " + "do " * 70 + "i get cramps"}
    with pytest.raises(ModelError, match="is longer than 200 characters"):
        build(source, "en-US")


def test_patterns_in_yaml_must_not_be_read_as_yaml_lists(tmp_path):
    """`optional: [a|b] cramp` is not valid YAML, and `optional: [a|b]` would silently be the
    list ["a|b"]: a pattern that starts with [ or { is refused unless quoted or in a block."""
    (tmp_path / "intents").mkdir()
    (tmp_path / "overlays").mkdir()
    (tmp_path / "skill.yaml").write_text("invocation: leg cramp helper\n")
    (tmp_path / "macros.yaml").write_text("optional: [a|b]\n")
    with pytest.raises(ModelError, match=r"macros.yaml: line 1: 'optional: \[a\|b\]' is read as a "
                                         "YAML list or mapping"):
        Source.read(tmp_path)
    (tmp_path / "macros.yaml").write_text("optional: [a|b] cramp\n")
    with pytest.raises(ModelError, match="must be in quotes, or in a block"):
        Source.read(tmp_path)
    (tmp_path / "macros.yaml").write_text("optional: \"[a|b] cramp\"\n")
    (tmp_path / "intents" / "CausesIntent.yaml").write_text(
        "samples: |\n  # why\n  {Cause} and cramps\n\n  [so] why\n")
    source = Source.read(tmp_path)
    assert source.macros == {"optional": "[a|b] cramp"}
    assert im.patterns(source.intents["CausesIntent"]["samples"]) == ["{Cause} and cramps",
                                                                       "[so] why"]


def test_a_pattern_may_run_over_lines_while_a_bracket_is_open():
    block = "(i have|i've got|\n    i'm having) a cramp\n# a comment\n[so|\n  very] sore\nplain\n"
    assert im.patterns(block) == ["(i have|i've got| i'm having) a cramp", "[so| very] sore",
                                  "plain"]


def test_every_macro_of_the_source_is_used():
    source = Source.read()
    defined = set(source.macros) | {name for intent in source.intents.values()
                                    for name in (intent.get("macros") or {})}
    text = "\n".join(path.read_text(encoding="utf-8") for path in im.SOURCE.rglob("*.yaml"))
    unused = sorted(name for name in defined if f"<{name}>" not in text)
    assert not unused, f"macros nothing uses: {unused}"
