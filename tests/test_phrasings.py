"""What people really say, routed by virtual-alexa through each locale's model
(tests/phrasings/phrasings.tsv; see tests/phrasings/README.md).

Every line is a phrasing written from how people talk, with the intent (and slot ids) it must
reach. The model must route at least 95 % of them right in each locale, and every red-flag line
(SymptomIntent with a red-flag Symptom id) to SymptomIntent with that id: a person describing a
red flag in their own words must never hear a menu. One node process routes every locale.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests import node_tools

REPO_ROOT = Path(__file__).resolve().parent.parent
PHRASINGS = REPO_ROOT / "tests" / "phrasings" / "phrasings.tsv"
MODELS_DIR = REPO_ROOT / "interaction_models"
LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN"]


def _red_flags() -> frozenset[str]:
    """The SYMPTOM ids that call for care today or now, or ask whether it came on suddenly
    (skill/symptoms.toml)."""
    from skill.symptom_table import EMERGENCY, URGENT, symptoms

    return frozenset(row.id for row in symptoms().values()
                     if row.level in (EMERGENCY, URGENT) or row.ask == "sudden")


RED_FLAGS = _red_flags()
MIN_RIGHT = 0.95
MIN_LINES = 150


@dataclass(frozen=True)
class Phrasing:
    locales: tuple[str, ...]
    utterance: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)
    line: int = 0

    @property
    def red_flag(self) -> bool:
        return self.intent == "SymptomIntent" and self.slots.get("Symptom") in RED_FLAGS


def load(path: Path = PHRASINGS) -> list[Phrasing]:
    phrasings = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        locales, utterance, intent, slots = raw.split("\t")
        phrasings.append(Phrasing(
            tuple(LOCALES) if locales == "all" else tuple(locales.split()), utterance, intent,
            {} if slots == "-" else dict(pair.split("=") for pair in slots.split()), number))
    return phrasings


def right(phrasing: Phrasing, record: dict) -> bool:
    """The intent, and each slot's id; a symptom as the skill judges it for its body part."""
    if record["error"] or record["intent"] != phrasing.intent:
        return False
    return all((judged_as(record) if name == "Symptom" and record["intent"] == "SymptomIntent"
                else (record["slots"].get(name, {}).get("ids") or [None])[0]) == value_id
               for name, value_id in phrasing.slots.items())


def describe(phrasing: Phrasing, record: dict) -> str:
    got = record["error"] or f"{record['intent']} " + " ".join(
        f"{name}={','.join(slot['ids']) or slot['value']!r}" for name, slot in record["slots"].items())
    wanted = " ".join(f"{k}={v}" for k, v in phrasing.slots.items())
    return f"line {phrasing.line}: {phrasing.utterance!r} wants {phrasing.intent} {wanted}, got {got}"


@pytest.fixture(scope="module")
def routed() -> dict[str, list[tuple[Phrasing, dict]]]:
    phrasings = load()
    mine = {locale: [p for p in phrasings if locale in p.locales] for locale in LOCALES}
    batches = [(MODELS_DIR / f"{locale}.json", [p.utterance for p in mine[locale]])
               for locale in LOCALES]
    results = node_tools.route_phrasings(batches)
    return {locale: list(zip(mine[locale], records)) for locale, records in zip(LOCALES, results)}


def test_the_phrasings_are_well_formed():
    phrasings = load()
    known = {"LegCrampIntent", "SymptomIntent", "PreventCrampsIntent", "SeeDoctorIntent",
             "CausesIntent", "BedtimeStretchIntent", "StretchReminderIntent",
             "TakingSomethingIntent", "UnsureIntent", "CrampEasedIntent", "CancelReminderIntent",
             "ReminderStatusIntent", "EaseIdeasIntent", "ClinicIntent"}
    for p in phrasings:
        assert set(p.locales) <= set(LOCALES), p
        assert p.intent in known or p.intent.startswith("AMAZON."), p
        assert set(p.slots) <= {"Muscle", "Symptom", "OtherSymptom", "Cause", "Remedy",
                                "PartOfDay"}, p
        assert p.utterance == p.utterance.lower().strip() and "{" not in p.utterance, p
    said = Counter((locale, p.utterance) for p in phrasings for locale in p.locales)
    assert not [key for key, n in said.items() if n > 1], "a phrasing is listed twice"
    for locale in LOCALES:
        assert sum(locale in p.locales for p in phrasings) >= MIN_LINES, locale
    # Said the British and Australian way ("my calf's gone into cramp"), not only the American.
    for locale in ("en-GB", "en-AU"):
        assert sum(p.locales != tuple(LOCALES) and locale in p.locales for p in phrasings) >= 30
    assert sum(p.red_flag for p in phrasings) >= 60


@pytest.mark.parametrize("locale", LOCALES)
def test_at_least_95_percent_are_understood(routed, locale):
    pairs = routed[locale]
    wrong = [describe(p, r) for p, r in pairs if not right(p, r)]
    share = 1 - len(wrong) / len(pairs)
    assert share >= MIN_RIGHT, f"{locale}: {share:.1%} right; wrong:\n" + "\n".join(wrong)


def judged_as(record: dict) -> str | None:
    """The sign the skill answers for a routed SymptomIntent: its Symptom id, as said of its body
    part ("a pain" said of the chest is chest pain; skill/symptom_table.py)."""
    from skill.symptom_table import level_of, parts, symptoms

    ids = {name: (slot.get("ids") or [None])[0] for name, slot in record["slots"].items()}
    sign = symptoms().get(ids.get("Symptom"))
    if sign is None:
        return None
    return level_of(sign, parts().get(ids.get("Muscle")), in_cramp=False)[1].id


@pytest.mark.parametrize("locale", LOCALES)
def test_every_red_flag_reaches_the_symptom_answer(routed, locale):
    missed = [describe(p, r) for p, r in routed[locale]
              if p.red_flag and not (r["intent"] == "SymptomIntent"
                                     and judged_as(r) == p.slots["Symptom"])]
    assert not missed, f"{locale}: red flags not sent to SymptomIntent with their id:\n" + "\n".join(missed)


def test_a_wrong_route_is_reported(tmp_path):
    """The check can fail: a phrasing the model does not hold is not counted as right."""
    phrasing = Phrasing(("en-US",), "my calf is the colour of a plum", "SymptomIntent",
                        {"Symptom": "RED"})
    [[record]] = node_tools.route_phrasings([(MODELS_DIR / "en-US.json", [phrasing.utterance])])
    assert not right(phrasing, record) and "Unable to match" in record["error"]
    swollen = Phrasing(("en-US",), "my calf is swollen", "SymptomIntent", {"Symptom": "RED"})
    [[record]] = node_tools.route_phrasings([(MODELS_DIR / "en-US.json", [swollen.utterance])])
    assert record["intent"] == "SymptomIntent" and not right(swollen, record)
