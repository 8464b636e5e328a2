"""What the skill remembers about a person from one night to the next, and reading and writing it.

Preferences and progress only: whether the disclaimer was heard, where a bedtime routine was
left, the reminder's time. Nothing here is about anyone's health. Symptoms and triage answers
live in the session (`skill.session`) and die with it; Amazon's policy forbids keeping them in a
skill that is not HIPAA-eligible. The relief routine is about a cramp happening now, so it is
never remembered; only a routine marked `resumable` (the bedtime stretch) is.

- Nothing is read until a handler asks (`remembered`), so a request that needs no memory (the
  mid-cramp answer, help, causes) makes no call at all.
- At most one read per session: what was read travels in the session attributes and is reused.
- At most one write per request, and only if something changed (`save`, after the handler).
  A write that finds the item changed since it was read (another device of the same person)
  re-applies this request's changes, field by field, on top of what is stored now.
- A store that is slow or down never stands between a person and an answer: the failure is
  logged, the request goes on with an empty memory, and nothing is written over what is stored.

Stored items may come from an older or newer version of the skill, or be damaged:
`Memory.from_attributes` keeps what it can trust, and attributes it does not know are written back
as they were.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Any

from skill.stores import VERSION, StaleWrite, whole

logger = logging.getLogger(__name__)

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TOKEN = re.compile(r"^[\w.:-]{1,200}$")
# The session attribute holding what was read: {"stored": {...}, "version": n}.
SESSION_KEY = "memory"
_REQUEST_KEY = "recall"
ATTEMPTS = 3


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
    # An unfinished bedtime routine, to offer to continue another night.
    walk: SavedWalk | None = None
    # The daily stretch reminder they asked for (HH:MM), so the skill need not offer it again.
    reminder_time: str | None = None
    # The Reminders API's alert token of that reminder, so that asking again replaces it, and
    # cancel and "what time" find it. An id Amazon gave, not health data.
    reminder_token: str | None = None

    @classmethod
    def from_attributes(cls, attributes: Any) -> Memory:
        if not isinstance(attributes, dict):
            return cls()
        reminder_time = attributes.get("reminder_time")
        return cls(
            disclaimer_heard=attributes.get("disclaimer_heard") is True,
            walk=SavedWalk.from_attributes(attributes.get("walk")),
            reminder_time=reminder_time if isinstance(reminder_time, str)
            and _CLOCK.match(reminder_time) else None,
            reminder_token=_token(attributes.get("reminder_token")),
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


def _token(value: Any) -> str | None:
    return value if isinstance(value, str) and _TOKEN.match(value) else None


FIELDS = tuple(field.name for field in fields(Memory))


def changes(before: dict, after: dict) -> dict:
    """The fields that differ between two `to_attributes()` dicts, with their new values (None
    for a field that was removed): what to re-apply on top of a newer copy after a conflict."""
    return {name: after.get(name) for name in FIELDS if before.get(name) != after.get(name)}


def apply(attributes: dict, changed: dict) -> dict:
    merged = {**attributes, **changed}
    return {name: value for name, value in merged.items() if value is not None}


class Recall:
    """What is stored (`stored`, at `version`) and this request's working copy (`memory`)."""

    def __init__(self, stored: dict | None = None, version: int = 0, available: bool = True):
        self.stored = stored or {}
        self.version = version
        self.available = available
        self.memory = Memory.from_attributes(self.stored)

    @classmethod
    def from_session(cls, raw: Any) -> Recall | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("stored"), dict):
            return None
        version = whole(raw.get("version"))
        return None if version is None else cls(raw["stored"], version)

    def to_session(self) -> dict:
        return {"stored": self.stored, "version": self.version}


def _versioned(attributes: Any) -> tuple[dict, int]:
    """Attributes from the store, and their version. Attributes this version does not know (from
    a newer deployment) are kept as they are, so that writing never drops them."""
    stored = dict(attributes) if isinstance(attributes, dict) else {}
    version = whole(stored.pop(VERSION, 0))
    return stored, version or 0


def _session_copy(handler_input) -> Any:
    session = handler_input.request_envelope.session
    return (session.attributes or {}).get(SESSION_KEY) if session is not None else None


def _load(handler_input) -> Recall:
    cached = Recall.from_session(_session_copy(handler_input))
    if cached is not None:
        return cached
    try:
        stored, version = _versioned(handler_input.attributes_manager.persistent_attributes)
    except Exception:
        logger.warning("could not read what the skill remembers; going on without it",
                       exc_info=True)
        return Recall(available=False)
    return Recall(stored, version)


def _recall(handler_input) -> Recall:
    attributes = handler_input.attributes_manager.request_attributes
    if _REQUEST_KEY not in attributes:
        attributes[_REQUEST_KEY] = _load(handler_input)
    return attributes[_REQUEST_KEY]


def remembered(handler_input) -> Memory:
    """What is remembered about this person, read on first use (a store call, at most once a
    session). Change it in place; the change is written after the handler."""
    return _recall(handler_input).memory


def save(handler_input) -> dict | None:
    """Write this request's changes, if any, conditionally on the version read. Returns the
    session's copy of what is now known to be stored (None if nothing was read)."""
    current = handler_input.attributes_manager.request_attributes.get(_REQUEST_KEY)
    if current is None or not current.available:
        return _session_copy(handler_input)
    _write(handler_input, current)
    return current.to_session()


def _write(handler_input, current: Recall) -> None:
    # Compared with what was read as the model sees it, so that a damaged or unknown attribute
    # is neither a change nor overwritten unless a handler changed that field.
    changed = changes(Memory.from_attributes(current.stored).to_attributes(),
                      current.memory.to_attributes())
    if not changed:
        return
    manager = handler_input.attributes_manager
    stored, version = current.stored, current.version
    for _ in range(ATTEMPTS):
        merged = apply(stored, changed)
        try:
            manager.persistent_attributes = {**merged, VERSION: version + 1}
            manager.save_persistent_attributes()
        except StaleWrite as conflict:
            logger.info("remembered item changed since it was read; re-applying %s",
                        sorted(changed))
            stored, version = _versioned(conflict.current)
            continue
        except Exception:
            logger.warning("could not write what the skill remembers", exc_info=True)
            return
        current.stored, current.version = merged, version + 1
        current.memory = Memory.from_attributes(merged)
        return
    logger.warning("gave up writing after %d conflicting writes", ATTEMPTS)


def forget(handler_input) -> None:
    """Delete everything remembered about this person (they disabled the skill)."""
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
    except Exception:
        logger.error("could not forget a person who disabled the skill", exc_info=True)
