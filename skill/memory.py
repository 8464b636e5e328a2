"""What the skill remembers about a person from one night to the next: preferences and progress.

Nothing here is about anyone's health. Symptoms and triage answers live in the session
(`skill.state`) and die with it; Amazon's policy forbids keeping them in a skill that is not
HIPAA-eligible. The relief routine is about a cramp happening now, so it is never remembered;
only a routine marked `resumable` (the bedtime stretch) is.

Stored items may come from an older version of the skill or be damaged: `from_attributes` keeps
what it can trust and drops the rest rather than fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from skill.state import whole

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class SavedWalk:
    """Where an unfinished routine was left: which routine and which step (from 0)."""

    routine: str
    step: int

    @classmethod
    def from_attributes(cls, raw: Any) -> SavedWalk | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("routine"), str):
            return None
        step = whole(raw.get("step"))
        return None if step is None else cls(routine=raw["routine"], step=step)


@dataclass
class Memory:
    # Whether the person has heard the short disclaimer (said once, at their first launch).
    disclaimer_heard: bool = False
    # The day (YYYY-MM-DD, UTC) of their last launch: only the day, all "welcome back" needs.
    last_visit: str | None = None
    # An unfinished bedtime routine, to offer to continue another night.
    walk: SavedWalk | None = None
    # The daily stretch reminder they asked for (HH:MM), so the skill need not offer it again.
    reminder_time: str | None = None
    # Night-time soft voice: None follows the clock, False never softens, True always does.
    night_voice: bool | None = None

    @classmethod
    def from_attributes(cls, attributes: Any) -> Memory:
        if not isinstance(attributes, dict):
            return cls()
        last_visit = attributes.get("last_visit")
        reminder_time = attributes.get("reminder_time")
        night_voice = attributes.get("night_voice")
        return cls(
            disclaimer_heard=attributes.get("disclaimer_heard") is True,
            last_visit=last_visit if isinstance(last_visit, str) and _DAY.match(last_visit)
            else None,
            walk=SavedWalk.from_attributes(attributes.get("walk")),
            reminder_time=reminder_time if isinstance(reminder_time, str)
            and _CLOCK.match(reminder_time) else None,
            night_voice=night_voice if isinstance(night_voice, bool) else None,
        )

    def to_attributes(self) -> dict:
        # By hand rather than dataclasses.asdict, whose deep copies cost a tenth of a warm request.
        attributes = dict(vars(self))
        if self.walk is not None:
            attributes["walk"] = dict(vars(self.walk))
        return {name: value for name, value in attributes.items() if value is not None}

    @property
    def first_visit(self) -> bool:
        return not self.disclaimer_heard

    def visited(self, day: date) -> None:
        self.disclaimer_heard = True
        self.last_visit = day.isoformat()


FIELDS = tuple(field.name for field in fields(Memory))


def changes(before: dict, after: dict) -> dict:
    """The fields that differ between two `to_attributes()` dicts, with their new values (None
    for a field that was removed): what to re-apply on top of a newer copy after a conflict."""
    return {name: after.get(name) for name in FIELDS if before.get(name) != after.get(name)}


def apply(attributes: dict, changed: dict) -> dict:
    merged = {**attributes, **changed}
    return {name: value for name, value in merged.items() if value is not None}
