"""How well the models route what people say, and how safely the skill answers what they route to.

For each locale: the share of the team's phrasings (tests/phrasings/phrasings.tsv) and of the
outside phrasings (tests/phrasings/outside.tsv, the half the model grew from and the half it never
saw) that virtual-alexa sends to their intent and slot ids; and, for the outside symptom lines,
what the skill then says at 03:00 and at 14:00 (a line that matches nothing is what a device sends
as AMAZON.FallbackIntent): how many red flags reach care (the emergency number for an emergency,
care today or the number for the rest) and how many ordinary cramps are sent to care they do not
need. virtual-alexa matches samples exactly; Alexa's own NLU generalises, so these are floors.

    python -m benchmarks.routing
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from localdev.envelopes import Conversation, Device, SlotFill
from localdev.nlu_annotations import LOCALES, MODELS_DIR, read_phrasings
from tests.locales import EMERGENCY

ROOT = Path(__file__).resolve().parent.parent
TEAM = ROOT / "tests" / "phrasings" / "phrasings.tsv"
OUTSIDE = ROOT / "tests" / "phrasings" / "outside.tsv"
AT = {"03:00": datetime(2025, 1, 20, 8, 0, tzinfo=timezone.utc),    # in New York
      "14:00": datetime(2025, 1, 20, 19, 0, tzinfo=timezone.utc)}


def route(batches: list[tuple[Path, list[str]]]) -> list[list[dict]]:
    """virtual-alexa's routes, one node process for every batch (tests/js/route_phrasings.js)."""
    payload = [{"model": str(model), "utterances": said} for model, said in batches]
    done = subprocess.run([shutil.which("node") or "node",
                           str(ROOT / "tests" / "js" / "route_phrasings.js")],
                          input=json.dumps(payload), capture_output=True, text=True, cwd=ROOT,
                          check=True)
    return json.loads(done.stdout)


def said_in(rows: list[dict], locale: str) -> list[dict]:
    return [row for row in rows if row["intent"] != "LaunchRequest" and (
        row["locales"] == "all" or locale in row["locales"].split())]


def right(row: dict, record: dict) -> bool:
    if record["error"] or record["intent"] != row["intent"]:
        return False
    wanted = {} if row["slots"] in ("-", "") else dict(p.split("=", 1) for p in row["slots"].split())
    return all((record["slots"].get(name, {}).get("ids") or [None])[0] == value
               for name, value in wanted.items() if name != "Time")


def answer(row: dict, record: dict, locale: str, now: datetime, handler, api) -> str:
    """What the skill says to the routed request, as a device in New York would send it."""
    talk = Conversation(handler, locale=locale, device=Device(api_endpoint=api.url),
                        now=lambda: now)
    if record["error"] or not record["intent"]:
        return talk.intent("AMAZON.FallbackIntent").text
    slots = {name: SlotFill(slot["value"], (slot.get("ids") or [None])[0])
             for name, slot in record["slots"].items() if slot.get("value")}
    return talk.intent(record["intent"], **slots).text


def reaches_care(text: str, locale: str, level: str) -> bool:
    """The emergency number for an emergency; care today, or the number, for the rest."""
    if f"call {EMERGENCY[locale]} now" in text.lower():
        return True
    return level == "urgent" and ("medical help" in text or (
        "today" in text and ("urgent" in text or "checked" in text)))


def report() -> list[str]:
    import logging
    import os

    from localdev.api_stand_in import AlexaApiStandIn
    from localdev.environment import first_time
    from skill.app import handler

    os.environ["LOG_LEVEL"] = "WARNING"  # one request log line per answer would drown the table
    logging.disable(logging.WARNING)
    team, outside = read_phrasings(TEAM), read_phrasings(OUTSIDE)
    with first_time(), AlexaApiStandIn() as api:
        api.time_zone = "America/New_York"
        return _table(team, outside, handler, api)


def _table(team, outside, handler, api) -> list[str]:
    lines = ["| locale | team's phrasings | outside, grown from | outside, never seen "
             "| red flags reaching care (03:00 / 14:00) | ordinary cramps sent to care |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for locale in LOCALES:
        mine_team, mine_outside = said_in(team, locale), said_in(outside, locale)
        model = MODELS_DIR / f"{locale}.json"
        routed_team, routed_outside = route([(model, [r["utterance"] for r in mine_team]),
                                             (model, [r["utterance"] for r in mine_outside])])
        share = sum(map(right, mine_team, routed_team)) / len(mine_team)
        halves = {}
        for half in ("grow", "held_out"):
            pairs = [(r, rec) for r, rec in zip(mine_outside, routed_outside) if r["set"] == half]
            halves[half] = sum(right(r, rec) for r, rec in pairs) / len(pairs)
        reached, flags, over, ordinary = {}, 0, 0, 0
        for row, record in zip(mine_outside, routed_outside):
            if row["level"] in ("emergency", "urgent") and row["intent"] in (
                    "SymptomIntent", "CallForHelpIntent"):
                flags += 1
                for moment, now in AT.items():
                    text = answer(row, record, locale, now, handler, api)
                    reached[moment] = reached.get(moment, 0) + reaches_care(text, locale,
                                                                            row["level"])
            elif row["level"] == "expected":
                ordinary += 1
                text = answer(row, record, locale, AT["03:00"], handler, api)
                over += text.startswith("Call ") or "urgently" in text
        lines.append(f"| {locale} | {share:.1%} | {halves['grow']:.1%} | {halves['held_out']:.1%} "
                     f"| {reached['03:00']}/{flags} / {reached['14:00']}/{flags} "
                     f"| {over}/{ordinary} |")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
