"""One person talking to the skill from the demo page, as from an Echo.

Each utterance is matched against the locale's own interaction model (`localdev.matcher`:
unmatched is AMAZON.FallbackIntent, as on a device), sent as a real request envelope through the
Lambda entry point (`skill.app.handler`, by `localdev.envelopes.Conversation`, which keeps the
session), and the answer comes back as what the page needs: the transcript, the speech as a plan
of words and silences (`demo.speech_plan`), whether the microphone stays open, the screen.

The device's clock starts at the time chosen on the page (now, 3 a.m., 22:30, where the browser
is) and moves as speech does: with the real time that passes while the page speaks, pauses and
listens, plus whatever the person skipped ahead (the page says how much, with each request).

The clinic's details are the deployment's environment (CLINIC_NAME, CLINIC_PHONE,
CLINIC_BOOKING_URL, read by `skill/clinic.py` on each request): switched on, the values the demo
was started with, or an example clinic if none were given; switched off, none.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import time as monotonic_time
import traceback
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, timezone
from typing import Any, Callable
from zoneinfo import ZoneInfo

from localdev.api_stand_in import AlexaApiStandIn
from localdev.chat import turn
from localdev.environment import environment
from localdev.envelopes import DEFAULT_SKILL_ID, Conversation, Device, Reply, ssml_to_text
from localdev.matcher import MODELS_DIR, Matcher

from demo import speech_plan

# The moments a demo most needs: the night voice in the small hours, and in the evening.
TIMES = {"now": None, "03:00": time(3, 0), "22:30": time(22, 30)}
LOCALES = sorted(path.stem for path in MODELS_DIR.glob("*.json"))
CLINIC_VARIABLES = ("CLINIC_NAME", "CLINIC_PHONE", "CLINIC_BOOKING_URL")
# Shown when the clinic's details are switched on and the demo was started without them.
EXAMPLE_CLINIC = {"CLINIC_NAME": "Riverside Family Clinic", "CLINIC_PHONE": "555 0100",
                  "CLINIC_BOOKING_URL": "https://clinic.example/book"}
# What an Echo says when the skill's answer is not a valid response (the console's words).
SKILL_FAILED = "There was a problem with the requested skill's response."
# Alexa asks for the reminders permission in its own voice, not the skill's.
PERMISSION_QUESTION = ("{name} would like to create reminders for you. "
                       "Do you give it permission?")
MANIFEST = MODELS_DIR.parent / "skill.json"
MAX_UTTERANCE = 300

# One request at a time through the skill: the clinic's details are process environment, and
# the stand-in for Alexa's APIs answers one device time zone at a time.
_SKILL_LOCK = threading.Lock()


class MovingClock:
    """The device's clock: starts at a chosen moment, then runs with real time, plus any time
    the person skipped ahead."""

    def __init__(self, start: datetime, monotonic: Callable[[], float] = monotonic_time.monotonic):
        self.start, self.monotonic = start, monotonic
        self.began = monotonic()
        self.skipped = 0.0

    def advance(self, seconds: float) -> None:
        self.skipped += max(0.0, seconds)

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=self.monotonic() - self.began + self.skipped)


@dataclass(frozen=True)
class Settings:
    locale: str = "en-US"
    time: str = "now"
    screen: bool = True
    clinic: bool = False
    time_zone: str = "UTC"

    @classmethod
    def read(cls, data: dict, current: "Settings | None" = None) -> "Settings":
        """Settings from the page, each checked; anything missing or unknown keeps its value."""
        base = current or cls()
        changes: dict[str, Any] = {}
        if data.get("locale") in LOCALES:
            changes["locale"] = data["locale"]
        if data.get("time") in TIMES:
            changes["time"] = data["time"]
        for name in ("screen", "clinic"):
            if isinstance(data.get(name), bool):
                changes[name] = data[name]
        zone = data.get("time_zone")
        if isinstance(zone, str) and _valid_zone(zone):
            changes["time_zone"] = zone
        return replace(base, **changes)

    def start_moment(self) -> datetime:
        zone = ZoneInfo(self.time_zone)
        at = TIMES[self.time]
        if at is None:
            return datetime.now(timezone.utc)
        return datetime.combine(datetime.now(zone).date(), at, tzinfo=zone).astimezone(
            timezone.utc)


@functools.lru_cache(maxsize=None)
def skill_name(locale: str) -> str:
    """The skill's name in a locale, as the skill manifest publishes it."""
    locales = json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"][
        "publishingInformation"]["locales"]
    return (locales.get(locale) or next(iter(locales.values())))["name"]


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except Exception:
        return False
    return True


def clinic_environment(on: bool, configured: dict[str, str]) -> dict[str, str]:
    """The CLINIC_* variables for a request: what the demo was started with (or the example
    clinic if it was started with none), or none at all."""
    if not on:
        return {}
    return dict(configured) if configured.get("CLINIC_NAME") else dict(EXAMPLE_CLINIC)


@dataclass
class Talk:
    """The page's conversation: one person (their memory is kept under their own user id), one
    device at a time, a session while the microphone is open."""

    alexa_api: AlexaApiStandIn
    handler: Callable[[dict, Any], dict]
    clinic: dict[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    user_id: str = field(default_factory=lambda: f"amzn1.ask.account.DEMO{uuid.uuid4().hex}")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.conversation = self._new_conversation()
        # The token of the permission Alexa is asking for, while it waits for a yes or a no.
        self.permission_token: str | None = None

    def _new_conversation(self) -> Conversation:
        self.clock = MovingClock(self.settings.start_moment())
        device = Device(device_id=f"amzn1.ask.device.DEMO{uuid.uuid4().hex}",
                        screen=self.settings.screen, api_endpoint=self.alexa_api.url)
        return Conversation(handler=self._handle, locale=self.settings.locale,
                            skill_id=os.environ.get("SKILL_ID") or DEFAULT_SKILL_ID,
                            user_id=self.user_id, device=device, now=self.clock)

    def _handle(self, event: dict, context: Any) -> dict:
        clinic = clinic_environment(self.settings.clinic, self.clinic)
        variables = {name: clinic.get(name) or None for name in CLINIC_VARIABLES}
        with _SKILL_LOCK, environment(variables):
            self.alexa_api.time_zone = self.settings.time_zone
            return self.handler(event, context)

    # --- what the page asks ------------------------------------------------------------------

    def change(self, settings: Settings) -> dict:
        """Another device, language, time or clinic: the open session ends (as when a person
        walks away), and the next words start a new one on the new settings. What the skill
        remembers about the person stays."""
        with self.lock:
            ended = self._end("USER_INITIATED")
            self.settings = settings
            self.conversation = self._new_conversation()
            self.permission_token = None
            return {"ended": ended, "settings": self.describe()}

    def say(self, words: str, skipped: float = 0.0) -> dict:
        with self.lock:
            self.clock.advance(skipped)
            words = " ".join(words.split())[:MAX_UTTERANCE]
            matcher = Matcher.for_locale(self.settings.locale)
            try:
                if self.permission_token is not None:
                    heard, reply = self._permission_answer(matcher, words)
                else:
                    heard, reply = self._turn(matcher, words)
            except Exception:
                traceback.print_exc()
                self.conversation.session_id, self.conversation.attributes = None, {}
                self.permission_token = None
                return {"heard": {"words": words}, "failed": True,
                        "speech": _speech(f"<speak>{SKILL_FAILED}</speak>"), "reprompt": None,
                        "ends_session": True, "screen": None, "card": None,
                        "permission": None, "at": self.local_time()}
            return self._answer(heard, reply)

    def end(self, reason: str, skipped: float = 0.0) -> dict:
        """The microphone closes without an answer (the person said nothing after the
        reprompt, or walked away): Alexa sends the skill a SessionEndedRequest."""
        with self.lock:
            self.clock.advance(skipped)
            self.permission_token = None
            return {"ended": self._end(reason)}

    # --- inside ------------------------------------------------------------------------------

    def _turn(self, matcher: Matcher, words: str) -> tuple[dict, Reply]:
        reply = turn(self.conversation, matcher, words)
        return _heard(words, self.conversation.history[-1][0]), reply

    def _permission_answer(self, matcher: Matcher, words: str) -> tuple[dict, Reply]:
        """Alexa's own question: a yes grants the permission, anything else declines it."""
        token, self.permission_token = self.permission_token, None
        granted = matcher.match(words).intent == "AMAZON.YesIntent"
        status = "ACCEPTED" if granted else "DENIED"
        reply = self.conversation.permission_answer(status, token)
        return {"words": words, "request": "Connections.Response", "permission": status}, reply

    def _end(self, reason: str) -> bool:
        if not self.conversation.in_session:
            return False
        try:
            self.conversation.end(reason)
        except Exception:
            traceback.print_exc()
            self.conversation.session_id, self.conversation.attributes = None, {}
        return True

    def _answer(self, heard: dict, reply: Reply) -> dict:
        envelope = self.conversation.history[-1][0]
        asks = next((d for d in reply.directives if d.get("name") == "AskFor"), None)
        permission = None
        if asks is not None:
            # Alexa asks next, in its own voice, and listens for the answer.
            self.permission_token = asks.get("token", "")
            name = skill_name(self.settings.locale)
            permission = _speech(f"<speak>{PERMISSION_QUESTION.format(name=name)}</speak>")
        screen = next(({"document": d.get("document"), "datasources": d.get("datasources")}
                       for d in reply.directives
                       if d.get("type") == "Alexa.Presentation.APL.RenderDocument"), None)
        return {
            "heard": heard,
            "at": self.local_time(),
            "speech": _speech(reply.ssml),
            "reprompt": _speech(reply.reprompt_ssml) if reply.reprompt_ssml else None,
            "ends_session": reply.ends_session and permission is None,
            "screen": screen,
            "card": reply.card,
            "permission": permission,
            "failed": False,
            "request": envelope,
            "response": reply.raw,
        }

    def local_time(self) -> str:
        return self.clock().astimezone(ZoneInfo(self.settings.time_zone)).strftime("%H:%M:%S")

    def describe(self) -> dict:
        settings = self.settings
        clinic = clinic_environment(settings.clinic, self.clinic)
        return {"locale": settings.locale, "time": settings.time, "screen": settings.screen,
                "skill_name": skill_name(settings.locale),
                "clinic": settings.clinic, "time_zone": settings.time_zone,
                "clinic_details": {name.removeprefix("CLINIC_").lower(): value
                                   for name, value in clinic.items()},
                "at": self.local_time()}


def _heard(words: str, envelope: dict) -> dict:
    """What the device made of the words: a launch, or an intent and its slots' values (as
    resolved to the slot type's own name, where they were)."""
    request = envelope["request"]
    if request["type"] != "IntentRequest":
        return {"words": words, "request": request["type"]}
    slots = {}
    for name, slot in (request["intent"].get("slots") or {}).items():
        if "value" not in slot:
            continue
        resolved = [value["value"]["name"]
                    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", [])
                    for value in authority.get("values", [])]
        slots[name] = resolved[0] if resolved else slot["value"]
    return {"words": words, "request": "IntentRequest", "intent": request["intent"]["name"],
            "slots": slots}


def _speech(ssml: str | None) -> dict:
    return {"ssml": ssml or "", "text": ssml_to_text(ssml or ""),
            "plan": speech_plan.as_json(speech_plan.plan(ssml))}
