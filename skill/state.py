"""What the skill keeps between turns of one session.

Session attributes travel through Alexa and back, so they may come from an older version of the
skill or be damaged: `from_attributes` keeps what it can trust and drops the rest rather than fail.
Symptom and triage answers live here and die with the session; nothing here is persisted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

VERSION = 1


def whole(value: Any) -> int | None:
    """`value` if it is a whole number, 0 or more (and not a bool, which is an int to Python),
    else None: for numbers that come back from session attributes or the store."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


@dataclass
class Walk:
    """Where a person is in a walkthrough."""

    routine: str
    step: int = 0
    paused: bool = False
    muscle: str = "general"

    @classmethod
    def from_attributes(cls, raw: Any) -> Walk | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("routine"), str):
            return None
        step = whole(raw.get("step", 0))
        muscle = raw.get("muscle", "general")
        return cls(
            routine=raw["routine"],
            step=step if step is not None else 0,
            paused=raw.get("paused") is True,
            muscle=muscle if isinstance(muscle, str) else "general",
        )


@dataclass
class SessionState:
    # The question the skill last asked, by name, so "yes" and "no" mean what it meant.
    question: str | None = None
    # Which triage question is open (index into skill.triage.QUESTIONS).
    triage_step: int = 0
    walk: Walk | None = None
    # Which advice group the last cramp was in ("calf", "foot", ...), for the guided relief.
    muscle: str = "general"
    # The topic of the last answer: help and errors are specific to it.
    topic: str | None = None
    # The last thing said, for "repeat".
    last_speech: str | None = None
    last_reprompt: str | None = None
    # The device's time zone, once asked ("" when the answer was unusable), so the Settings API
    # is asked at most once a session.
    time_zone: str | None = None

    @classmethod
    def from_attributes(cls, attributes: Any) -> SessionState:
        if not isinstance(attributes, dict):
            return cls()

        def text(name: str) -> str | None:
            value = attributes.get(name)
            return value if isinstance(value, str) else None

        step = whole(attributes.get("triage_step", 0))
        return cls(
            question=text("question"),
            triage_step=step if step is not None and step < 100 else 0,
            walk=Walk.from_attributes(attributes.get("walk")),
            muscle=text("muscle") or "general",
            topic=text("topic"),
            last_speech=text("last_speech"),
            last_reprompt=text("last_reprompt"),
            time_zone=text("time_zone"),
        )

    def to_attributes(self) -> dict:
        # By hand rather than dataclasses.asdict, which deep-copies and costs a tenth of a warm
        # request; the result is serialised straight away, so a shallow copy is enough.
        attributes = dict(vars(self))
        attributes["walk"] = dict(vars(self.walk)) if self.walk is not None else None
        attributes["version"] = VERSION
        return {name: value for name, value in attributes.items()
                if value not in (None, {}) or name == "walk"}
