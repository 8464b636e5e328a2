"""The symptom table (`skill/symptoms.toml`): every sign the skill listens for, every body part
it tells apart, the short check's questions, and the level of care each sign gets.

The interaction models' SYMPTOM and MUSCLE slot types are generated from the same rows, so what
Alexa can resolve and what the skill answers never drift apart. Read on first use, not at import:
the mid-cramp answer never needs it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "symptoms.toml"
# Written by the Lambda build only (`python -m skill.symptom_table`): never in a checkout.
BUILT = TABLE.with_suffix(".json")

# The levels of care, most urgent first (see the table's header).
EMERGENCY, URGENT, SOON, EXPECTED = "emergency", "urgent", "soon", "expected"
LEVELS = (EMERGENCY, URGENT, SOON, EXPECTED)
# A leg sign said of another body part: an honest answer that the skill is for legs, with the
# emergency line (stroke and breathing signs keep their level wherever they are said).
NOT_A_LEG = "not_a_leg"
# Words Alexa heard but could not resolve to any sign: every sign that matters, most urgent first.
UNCLEAR = "unclear"
# Most urgent first, for "of two signs, the more urgent decides".
URGENCY = (EMERGENCY, URGENT, UNCLEAR, SOON, NOT_A_LEG, EXPECTED)


@dataclass(frozen=True)
class Symptom:
    id: str
    words: tuple[str, ...]
    level: str
    source: str
    parts: str = "leg"
    in_cramp: str | None = None
    both_legs: str | None = None
    cramp: bool = False
    pain: bool = False
    ask: str | None = None
    answer: str | None = None
    # Said of one of these body parts it is another sign: {part id: sign id}.
    said_of: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    locale_words: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False,
                                                     compare=False)

    def words_in(self, locale: str) -> tuple[str, ...]:
        """What people say for it in `locale`: the slot value first, then its synonyms."""
        return self.words + self.locale_words.get(locale, ())

    @property
    def template(self) -> str:
        """Its words: responses/<locale>/symptom/<template>.ssml.j2."""
        return self.answer or self.level


@dataclass(frozen=True)
class Part:
    id: str
    words: tuple[str, ...]
    stretch: str
    leg: bool = False
    both: bool = False
    # Its words that name it on both legs ("my ankles", "both my calves"): a sign said of them
    # is judged as of both legs.
    both_words: tuple[str, ...] = ()
    chest: bool = False
    locale_words: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False,
                                                     compare=False)

    @property
    def other_words(self) -> tuple[str, ...]:
        """Its name on the other leg ("other calf"): a cramp there, after one in this part, is a
        new cramp. Every leg part has one, made from its first word."""
        return (f"other {self.words[0]}",) if self.leg and not self.both else ()

    def words_in(self, locale: str) -> tuple[str, ...]:
        return self.words + self.other_words + self.locale_words.get(locale, ())


@dataclass(frozen=True)
class Check:
    """One question of the short check: a "yes" means its `level`."""

    name: str
    level: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    symptoms: dict[str, Symptom]
    parts: dict[str, Part]
    checks: tuple[Check, ...]


def _row(kind, raw: dict):
    # Every list (words, both_words) a tuple, as the frozen row's fields are.
    values = {name: tuple(value) if isinstance(value, list) else value
              for name, value in raw.items()}
    values["locale_words"] = {locale: tuple(words)
                              for locale, words in values.get("locale_words", {}).items()}
    return kind(**values)


def _raw() -> dict:
    """The table as data: from the JSON the Lambda build writes beside it (json is imported
    already; tomllib and its parse cost the first cramp answer about 10 ms), else the TOML."""
    if BUILT.is_file():
        return json.loads(BUILT.read_text(encoding="utf-8"))
    return _from_toml()


def _from_toml() -> dict:
    import tomllib

    return tomllib.loads(TABLE.read_text(encoding="utf-8"))


@cache
def table() -> Table:
    raw = _raw()
    return Table(
        symptoms={row["id"]: _row(Symptom, row) for row in raw["symptom"]},
        parts={row["id"]: _row(Part, row) for row in raw["part"]},
        checks=tuple(Check(row["name"], row["level"], tuple(row["signs"]))
                     for row in raw["check"]))


def symptoms() -> dict[str, Symptom]:
    """Every sign, by id, in the table's order."""
    return table().symptoms


def parts() -> dict[str, Part]:
    """Every body part, by id, in the table's order."""
    return table().parts


def level_of(symptom: Symptom, part: Part | None, in_cramp: bool, both: bool = False
             ) -> tuple[str, Symptom]:
    """The level of care for `symptom` said of `part` (None: no body part said) at this moment,
    and the sign it counts as (a pain said of the chest is chest pain). `both`: the part was
    named on both legs ("my ankles")."""
    # Anything that hurts or weighs on the chest, or is no leg sign, said of it: chest pain.
    if part is not None and part.chest and (symptom.pain or symptom.parts == "any"):
        chest_pain = symptoms()["CHEST_PAIN"]
        return chest_pain.level, chest_pain
    if part is not None and part.id in symptom.said_of:
        return level_of(symptoms()[symptom.said_of[part.id]], part, in_cramp, both)
    if symptom.parts == "leg" and part is not None and not part.leg:
        return NOT_A_LEG, symptom
    if in_cramp and symptom.in_cramp:
        return symptom.in_cramp, symptom
    if part is not None and (part.both or both) and symptom.both_legs:
        return symptom.both_legs, symptom
    return symptom.level, symptom


if __name__ == "__main__":
    # The Lambda build: the table as JSON beside the TOML, for the first cramp answer to read.
    BUILT.write_text(json.dumps(_from_toml()), encoding="utf-8")
    print(f"wrote {BUILT}", file=sys.stderr)
