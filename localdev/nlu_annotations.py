"""The team's phrasings as annotation sets for Amazon's NLU Evaluation Tool, one per locale.

Nothing here runs Alexa's own NLU (virtual-alexa only matches samples exactly), so a clinic
measures real routing after deploying: it uploads these sets and runs an evaluation against the
deployed model (docs/routing.md has the steps). Each annotation is an utterance with the intent
and slot values it must reach, from tests/phrasings/phrasings.tsv and tests/phrasings/outside.tsv,
in the body the NLU Annotation Set API takes (`PUT .../nluAnnotationSets/{id}/annotations`,
`Content-Type: application/json`): `{"data": [{"inputs": {"utterance": ...}, "expected":
[{"intent": {"name": ..., "slots": {name: {"value": ...}}}}]}]}`, the shapes of ask-smapi-model's
`ask_smapi_model.v1.skill.nlu.evaluations` Inputs and Expected.

An expected slot value is the words said, as Alexa's evaluation compares them: found in the
utterance as the longest value or synonym of the expected id (skill/symptoms.toml for SYMPTOM and
MUSCLE, the model for other types). A slot whose words cannot be found, and AMAZON.TIME (whose
value Alexa resolves to a clock time), is left out: the intent is still checked.

    python -m localdev.nlu_annotations [--out build/nlu]
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHRASINGS = (ROOT / "tests" / "phrasings" / "phrasings.tsv",
             ROOT / "tests" / "phrasings" / "outside.tsv")
MODELS_DIR = ROOT / "interaction_models"
LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")


def read_phrasings(path: Path) -> list[dict]:
    """Rows of a phrasings file (its header line, or the four columns of phrasings.tsv)."""
    rows, header = [], ["locales", "utterance", "intent", "slots"]
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line.startswith("locales\t"):
            header = line.split("\t")
            continue
        if line.startswith("#"):
            continue
        rows.append(dict(zip(header, line.split("\t"))))
    return rows


def what_the_model_knows(locale: str) -> dict:
    """What the locale's model knows: slot type -> value id -> its words (value and synonyms),
    longest first (`types`); (intent, slot) -> slot type (`slots`); its intents (`intents`)."""
    model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))
    language = model["interactionModel"]["languageModel"]
    words = {}
    for slot_type in language["types"]:
        words[slot_type["name"]] = {
            value["id"]: sorted([value["name"]["value"], *value["name"].get("synonyms", [])],
                                key=len, reverse=True)
            for value in slot_type["values"]}
    types = {(intent["name"], slot["name"]): slot["type"] for intent in language["intents"]
             for slot in intent.get("slots", [])}
    return {"types": words, "slots": types,
            "intents": {intent["name"] for intent in language["intents"]}}


def said_value(utterance: str, candidates: list[str]) -> str | None:
    """The longest candidate said in `utterance` as whole words."""
    for words in candidates:
        if re.search(rf"(?<![\w']){re.escape(words)}(?![\w'])", utterance):
            return words
    return None


def annotation(row: dict, known: dict) -> dict:
    expected: dict = {"name": row["intent"]}
    slots = {}
    for pair in ([] if row["slots"] in ("-", "") else row["slots"].split()):
        name, _, value_id = pair.partition("=")
        slot_type = known["slots"].get((row["intent"], name))
        if slot_type is None or slot_type.startswith("AMAZON."):
            continue
        words = said_value(row["utterance"], known["types"].get(slot_type, {}).get(value_id, []))
        if words is not None:
            slots[name] = {"value": words}
    if slots:
        expected["slots"] = slots
    return {"inputs": {"utterance": row["utterance"]}, "expected": [{"intent": expected}]}


def annotation_set(locale: str) -> dict:
    """Every phrasing said in `locale` whose intent the model has, once each, as an annotation
    (a phrasing of an intent not built yet waits for it)."""
    known = what_the_model_knows(locale)
    seen, data = set(), []
    for path in PHRASINGS:
        for row in read_phrasings(path):
            locales = LOCALES if row["locales"] == "all" else tuple(row["locales"].split())
            if locale not in locales or row["intent"] not in known["intents"]:
                continue
            if row["utterance"] in seen:
                continue
            seen.add(row["utterance"])
            data.append(annotation(row, known))
    return {"data": data}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "nlu")
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        built = annotation_set(locale)
        path = options.out / f"{locale}.json"
        path.write_text(json.dumps(built, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{path}: {len(built['data'])} annotations")


if __name__ == "__main__":
    main()
