"""What the skill keeps between turns of one session, and the interceptors that load and save it.

Session attributes travel through Alexa and back, so they may come from an older version of the
skill or be damaged: `from_attributes` keeps what it can trust and drops the rest rather than fail.
Symptom and triage answers live here and die with the session; nothing here is persisted.

Every request starts in `LoadSession` (the state, and this request's voice: whether it is night
where the person is, decided here, once) and ends in `SaveSession` (what is remembered is
written if it changed, then the state goes back into the session attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ask_sdk_core.dispatch_components import (AbstractRequestInterceptor,
                                              AbstractResponseInterceptor)

from skill import local_time, memory
from skill.routines import STRETCHES, Walk
from skill.speech import Voice, speech
from skill.stores import whole

VERSION = 1
# Requests a person hears an answer to. Only these may ask Alexa for the time zone: a session
# that ended, a system event or a name-free "can you?" is answered in silence, with no call.
SPOKEN_REQUESTS = frozenset({"LaunchRequest", "IntentRequest", "Connections.Response"})


@dataclass
class SessionState:
    # The question the skill last asked, by name, so "yes" and "no" mean what it meant.
    question: str | None = None
    # Which question of the short check is open (index into skill/symptoms.toml [[check]]).
    triage_step: int = 0
    walk: Walk | None = None
    # A routine set aside for the guided relief (a cramp mid-bedtime), to go back to after it.
    set_aside: Walk | None = None
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
    # A reminder time heard but not yet confirmed ("21:00"), while "Nine at night?" is open.
    reminder_at: str | None = None
    # The part of the day said for the reminder before its time ("every morning": MORNING), and
    # the time said no to ("21:00"), while "what time?" is open (skill/reminder_times.py).
    reminder_part: str | None = None
    reminder_refused: str | None = None
    # The sign a symptom question is about (a SYMPTOM id: "did it come on suddenly?"), for this
    # session only.
    checking: str | None = None

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
            set_aside=Walk.from_attributes(attributes.get("set_aside")),
            muscle=text("muscle") if text("muscle") in STRETCHES else "general",
            topic=text("topic"),
            last_speech=text("last_speech"),
            last_reprompt=text("last_reprompt"),
            time_zone=text("time_zone"),
            reminder_at=text("reminder_at"),
            reminder_part=text("reminder_part"),
            reminder_refused=text("reminder_refused"),
            checking=text("checking"),
        )

    def to_attributes(self) -> dict:
        # By hand rather than dataclasses.asdict, which deep-copies and costs a tenth of a warm
        # request; the result is serialised straight away, so a shallow copy is enough.
        attributes = dict(vars(self))
        attributes["walk"] = dict(vars(self.walk)) if self.walk is not None else None
        attributes["set_aside"] = dict(vars(self.set_aside)) if self.set_aside else None
        attributes["version"] = VERSION
        return {name: value for name, value in attributes.items()
                if value not in (None, {}) or name == "walk"}


def state(handler_input) -> SessionState:
    """This request's session state, as `LoadSession` read it."""
    return handler_input.attributes_manager.request_attributes["state"]


class LoadSession(AbstractRequestInterceptor):
    """Reads the session's state and picks this request's voice, once, for the handler to use.

    `cannot_wait(handler_input)` says whether the answer may be what to do for a cramp (the state
    is loaded by then): its voice never waits for the Settings API (skill.local_time)."""

    def __init__(self, cannot_wait: Callable[[Any], bool] = lambda handler_input: False):
        self.cannot_wait = cannot_wait

    def process(self, handler_input):
        attributes = handler_input.attributes_manager.request_attributes
        envelope = handler_input.request_envelope
        session = envelope.session
        current = SessionState.from_attributes(session.attributes if session is not None else None)
        attributes["state"] = current
        # The night voice may need the Settings API (a network call, at most once a session):
        # asked here, in the open, only for a request someone will hear, and never while someone
        # may be waiting to hear what to do for a cramp.
        night = (getattr(envelope.request, "object_type", None) in SPOKEN_REQUESTS
                 and local_time.is_night(handler_input, current,
                                         may_wait=not self.cannot_wait(handler_input)))
        locale = getattr(envelope.request, "locale", None)
        # Any locale, even a missing or malformed one, gets English (skill.speech.locale_chain).
        attributes["voice"] = Voice(speech(), locale if isinstance(locale, str) else "",
                                    night=night)


class SaveSession(AbstractResponseInterceptor):
    """Writes what is remembered if it changed, remembers what was just said (for "repeat"), and
    puts the state back into the session. Not run after an exception handler."""

    def process(self, handler_input, response):
        remembered = memory.save(handler_input)
        if handler_input.request_envelope.session is None:
            return
        current = state(handler_input)
        if response is not None and response.output_speech is not None:
            current.last_speech = response.output_speech.ssml
            current.last_reprompt = (response.reprompt.output_speech.ssml
                                     if response.reprompt is not None else None)
        session_attributes = handler_input.attributes_manager.session_attributes
        session_attributes.clear()
        session_attributes.update(current.to_attributes())
        if remembered is not None:
            session_attributes[memory.SESSION_KEY] = remembered
