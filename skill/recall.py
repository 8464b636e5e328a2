"""Reading and writing what the skill remembers, for one request.

- Nothing is read until a handler asks (`remembered`), so a request that needs no memory (the
  mid-cramp answer, help, causes) makes no call at all.
- At most one read per session: what was read is kept in the session attributes and reused.
- At most one write per request, and only if something changed (`Remember`, after the handler).
  A write that finds the item changed since it was read (another device of the same person)
  re-applies this request's changes, field by field, on top of what is stored now.
- A store that is slow or down never stands between a person and an answer: the failure is
  logged, the request goes on with an empty memory, and nothing is written over what is stored.
"""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from skill.memory import Memory, apply, changes
from skill.state import whole
from skill.stores import VERSION, StaleWrite

logger = logging.getLogger(__name__)

SESSION_KEY = "memory"   # the session's copy of what was read: {"stored": {...}, "version": n}
_REQUEST_KEY = "recall"
ATTEMPTS = 3


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
        version = raw.get("version")
        if whole(version) is None:
            return None
        return cls(raw["stored"], version)

    def to_session(self) -> dict:
        return {"stored": self.stored, "version": self.version}


def _split(attributes: Any) -> tuple[dict, int]:
    """Attributes from the store, and their version. Attributes this version does not know (from
    a newer deployment) are kept as they are, so that writing never drops them."""
    stored = dict(attributes) if isinstance(attributes, dict) else {}
    version = stored.pop(VERSION, 0)
    return stored, version if isinstance(version, int) and not isinstance(version, bool) else 0


def _session_copy(handler_input) -> Any:
    session = handler_input.request_envelope.session
    return (session.attributes or {}).get(SESSION_KEY) if session is not None else None


def _load(handler_input) -> Recall:
    cached = Recall.from_session(_session_copy(handler_input))
    if cached is not None:
        return cached
    try:
        stored, version = _split(handler_input.attributes_manager.persistent_attributes)
    except Exception:
        logger.warning("could not read what the skill remembers; going on without it",
                       exc_info=True)
        return Recall(available=False)
    return Recall(stored, version)


def recall(handler_input) -> Recall:
    attributes = handler_input.attributes_manager.request_attributes
    if _REQUEST_KEY not in attributes:
        attributes[_REQUEST_KEY] = _load(handler_input)
    return attributes[_REQUEST_KEY]


def remembered(handler_input) -> Memory:
    """What is remembered about this person, read on first use. Change it in place; the change is
    written after the handler."""
    return recall(handler_input).memory


def save(handler_input) -> None:
    """Write this request's changes, if any, conditionally on the version read."""
    current = handler_input.attributes_manager.request_attributes.get(_REQUEST_KEY)
    if current is None or not current.available:
        return
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
            stored, version = _split(conflict.current)
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


class Remember(AbstractResponseInterceptor):
    """After the handler: write what changed, and keep what was read in the session so the next
    turn does not read it again."""

    def process(self, handler_input, response):
        save(handler_input)
        if handler_input.request_envelope.session is None:
            return
        current = handler_input.attributes_manager.request_attributes.get(_REQUEST_KEY)
        copy = current.to_session() if current is not None and current.available \
            else _session_copy(handler_input)
        if copy is not None:
            handler_input.attributes_manager.session_attributes[SESSION_KEY] = copy
