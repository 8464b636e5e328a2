"""What the skill remembers about a person between nights: preferences and progress, never anything
about their health. Read through the SDK's AttributesManager at most once a session, written at
most once a request, and never in the way of an answer (docs/remembering.md)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from skill.stores import VERSION, StaleWrite, whole

logger = logging.getLogger(__name__)
SESSION_KEY = "memory"   # the session's copy of what is stored (`Recall.to_session`)
ATTEMPTS = 3


class SavedWalk(NamedTuple):
    """Where an unfinished routine was left: which routine and which step (from 0)."""
    routine: str
    step: int


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
        def text(value):   # all of it is short: a routine's name, a time, a token
            return value if isinstance(value, str) and 0 < len(value) <= 200 else None

        raw = raw if isinstance(raw, dict) else {}
        walk = raw["walk"] if isinstance(raw.get("walk"), dict) else {}
        step, time = whole(walk.get("step")), text(raw.get("reminder_time"))
        return cls(raw.get("disclaimer_heard") is True,
                   SavedWalk(walk["routine"], step)
                   if text(walk.get("routine")) and step is not None and step < 1000 else None,
                   time if time and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time) else None,
                   text(raw.get("reminder_token")))

    def to_attributes(self) -> dict:
        values = {each.name: getattr(self, each.name) for each in fields(self)}
        return {name: value._asdict() if isinstance(value, SavedWalk) else value
                for name, value in values.items() if value is not None}

    @property
    def first_visit(self) -> bool:
        return not self.disclaimer_heard


def apply(attributes: dict, changed: dict) -> dict:
    """`changed` (None: removed) on top of `attributes`: what a conflict re-applies."""
    return {name: value for name, value in {**attributes, **changed}.items() if value is not None}


class Recall:
    """What is stored as this request knows it (`stored`, with its VERSION) and the working copy.
    `fresh`: read by this request, not the session's copy, which another device may have outdated.
    `state`: "known", "unavailable" (the read failed) or "forgotten" (deleted since it was read)."""

    def __init__(self, stored: dict, fresh: bool = True, state: str = "known"):
        self.stored, self.fresh, self.state = stored, fresh, state
        self.memory = Memory.from_attributes(stored)

    @classmethod
    def from_session(cls, handler_input) -> Recall | None:
        session = handler_input.request_envelope.session
        copy = (session.attributes or {}).get(SESSION_KEY) if session is not None else None
        if isinstance(copy, dict) and copy.get("forgotten") is True:
            return cls({}, state="forgotten")
        # An older version's copy ("partial" not false) may lack what the item holds: read again.
        if isinstance(copy, dict) and copy.get("partial") is False and \
                whole(copy.get("version")) is not None:
            known = Memory.from_attributes(copy.get("stored")).to_attributes()
            return cls({**known, VERSION: copy["version"]}, fresh=False)
        return None

    @classmethod
    def read(cls, handler_input) -> Recall:
        try:
            return cls(dict(handler_input.attributes_manager.persistent_attributes))
        except Exception:
            logger.warning("could not read what the skill remembers; going on without it",
                           exc_info=True)
            return cls({}, state="unavailable")

    def write(self, manager) -> None:
        """This request's changes, over the version read; if another device wrote first, again on
        top of what it wrote. From the session's copy, a field set here is written even if the copy
        holds its value: another device may have changed it since (the last step said is kept)."""
        before = Memory.from_attributes(self.stored).to_attributes()
        after = self.memory.to_attributes()
        changed = {name: after.get(name) for name in self.memory.set_here
                   if not self.fresh or after.get(name) != before.get(name)}
        if self.state != "known" or not changed:
            return
        stored = self.stored
        for _ in range(ATTEMPTS):
            manager.persistent_attributes = written = apply(stored, changed)
            try:
                manager.save_persistent_attributes()
                self.stored = written   # the adapter set its VERSION to the one written
                return
            except StaleWrite as conflict:
                stored = conflict.current
            if stored[VERSION] == 0 and self.stored.get(VERSION) != 0:
                logger.info("remembered item deleted since it was read: not writing it back")
                self.state = "forgotten"   # the skill was disabled meanwhile
                return
            logger.info("remembered item changed since it was read; re-applying %s",
                        sorted(changed))
        logger.warning("gave up writing after %d conflicting writes", ATTEMPTS)

    def to_session(self) -> dict | None:
        """A copy only of an item the model carries whole (a write from it drops nothing), at a
        sound version; otherwise the next request reads again."""
        if self.state == "forgotten":
            return {"forgotten": True}
        known = Memory.from_attributes(self.stored).to_attributes()
        if self.state == "known" and whole(self.stored.get(VERSION)) is not None and all(
                known.get(name) == value for name, value in self.stored.items() if name != VERSION):
            return {"stored": known, "version": self.stored[VERSION], "partial": False}
        return None


def remembered(handler_input) -> Memory:
    """What is remembered about this person, read on first use (a store call at most once a
    session). Assign its fields to change them; `save` writes the change after the handler."""
    request = handler_input.attributes_manager.request_attributes
    if SESSION_KEY not in request:
        request[SESSION_KEY] = Recall.from_session(handler_input) or Recall.read(handler_input)
    return request[SESSION_KEY].memory


def save(handler_input) -> dict | None:
    """Write this request's changes, if any. Returns the session's copy of what is stored."""
    current = handler_input.attributes_manager.request_attributes.get(SESSION_KEY) or \
        Recall.from_session(handler_input)
    if current is None:
        return None
    try:
        current.write(handler_input.attributes_manager)
    except Exception:
        logger.warning("could not write what the skill remembers", exc_info=True)
    return current.to_session()


class NotForgotten(Exception):
    """The store failed to delete what is remembered: the request fails, for Alexa to send the
    SkillDisabled event again (docs/remembering.md)."""


def forget(handler_input) -> None:
    """Delete everything remembered about this person (they disabled the skill)."""
    try:
        handler_input.attributes_manager.delete_persistent_attributes()
    except LookupError:   # the request names nobody: there is no one to forget
        logger.warning("a SkillDisabled event that names no user")
    except Exception as error:
        raise NotForgotten("could not forget a person who disabled the skill") from error
