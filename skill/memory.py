"""What the skill remembers about a person between nights: preferences and progress, never anything
about their health. Read through the SDK's AttributesManager at most once a session, written at
most once a request; a store that is slow or down is logged and never stops an answer
(docs/remembering.md)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from skill.stores import VERSION, StaleWrite, whole

logger = logging.getLogger(__name__)
SESSION_KEY = "memory"   # the session's copy of what is stored (see `_Recall.to_session`)
ATTEMPTS = 3


class SavedWalk(NamedTuple):
    """Where an unfinished routine was left: which routine and which step (from 0)."""
    routine: str
    step: int


def _text(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and 0 < len(raw) <= 200 else None   # all of it is short


@dataclass
class Memory:
    """Change a field by assigning it, never in place: that marks it as set by this request."""

    disclaimer_heard: bool = False     # the short disclaimer, said once, at the first launch
    walk: SavedWalk | None = None      # an unfinished bedtime routine, to offer another night
    reminder_time: str | None = None   # the daily stretch reminder they asked for ("21:00")
    reminder_token: str | None = None  # the Reminders API's id for it, to replace or cancel it

    def __post_init__(self):
        object.__setattr__(self, "set_here", set())

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if hasattr(self, "set_here"):
            self.set_here.add(name)

    @classmethod
    def from_attributes(cls, raw: Any) -> Memory:
        """What can be trusted of stored attributes (another version's, or damaged)."""
        raw = raw if isinstance(raw, dict) else {}
        walk = raw["walk"] if isinstance(raw.get("walk"), dict) else {}
        step, time = whole(walk.get("step")), _text(raw.get("reminder_time"))
        return cls(raw.get("disclaimer_heard") is True,
                   SavedWalk(walk["routine"], step)
                   if _text(walk.get("routine")) and step is not None and step < 1000 else None,
                   time if time and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time) else None,
                   _text(raw.get("reminder_token")))

    def to_attributes(self) -> dict:
        values = {each.name: getattr(self, each.name) for each in fields(self)}
        return {name: value._asdict() if isinstance(value, SavedWalk) else value
                for name, value in values.items() if value is not None}

    @property
    def first_visit(self) -> bool:
        return not self.disclaimer_heard


FIELDS = tuple(each.name for each in fields(Memory))


def changes(before: dict, after: dict) -> dict:
    """The fields that differ, with their new values (None: removed): what a conflict re-applies."""
    return {name: after.get(name) for name in FIELDS if before.get(name) != after.get(name)}


def apply(attributes: dict, changed: dict) -> dict:
    return {name: value for name, value in {**attributes, **changed}.items() if value is not None}


class _Recall:
    """What is stored as this request knows it (`stored`, with its VERSION) and the working copy.
    `fresh`: read by this request, not the session's copy, which another device may have outdated.
    `state`: "known", "unavailable" (the read failed) or "forgotten" (deleted since it was read)."""

    def __init__(self, stored: dict, fresh: bool = True, state: str = "known"):
        self.stored, self.fresh, self.state = stored, fresh, state
        self.memory = Memory.from_attributes(stored)

    def changes(self) -> dict:
        """From the session's copy, a field set here is a change even if the copy holds that value
        already: another device may have changed it since (the last step said is kept)."""
        after = self.memory.to_attributes()
        changed = changes(Memory.from_attributes(self.stored).to_attributes(), after)
        if not self.fresh:
            changed.update({name: after.get(name) for name in self.memory.set_here})
        return changed

    def write(self, manager, changed: dict) -> None:
        """Over the version read; when another device wrote first, the changes again on top."""
        stored = self.stored
        for _ in range(ATTEMPTS):
            manager.persistent_attributes = written = apply(stored, changed)
            try:
                manager.save_persistent_attributes()
                self.stored = written   # the adapter set its version to the one written
                return
            except StaleWrite as conflict:
                stored = conflict.current
            if stored[VERSION] == 0 and self.stored[VERSION] != 0:
                logger.info("remembered item deleted since it was read: not writing it back")
                self.state = "forgotten"   # the skill was disabled meanwhile
                return
            logger.info("remembered item changed since it was read; re-applying %s",
                        sorted(changed))
        logger.warning("gave up writing after %d conflicting writes", ATTEMPTS)

    def to_session(self) -> dict | None:
        """Only a copy the model carries whole (a write from it drops nothing) at a sound version;
        otherwise the next request reads again."""
        if self.state == "forgotten":
            return {"forgotten": True}
        known = Memory.from_attributes(self.stored).to_attributes()
        carried = all(known.get(name) == value
                      for name, value in self.stored.items() if name != VERSION)
        if self.state == "known" and carried and whole(self.stored[VERSION]) is not None:
            return {"stored": known, "version": self.stored[VERSION], "partial": False}
        return None


def _from_session(handler_input) -> _Recall | None:
    session = handler_input.request_envelope.session
    copy = (session.attributes or {}).get(SESSION_KEY) if session is not None else None
    if not isinstance(copy, dict):
        return None
    if copy.get("forgotten") is True:
        return _Recall({}, state="forgotten")
    # An older version's copy ("partial" not false) may lack what the item holds: read again.
    if copy.get("partial") is False and whole(copy.get("version")) is not None:
        known = Memory.from_attributes(copy.get("stored")).to_attributes()
        return _Recall({**known, VERSION: copy["version"]}, fresh=False)
    return None


def remembered(handler_input) -> Memory:
    """What is remembered about this person, read on first use (a store call at most once a
    session). Assign its fields to change them; `save` writes the change after the handler."""
    request = handler_input.attributes_manager.request_attributes
    if SESSION_KEY not in request:
        request[SESSION_KEY] = _from_session(handler_input)
    if request[SESSION_KEY] is None:
        try:
            request[SESSION_KEY] = _Recall(dict(handler_input.attributes_manager
                                                .persistent_attributes))
        except Exception:
            logger.warning("could not read what the skill remembers; going on without it",
                           exc_info=True)
            request[SESSION_KEY] = _Recall({}, state="unavailable")
    return request[SESSION_KEY].memory


def save(handler_input) -> dict | None:
    """Write this request's changes, if any. Returns the session's copy of what is stored."""
    manager = handler_input.attributes_manager
    current = manager.request_attributes.get(SESSION_KEY) or _from_session(handler_input)
    if current is None:
        return None
    try:
        changed = current.changes() if current.state == "known" else {}
        if changed:
            current.write(manager, changed)
    except Exception:
        logger.warning("could not write what the skill remembers", exc_info=True)
    return current.to_session()


class NotForgotten(Exception):
    """Deleting what is remembered failed: the SkillDisabled request fails, for Alexa to send it
    again (docs/remembering.md)."""


def forget(handler_input) -> None:
    """Delete everything remembered about this person (they disabled the skill)."""
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
    except Exception as error:
        raise NotForgotten("could not forget a person who disabled the skill") from error
