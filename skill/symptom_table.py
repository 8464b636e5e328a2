"""The symptom table (`skill/symptoms.toml`): one row per symptom the skill listens for.

The interaction models' SYMPTOM slot type is generated from the same rows, so what Alexa can
resolve and what the skill answers never drift apart. Read on the first symptom, not at import:
the mid-cramp answer never needs it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "symptoms.toml"


@dataclass(frozen=True)
class Symptom:
    id: str
    answer: str
    source: str
    words: tuple[str, ...]
    locale_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def words_in(self, locale: str) -> tuple[str, ...]:
        """What people say for it in `locale`: the slot value first, then its synonyms."""
        return self.words + self.locale_words.get(locale, ())


@cache
def symptoms() -> dict[str, Symptom]:
    """Every row, by id, in the table's order."""
    rows = tomllib.loads(TABLE.read_text(encoding="utf-8"))["symptom"]
    return {row["id"]: Symptom(
        id=row["id"], answer=row["answer"], source=row["source"], words=tuple(row["words"]),
        locale_words={locale: tuple(words)
                      for locale, words in row.get("locale_words", {}).items()})
        for row in rows}
