"""The phrasings as annotation sets for Amazon's NLU Evaluation Tool (localdev/nlu_annotations.py):
in the body the NLU Annotation Set API takes, per Amazon's own models, and true to each model."""

import json

import pytest

from localdev import nlu_annotations
from localdev.smapi_check import annotation_set_problems
from tests.locales import LOCALES


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locales_annotation_set_is_what_the_api_takes_and_true_to_its_model(locale):
    body = nlu_annotations.annotation_set(locale)
    assert annotation_set_problems(body) == []
    model = json.loads((nlu_annotations.MODELS_DIR / f"{locale}.json").read_text())
    intents = {intent["name"]: {slot["name"] for slot in intent.get("slots", [])}
               for intent in model["interactionModel"]["languageModel"]["intents"]}
    utterances = [item["inputs"]["utterance"] for item in body["data"]]
    assert len(utterances) == len(set(utterances)) >= 900
    for item in body["data"]:
        [expected] = item["expected"]
        intent = expected["intent"]
        assert intent["name"] in intents, intent
        for name, slot in intent.get("slots", {}).items():
            assert name in intents[intent["name"]] and slot["value"] in item["inputs"]["utterance"]


def test_red_flags_carry_their_words():
    body = nlu_annotations.annotation_set("en-US")
    found = {item["inputs"]["utterance"]: item["expected"][0]["intent"] for item in body["data"]}
    assert found["my calf is swollen and red"]["slots"]["Symptom"]["value"] == "swollen"


def test_a_body_the_api_would_not_take_is_reported():
    assert annotation_set_problems({"data": [{"inputs": {"utterence": "x"}, "expected": []}]})
    assert annotation_set_problems({"annotations": []})


def test_the_command_writes_one_file_a_locale(tmp_path, capsys):
    nlu_annotations.main(["--out", str(tmp_path)])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(f"{l}.json" for l in LOCALES)
    assert "annotations" in capsys.readouterr().out
