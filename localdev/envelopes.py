"""Real Alexa request envelopes, built the way a device sends them, and a conversation that keeps
the session across turns.

The tests and the local chat console both talk to the skill through `Conversation`, which sends
each envelope through the same `handler(event, context)` that Lambda calls.
"""

from __future__ import annotations

import copy
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from localdev.slot_fill import SlotFill

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-00000000c4a3"
DEFAULT_USER_ID = "amzn1.ask.account.LOCALDEVELOPER"
DEFAULT_DEVICE_ID = "amzn1.ask.device.LOCALDEVICE"

Handler = Callable[[dict, Any], dict]


def _new_id(kind: str) -> str:
    return f"amzn1.echo-api.{kind}.{uuid.uuid4()}"


def _timestamp(moment: datetime | None) -> str:
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def slot_json(name: str, fill: SlotFill | str | None, slot_type: str | None = None) -> dict:
    """One slot as Alexa sends it; an unfilled slot has a name and no value."""
    if isinstance(fill, str):
        fill = SlotFill(fill)
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if fill is None:
        return slot
    slot["value"] = fill.value
    slot["source"] = "USER"
    custom_type = slot_type is not None and not slot_type.startswith("AMAZON.")
    if fill.id is not None or custom_type:
        authority = f"amzn1.er-authority.echo-sdk.{DEFAULT_SKILL_ID}.{slot_type or 'CUSTOM'}"
        if fill.id is not None:
            slot["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": authority,
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": fill.name or fill.value, "id": fill.id}}],
            }]}
        else:
            slot["resolutions"] = {"resolutionsPerAuthority": [{
                "authority": authority,
                "status": {"code": "ER_SUCCESS_NO_MATCH"},
            }]}
    return slot


@dataclass
class Device:
    """What the request says about the device: its id and which interfaces it supports."""

    device_id: str = DEFAULT_DEVICE_ID
    screen: bool = False
    api_endpoint: str = "https://api.amazonalexa.com"
    api_access_token: str = "local-development-token"

    def system(self, skill_id: str, user: dict) -> dict:
        interfaces: dict[str, Any] = {}
        viewport: dict[str, Any] = {}
        if self.screen:
            interfaces["Alexa.Presentation.APL"] = {"runtime": {"maxVersion": "2023.3"}}
            viewport = {"Viewport": {"shape": "RECTANGLE", "pixelWidth": 1280,
                                     "pixelHeight": 800, "dpi": 160,
                                     "currentPixelWidth": 1280, "currentPixelHeight": 800}}
        return {
            "context": {
                "System": {
                    "application": {"applicationId": skill_id},
                    "user": user,
                    "device": {"deviceId": self.device_id,
                               "supportedInterfaces": interfaces},
                    "apiEndpoint": self.api_endpoint,
                    "apiAccessToken": self.api_access_token,
                },
                **viewport,
            }
        }


@dataclass
class Reply:
    """The skill's response, with the parts a test or a person reads."""

    raw: dict

    @property
    def response(self) -> dict:
        return self.raw.get("response") or {}

    @property
    def ssml(self) -> str | None:
        speech = self.response.get("outputSpeech")
        return speech.get("ssml") if speech else None

    @property
    def reprompt_ssml(self) -> str | None:
        reprompt = self.response.get("reprompt")
        return reprompt["outputSpeech"].get("ssml") if reprompt else None

    @property
    def text(self) -> str:
        return ssml_to_text(self.ssml or "")

    @property
    def reprompt_text(self) -> str:
        return ssml_to_text(self.reprompt_ssml or "")

    @property
    def ends_session(self) -> bool:
        # Alexa treats a missing shouldEndSession with no reprompt as "close after speaking".
        return self.response.get("shouldEndSession") is not False

    @property
    def attributes(self) -> dict:
        return self.raw.get("sessionAttributes") or {}

    @property
    def card(self) -> dict | None:
        return self.response.get("card")

    @property
    def directives(self) -> list[dict]:
        return self.response.get("directives") or []


_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<break\b[^>]*/>")
_SPACES = re.compile(r"\s+")


def ssml_to_text(ssml: str) -> str:
    """SSML as a person reads it: pauses shown as '...', tags dropped, entities unescaped."""
    import html

    text = _BREAK.sub(" … ", ssml)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r"\s+([.,!?;:])", r"\1", text)


@dataclass
class Conversation:
    """One person talking to the skill: keeps the session (id, attributes, new/not) across turns.

    Every turn builds a full request envelope and sends it through `handler(event, context)`.
    """

    handler: Handler
    locale: str = "en-US"
    skill_id: str = DEFAULT_SKILL_ID
    user_id: str = DEFAULT_USER_ID
    device: Device = field(default_factory=Device)
    now: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    slot_types: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    context: Any = None
    # Set when the person has granted the skill the reminders permission.
    consent_token: str | None = None

    session_id: str | None = None
    attributes: dict = field(default_factory=dict)
    history: list[tuple[dict, Reply]] = field(default_factory=list)
    _matcher: Any = None

    # --- envelopes -------------------------------------------------------------------------

    @property
    def in_session(self) -> bool:
        return self.session_id is not None

    def envelope(self, request: dict) -> dict:
        new = self.session_id is None
        if new:
            self.session_id = _new_id("session")
            self.attributes = {}
        user: dict[str, Any] = {"userId": self.user_id}
        if self.consent_token:
            user["permissions"] = {"consentToken": self.consent_token}
        envelope = {
            "version": "1.0",
            "session": {
                "new": new,
                "sessionId": self.session_id,
                "application": {"applicationId": self.skill_id},
                "attributes": copy.deepcopy(self.attributes),
                "user": user,
            },
            **self.device.system(self.skill_id, user),
            "request": {
                "requestId": _new_id("request"),
                "timestamp": _timestamp(self.now()),
                "locale": self.locale,
                **request,
            },
        }
        return envelope

    def launch_request(self) -> dict:
        # A launch always starts a new session, as on a device.
        self.session_id = None
        return self.envelope({"type": "LaunchRequest"})

    def intent_request(self, name: str, slots: Mapping[str, SlotFill | str | None] | None = None
                       ) -> dict:
        types = self.slot_types.get(name, {})
        slot_json_map = {slot: slot_json(slot, fill, types.get(slot))
                         for slot, fill in (slots or {}).items()}
        intent: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
        if slot_json_map:
            intent["slots"] = slot_json_map
        return self.envelope({"type": "IntentRequest", "intent": intent})

    def can_fulfill_request(self, name: str, slots: Mapping[str, SlotFill | str | None] | None = None
                            ) -> dict:
        """What Alexa asks before a name-free request reaches any skill: could you handle this?"""
        request = self.intent_request(name, slots)["request"]
        self.session_id = None
        return self.envelope({"type": "CanFulfillIntentRequest", "intent": request["intent"]})

    def permission_answer_request(self, status: str = "ACCEPTED", token: str = "") -> dict:
        """Alexa's answer to the skill's voice permission request (Connections.SendRequest)."""
        return self.envelope({
            "type": "Connections.Response", "name": "AskFor",
            "status": {"code": "200", "message": "OK"},
            "payload": {"permissionScopes": [{
                "permissionScope": "alexa::alerts:reminders:skill:readwrite",
                "consentLevel": "ACCOUNT"}], "status": status},
            "token": token,
        })

    def session_ended_request(self, reason: str = "USER_INITIATED") -> dict:
        request: dict[str, Any] = {"type": "SessionEndedRequest", "reason": reason}
        if reason == "ERROR":
            request["error"] = {"type": "INTERNAL_SERVICE_ERROR", "message": "local test"}
        return self.envelope(request)

    def skill_event_request(self, name: str, body: Mapping[str, Any] | None = None) -> dict:
        """A skill event (`AlexaSkillEvent.SkillDisabled`, ...): sent outside any session, with
        no session and no locale, as Alexa sends it to a subscribed skill."""
        user = {"userId": self.user_id}
        moment = _timestamp(self.now())
        return {
            "version": "1.0",
            **self.device.system(self.skill_id, user),
            "request": {"type": name, "requestId": _new_id("request"), "timestamp": moment,
                        "eventCreationTime": moment, "eventPublishingTime": moment,
                        "body": dict(body or {})},
        }

    # --- turns -----------------------------------------------------------------------------

    def send(self, envelope: dict) -> Reply:
        reply = Reply(self.handler(envelope, self.context))
        self.history.append((envelope, reply))
        if envelope["request"]["type"] == "SessionEndedRequest" or reply.ends_session:
            self.session_id = None
            self.attributes = {}
        else:
            self.attributes = copy.deepcopy(reply.attributes)
        return reply

    def launch(self) -> Reply:
        return self.send(self.launch_request())

    def intent(self, name: str, **slots: SlotFill | str | None) -> Reply:
        return self.send(self.intent_request(name, slots))

    def can_fulfill(self, name: str, **slots: SlotFill | str | None) -> Reply:
        return self.send(self.can_fulfill_request(name, slots))

    def permission_answer(self, status: str = "ACCEPTED", token: str = "") -> Reply:
        """Alexa comes back after asking for the permission. A "yes" grants it from now on."""
        if status == "ACCEPTED":
            self.consent_token = self.consent_token or "local-consent-token"
        return self.send(self.permission_answer_request(status, token))

    def end(self, reason: str = "USER_INITIATED") -> Reply:
        return self.send(self.session_ended_request(reason))

    def event(self, name: str, **body: Any) -> Reply:
        """A skill event; it leaves any open session as it was."""
        envelope = self.skill_event_request(name, body)
        reply = Reply(self.handler(envelope, self.context))
        self.history.append((envelope, reply))
        return reply

    def eliciting(self) -> dict | None:
        """The Dialog.ElicitSlot directive of the last response, while its session is open: the
        next words may answer it (localdev.matcher)."""
        if not (self.in_session and self.history):
            return None
        return next((d for d in self.history[-1][1].directives
                     if d.get("type") == "Dialog.ElicitSlot"), None)

    def say(self, utterance: str) -> Reply:
        """Say what a person would say: matched against the interaction model like a device."""
        from localdev.matcher import Matcher

        if self._matcher is None:
            self._matcher = Matcher.for_locale(self.locale)
        match = self._matcher.match(utterance, eliciting=self.eliciting())
        if match.intent is None:
            return self.launch()
        self.slot_types = {**self.slot_types, match.intent: match.slot_types}
        return self.intent(match.intent, **match.slots)
