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

import json
import logging
import re
from dataclasses import dataclass, field, fields
from typing import Any

from skill.stores import REPLACES, VERSION, StaleWrite, whole, within_budget

logger = logging.getLogger(__name__)

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# The session attribute holding what was read: {"stored": {...}, "version": n, "partial": bool}.
SESSION_KEY = "memory"
_REQUEST_KEY = "recall"
_DEADLINE_KEY = "store_deadline"
ATTEMPTS = 3
# Any text remembered is short (a routine's name, a clock time, a token); longer is damage.
MAX_TEXT = 200
# The session's copy of what is remembered, as JSON: far inside Alexa's 24 KB response limit.
MAX_SESSION_COPY = 2000


def _flag(raw: Any) -> bool:
    return raw is True


def _text(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and 0 < len(raw) <= MAX_TEXT else None


def _clock(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and _CLOCK.match(raw) else None


def _read_with(reader):
    """How a Memory field is read back from a stored item (which may be damaged or strange)."""
    return {"read": reader}


@dataclass
class SavedWalk:
    """Where an unfinished routine was left: which routine and which step (from 0)."""

    routine: str
    step: int

    @classmethod
    def from_attributes(cls, raw: Any) -> SavedWalk | None:
        if not isinstance(raw, dict) or _text(raw.get("routine")) is None:
            return None
        step = whole(raw.get("step"))
        return None if step is None or step > 999 else cls(routine=raw["routine"], step=step)

    def to_attributes(self) -> dict:
        return {"routine": self.routine, "step": self.step}


@dataclass
class Memory:
    """One line per field: its default, and how it is read from a stored item. Assign a field to
    change it (`memory.walk = SavedWalk(...)`), never change a value in place: an assignment is
    what marks the field as set by this request."""

    # Whether the person has heard the short disclaimer (said once, at their first launch).
    disclaimer_heard: bool = field(default=False, metadata=_read_with(_flag))
    # An unfinished bedtime routine, to offer to continue another night.
    walk: SavedWalk | None = field(default=None,
                                   metadata=_read_with(SavedWalk.from_attributes))
    # The daily stretch reminder they asked for (HH:MM), so the skill need not offer it again.
    reminder_time: str | None = field(default=None, metadata=_read_with(_clock))
    # The Reminders API's alert token of that reminder, so that asking again replaces it, and
    # cancel and "what time" find it. An id Amazon gave, not health data.
    reminder_token: str | None = field(default=None, metadata=_read_with(_text))

    def __post_init__(self):
        # Assignments from here on are this request's (see `_write`).
        object.__setattr__(self, "set_here", set())

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if name in FIELDS and "set_here" in vars(self):
            self.set_here.add(name)

    @classmethod
    def from_attributes(cls, attributes: Any) -> Memory:
        if not isinstance(attributes, dict):
            return cls()
        return cls(**{name: reader(attributes.get(name)) for name, reader in _READERS.items()})

    def to_attributes(self) -> dict:
        attributes = {}
        for name in FIELDS:
            value = getattr(self, name)
            if value is not None:
                attributes[name] = value.to_attributes() if hasattr(value, "to_attributes") \
                    else value
        return attributes

    @property
    def first_visit(self) -> bool:
        return not self.disclaimer_heard


FIELDS = tuple(each.name for each in fields(Memory))
_READERS = {each.name: each.metadata["read"] for each in fields(Memory)}


def changes(before: dict, after: dict) -> dict:
    """The fields that differ between two `to_attributes()` dicts, with their new values (None
    for a field that was removed): what to re-apply on top of a newer copy after a conflict."""
    return {name: after.get(name) for name in FIELDS if before.get(name) != after.get(name)}


def apply(attributes: dict, changed: dict) -> dict:
    merged = {**attributes, **changed}
    return {name: value for name, value in merged.items() if value is not None}


def _known(attributes: dict) -> dict:
    """What the model makes of stored attributes: the fields it uses, trusted and bounded."""
    return Memory.from_attributes(attributes).to_attributes()


def _beyond_the_model(attributes: dict, known: dict) -> bool:
    """Whether stored attributes hold what the model's fields (`known`, their `_known`) do not
    carry as they are: an attribute this version does not know, or a field it cannot read as
    stored. (A field the item lacks reads as its default, which carries nothing more.)"""
    return any(name not in known or known[name] != value for name, value in attributes.items())


class Recall:
    """What is stored (`stored`, at `version`) and this request's working copy (`memory`).

    `fresh`: read from the store by this request, so it is what is stored now. Otherwise it is
    the session's copy, which another device of the same person may have made out of date.
    `partial`: `stored` lacks what the item holds beyond the model's fields (a newer version's
    attributes, a damaged field): the session carries the model's fields only, so a write from
    it reads the whole item first rather than drop the rest."""

    def __init__(self, stored: dict | None = None, version: int = 0, available: bool = True,
                 fresh: bool = True, partial: bool = False, replaces: Any = None):
        self.stored = stored or {}
        self.version = version
        self.available = available
        self.fresh = fresh
        self.partial = partial
        self.replaces = replaces
        self.memory = Memory.from_attributes(self.stored)

    @classmethod
    def from_store(cls, attributes: Any) -> Recall:
        stored = dict(attributes) if isinstance(attributes, dict) else {}
        version = whole(stored.pop(VERSION, 0)) or 0
        return cls(stored, version, replaces=stored.pop(REPLACES, None))

    @classmethod
    def from_session(cls, raw: Any) -> Recall | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("stored"), dict):
            return None
        version = whole(raw.get("version"))
        if version is None:
            return None
        # A copy from an older version of the skill says nothing of "partial": read it as
        # partial, so that its first write reads the whole item.
        return cls(_known(raw["stored"]), version, fresh=False,
                   partial=raw.get("partial") is not False)

    def to_session(self) -> dict | None:
        known = _known(self.stored)
        copy = {"stored": known, "version": self.version,
                "partial": self.partial or _beyond_the_model(self.stored, known)}
        # Bounded by the model's readers already; this is the last guard. Without a copy the
        # next request reads again.
        return copy if len(json.dumps(copy)) <= MAX_SESSION_COPY else None


def _store(handler_input):
    # The SDK's AttributesManager caches its one read and offers no way to read again, which a
    # write from a partial copy needs: the adapter is called directly.
    store = handler_input.attributes_manager._persistence_adapter
    if store is None:
        raise LookupError("the skill has no persistence adapter")
    return store


def _budget(handler_input):
    """The store calls of one request share one deadline (see `skill.stores.within_budget`)."""
    attributes = handler_input.attributes_manager.request_attributes
    return within_budget(attributes.setdefault(_DEADLINE_KEY, {}))


def _read(handler_input) -> dict:
    with _budget(handler_input):
        return _store(handler_input).get_attributes(handler_input.request_envelope)


def _session_copy(handler_input) -> Any:
    session = handler_input.request_envelope.session
    return (session.attributes or {}).get(SESSION_KEY) if session is not None else None


def _load(handler_input) -> Recall:
    cached = Recall.from_session(_session_copy(handler_input))
    if cached is not None:
        return cached
    try:
        return Recall.from_store(_read(handler_input))
    except Exception:
        logger.warning("could not read what the skill remembers; going on without it",
                       exc_info=True)
        return Recall(available=False)


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
        cached = Recall.from_session(_session_copy(handler_input))
        return cached.to_session() if cached is not None else None
    _write(handler_input, current)
    return current.to_session()


def _to_write(current: Recall) -> dict:
    """This request's changes. Compared with what was read as the model sees it, so that a
    damaged or unknown attribute is neither a change nor overwritten unless a handler changed
    that field. A field set from a session copy is written even when the copy already holds
    that value: another device may have changed it since (the last step said on any device is
    the one saved)."""
    after = current.memory.to_attributes()
    changed = changes(_known(current.stored), after)
    if not current.fresh:
        changed.update({name: after.get(name) for name in current.memory.set_here})
    return changed


def _write(handler_input, current: Recall) -> None:
    changed = _to_write(current)
    if not changed:
        return
    store = _store(handler_input)
    stored, version, replaces = current.stored, current.version, current.replaces
    with _budget(handler_input):
        try:
            if current.partial:
                whole_item = Recall.from_store(_read(handler_input))
                stored, version, replaces = (whole_item.stored, whole_item.version,
                                             whole_item.replaces)
            for _ in range(ATTEMPTS):
                merged = apply(stored, changed)
                written = {**merged, VERSION: version + 1}
                if replaces is not None:
                    written[REPLACES] = replaces
                try:
                    store.save_attributes(handler_input.request_envelope, written)
                except StaleWrite as conflict:
                    logger.info("remembered item changed since it was read; re-applying %s",
                                sorted(changed))
                    newer = Recall.from_store(conflict.current)
                    stored, version, replaces = newer.stored, newer.version, newer.replaces
                    continue
                current.stored, current.version, current.replaces = merged, version + 1, None
                current.partial = False
                current.memory = Memory.from_attributes(merged)
                return
        except Exception:
            logger.warning("could not write what the skill remembers", exc_info=True)
            return
    logger.warning("gave up writing after %d conflicting writes", ATTEMPTS)


def forget(handler_input) -> None:
    """Delete everything remembered about this person (they disabled the skill)."""
    try:
        with _budget(handler_input):
            _store(handler_input).delete_attributes(handler_input.request_envelope)
    except Exception:
        logger.error("could not forget a person who disabled the skill", exc_info=True)
