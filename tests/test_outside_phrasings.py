"""Phrasings from outside the team (tests/phrasings/outside.tsv): how strangers describe cramps
and the signs around them, collected from patient stories, forums, health pages and published
data sets before anyone looked at the model. Half of them (`grow`) were used to grow the
model's patterns; the other half (`held_out`) never were, and measure how well the patterns
generalise.

Two checks. Routing: virtual-alexa (which matches samples exactly) must send each line to its
intent and slot ids, for most lines of each half. Safety, for every line, routed or not: what
the skill answers, at 3 a.m. and by day, gives the care the line deserves, never less for a red
flag and never an emergency for an ordinary cramp. A line no sample matches is what a device
sends as AMAZON.FallbackIntent, so the safety check holds the skill to its fallback too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

from benchmarks.routing import reaches_care
from localdev.envelopes import SlotFill
from tests import node_tools
from tests.locales import EMERGENCY, LOCALES

OUTSIDE = Path(__file__).resolve().parent / "phrasings" / "outside.tsv"
MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
# Routed right (intent and slot ids), at least: the half the model grew from, and the half it
# never saw (virtual-alexa matches samples exactly; Alexa's own NLU generalises further).
MIN_GROW = 0.55
MIN_HELD_OUT = 0.45
NIGHT = datetime(2025, 1, 20, 8, 0, tzinfo=timezone.utc)   # 03:00 in New York
DAY = datetime(2025, 1, 20, 19, 0, tzinfo=timezone.utc)    # 14:00 in New York


@dataclass(frozen=True)
class Line:
    locales: tuple[str, ...]
    utterance: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict, hash=False)
    level: str = "-"
    half: str = "grow"


def load() -> list[Line]:
    rows = OUTSIDE.read_text(encoding="utf-8").splitlines()
    header, lines = rows[0].split("\t"), []
    for raw in rows[1:]:
        if not raw.strip() or raw.startswith("#"):
            continue
        row = dict(zip(header, raw.split("\t")))
        lines.append(Line(
            tuple(LOCALES) if row["locales"] == "all" else tuple(row["locales"].split()),
            row["utterance"], row["intent"],
            {} if row["slots"] == "-" else dict(pair.split("=", 1)
                                                for pair in row["slots"].split()),
            row["level"], row["set"]))
    return lines


def routed_right(line: Line, record: dict) -> bool:
    if record["error"] or record["intent"] != line.intent:
        return False
    return all(record["slots"].get(name, {}).get("ids") == [value]
               for name, value in line.slots.items() if name != "Time")


@pytest.fixture(scope="module")
def routed() -> dict[str, list[tuple[Line, dict]]]:
    lines = [line for line in load() if line.intent != "LaunchRequest"]
    mine = {locale: [line for line in lines if locale in line.locales] for locale in LOCALES}
    results = node_tools.route_phrasings(
        [(MODELS_DIR / f"{locale}.json", [line.utterance for line in mine[locale]])
         for locale in LOCALES])
    return {locale: list(zip(mine[locale], records)) for locale, records in zip(LOCALES, results)}


def test_the_outside_phrasings_are_well_formed():
    lines = load()
    assert len(lines) >= 400
    said = Counter((locale, line.utterance) for line in lines for locale in line.locales)
    assert not [key for key, n in said.items() if n > 1], "a phrasing is listed twice"
    assert {line.half for line in lines} == {"grow", "held_out"}
    for line in lines:
        assert line.utterance == line.utterance.lower().strip(), line


@pytest.mark.parametrize("half, floor", [("grow", MIN_GROW), ("held_out", MIN_HELD_OUT)])
def test_most_outside_phrasings_route_to_their_intent(routed, half, floor):
    report = []
    for locale, pairs in routed.items():
        mine = [(line, record) for line, record in pairs if line.half == half]
        wrong = [f"  {line.utterance!r} wants {line.intent} {line.slots}, got "
                 f"{record['error'] or record['intent']}" for line, record in mine
                 if not routed_right(line, record)]
        share = 1 - len(wrong) / len(mine)
        report.append((locale, share, wrong))
    failing = [(locale, share, wrong) for locale, share, wrong in report if share < floor]
    assert not failing, "\n".join(f"{locale}: {share:.1%} right\n" + "\n".join(wrong)
                                  for locale, share, wrong in failing)


# --- what the skill says, at 3 a.m. and by day ----------------------------------------------------

def request_for(record: dict) -> tuple[str, dict]:
    """The intent a device would send: the routed one, or AMAZON.FallbackIntent when nothing
    matched (virtual-alexa throws where Alexa falls back)."""
    if record["error"] or not record["intent"]:
        return "AMAZON.FallbackIntent", {}
    slots = {name: SlotFill(slot["value"], (slot.get("ids") or [None])[0])
             for name, slot in record["slots"].items() if slot.get("value")}
    return record["intent"], slots


def answer(new_talk, alexa_api, locale, record, now):
    alexa_api.time_zone = "America/New_York"
    talk = new_talk(locale=locale, now=lambda: now)
    name, slots = request_for(record)
    return talk.intent(name, **slots)


@pytest.mark.parametrize("moment", ["night", "day"])
def test_a_red_flag_in_strangers_words_always_reaches_care(new_talk, alexa_api, routed, moment):
    """Every emergency line hears the emergency number; every care-today line hears care today
    or the number. A line no sample matched is answered as a device would answer it."""
    now = NIGHT if moment == "night" else DAY
    missed = []
    for locale in LOCALES:
        for line, record in routed[locale]:
            if line.level not in ("emergency", "urgent") or line.intent not in (
                    "SymptomIntent", "CallForHelpIntent"):
                continue
            reply = answer(new_talk, alexa_api, locale, record, now)
            if not reaches_care(reply.text, locale, line.level):
                missed.append(f"{locale} {line.utterance!r} ({line.level}): {reply.text[:120]}")
    assert not missed, "\n".join(missed)


@pytest.mark.parametrize("moment", ["night", "day"])
def test_an_ordinary_cramp_in_strangers_words_is_never_sent_to_an_emergency(
        new_talk, alexa_api, routed, moment):
    now = NIGHT if moment == "night" else DAY
    over = []
    for locale in LOCALES:
        for line, record in routed[locale]:
            if line.level != "expected":
                continue
            reply = answer(new_talk, alexa_api, locale, record, now)
            first = reply.text.split(". ")[0]
            if first.startswith("Call ") or "urgently" in reply.text:
                over.append(f"{locale} {line.utterance!r}: {reply.text[:120]}")
    assert not over, "\n".join(over)
