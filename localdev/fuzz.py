"""Hostile and broken Alexa request envelopes, as Hypothesis strategies, and the one property
every envelope must meet.

Shared by `tests/test_hostile.py` (a few hundred examples per run) and `benchmarks/fuzz.py`
(tens of thousands). Each envelope starts as a plausible request built the way a device builds
one (`localdev.envelopes`), then is bent: fields dropped or given the wrong type, unknown request
types and intents, huge and strange slot values, attributes from an older version of the skill,
stale or malformed timestamps, another skill's id.

The property (`problems`): the handler answers with a valid Alexa response whose every SSML is
valid, or, only when the skill knows its own id, refuses an envelope that is not for it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from hypothesis import strategies as st

from localdev.envelopes import DEFAULT_SKILL_ID, Conversation, Device, SlotFill
from localdev.matcher import MODELS_DIR

OTHER_SKILL_ID = "amzn1.ask.skill.99999999-9999-9999-9999-999999999999"


def _model() -> dict:
    return json.loads((MODELS_DIR / "en-US.json").read_text(encoding="utf-8"))[
        "interactionModel"]["languageModel"]


_MODEL = _model()
MODEL_INTENTS = [intent["name"] for intent in _MODEL["intents"]]
MUSCLE_IDS = [value.get("id") or value["name"]["value"]
              for slot_type in _MODEL["types"] if slot_type["name"] == "MUSCLE"
              for value in slot_type["values"]]
BUILTIN_INTENTS = ["AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.HelpIntent",
                   "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
                   "AMAZON.NavigateHomeIntent", "AMAZON.RepeatIntent", "AMAZON.NextIntent",
                   "AMAZON.PreviousIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
                   "AMAZON.StartOverIntent", "AMAZON.ScrollUpIntent", "AMAZON.MoreIntent"]
REQUEST_TYPES = ["LaunchRequest", "IntentRequest", "SessionEndedRequest",
                 "CanFulfillIntentRequest", "Alexa.Presentation.APL.UserEvent",
                 "AlexaSkillEvent.SkillEnabled", "AlexaSkillEvent.SkillPermissionAccepted",
                 "Connections.Response", "Reminders.ReminderCreated",
                 "System.ExceptionEncountered", "Messaging.MessageReceived",
                 "AudioPlayer.PlaybackStarted", "Display.ElementSelected",
                 "Dialog.InputRequest", "FutureRequest.NotInvented"]
SESSION_END_REASONS = ["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS", "NOT_A_REASON"]
LOCALES = ["en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE", "fr-FR", "ja-JP", "es-419",
           "", "en", "EN-us", "../../etc/passwd", "xx-XX"]

# Text that has broken speech renderers before: markup, entities, control characters, emoji,
# right-to-left marks, and things Jinja2 or XML might take for syntax.
NASTY_TEXT = ["<b>&", "</speak><speak>", "]]>", "{{ 7*7 }}", "{% raw %}", "&amp;", "\x00",
              "\x1b[31m", "\u202e", "\ufeff", "😖🦵", "' OR 1=1 --", "\\", '"', "a" * 9000]

# Only what JSON can carry: Alexa cannot send NaN or Infinity.
JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30) | st.sampled_from(NASTY_TEXT))
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (st.lists(children, max_size=4)
                      | st.dictionaries(st.text(max_size=12), children, max_size=4)),
    max_leaves=12)

STRANGE_TEXT = (st.text(max_size=60)
                | st.sampled_from(NASTY_TEXT)
                | st.builds(lambda part, times: part * times,
                            st.text(min_size=1, max_size=12), st.integers(1, 3000)))


# Where the skill would call Alexa's APIs: nowhere that answers (a closed loopback port, so the
# run never waits on a network), or somewhere it must refuse to call.
API_ENDPOINTS = st.sampled_from(["http://127.0.0.1:9", "http://127.0.0.1:9",
                                 "http://evil.example.com", "ftp://127.0.0.1", "", "not a url"])


# --- the plausible envelope ------------------------------------------------------------------

@st.composite
def slot_fills(draw, slot_type: str | None) -> SlotFill | str | None:
    """What Alexa heard for a slot: nothing, words that resolved to a value, or anything."""
    kind = draw(st.sampled_from(["none", "resolved", "words", "strange"]))
    if kind == "none":
        return None
    if kind == "resolved" and slot_type == "MUSCLE":
        value_id = draw(st.sampled_from(MUSCLE_IDS + ["NOT_AN_ID", ""]))
        return SlotFill(draw(st.text(max_size=20)), value_id, draw(st.text(max_size=20)))
    if kind == "resolved" and slot_type == "PART_OF_DAY":
        value_id = draw(st.sampled_from(["MORNING", "AFTERNOON", "EVENING", "NIGHT", "NOON", ""]))
        return SlotFill(draw(st.text(max_size=20)), value_id, draw(st.text(max_size=20)))
    if kind == "words" and slot_type == "AMAZON.TIME":
        return draw(st.sampled_from(["21:00", "09:30", "EV", "NI", "MO", "AF", "25:61", "T21",
                                     "nine pm"]))
    return draw(STRANGE_TEXT)


@st.composite
def old_attributes(draw) -> dict:
    """Session attributes as this or an older (or damaged) version of the skill left them."""
    walk = st.fixed_dictionaries({}, optional={
        "routine": st.sampled_from(["bedtime", "relief", "yoga", ""]) | JSON_SCALARS,
        "step": st.integers(-2, 50) | JSON_SCALARS,
        "paused": st.booleans() | JSON_SCALARS,
        "muscle": st.sampled_from(["calf", "foot", "general"]) | STRANGE_TEXT,
        "said_at": st.integers(-5, 2_000_000_000) | JSON_SCALARS,
        "hold_ends": st.lists(st.integers(-5, 5000) | JSON_SCALARS, max_size=5) | JSON_VALUES,
        "holds_end": st.integers(-5, 5000) | JSON_SCALARS,
        "done": st.integers(-2, 200) | JSON_SCALARS,
    }) | JSON_VALUES
    plausible = {
        "version": st.sampled_from([0, 1, 2, 99, "1", None]),
        "question": st.sampled_from(["offer_relief", "offer_bedtime", "offer_prevent", "triage",
                                     "walk_continue", "offer_reminder", "back_to_routine",
                                     "offer_relief_at_night", "reminder_time", "confirm_time", "",
                                     None]) | JSON_SCALARS,
        # A reminder's time waiting for a yes, the part of the day said, the time said no to.
        "reminder_at": st.sampled_from(["21:00", "03:00", "25:00", ""]) | JSON_SCALARS,
        "reminder_part": st.sampled_from(["MORNING", "NIGHT", "NOON", ""]) | JSON_SCALARS,
        "reminder_refused": st.sampled_from(["21:00", "03:00", "9"]) | JSON_SCALARS,
        "triage_step": st.integers(-3, 200) | JSON_SCALARS,
        "walk": walk,
        # A routine set aside for the guided relief (a cramp mid-bedtime).
        "set_aside": walk,
        "muscle": st.sampled_from(["calf", "foot", "thigh", "general"]) | STRANGE_TEXT,
        "topic": st.sampled_from(["cramp", "bedtime", "relief", "doctor", "prevent"])
        | STRANGE_TEXT,
        # What an older version said last (it prompted: the session stayed open), or damage.
        "last_speech": st.sampled_from([
            "<speak>Ready for the next one?</speak>", "Say next when you're ready.",
            "<speak><speak>Nested?</speak></speak>", "<speak><b>Bold?</b></speak>",
            '<speak>Hold. <break time="30s"/> Next?</speak>', "<speak><b></speak>",
            "<speak>" + "Again? " * 1200 + "</speak>"]) | STRANGE_TEXT,
        "last_reprompt": st.sampled_from(["<speak>Shall we go on?</speak>", "Well?"])
        | STRANGE_TEXT,
        "extras": JSON_VALUES,
        # Names an older version might have used.
        "state": JSON_VALUES, "step": JSON_VALUES, "lastSpeech": JSON_VALUES,
    }
    attributes = draw(st.fixed_dictionaries({}, optional=plausible))
    attributes.update(draw(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=3)))
    return attributes


def _timestamps(now: datetime) -> st.SearchStrategy:
    moments = st.sampled_from([0, -30, -151, -3600, -86400 * 400, 120, 86400 * 30])
    return (moments.map(lambda s: (now + timedelta(seconds=s)).strftime("%Y-%m-%dT%H:%M:%SZ"))
            | st.sampled_from(["", "yesterday", "2024-02-30T25:61:00Z", "0000-00-00T00:00:00Z",
                               "2024-06-01T03:00:00.123456789+05:30", "1e309", "NaN"])
            | JSON_SCALARS)


@st.composite
def plausible_envelopes(draw) -> dict:
    """A request as a device would send it, with any request type, intent and session."""
    skill_id = draw(st.sampled_from([DEFAULT_SKILL_ID, DEFAULT_SKILL_ID, OTHER_SKILL_ID]))
    conversation = Conversation(handler=None, locale=draw(st.sampled_from(LOCALES)),
                                skill_id=skill_id,
                                device=Device(screen=draw(st.booleans()),
                                              api_endpoint=draw(API_ENDPOINTS)))
    request_type = draw(st.sampled_from(REQUEST_TYPES))
    if request_type == "IntentRequest":
        name = draw(st.sampled_from(MODEL_INTENTS + BUILTIN_INTENTS) | st.text(max_size=40))
        slots = {}
        if name == "LegCrampIntent" or draw(st.booleans()):
            slots["Muscle"] = draw(slot_fills("MUSCLE"))
        if name == "StretchReminderIntent" or draw(st.booleans()):
            slots["Time"] = draw(slot_fills("AMAZON.TIME"))
        conversation.slot_types = {name: {"Muscle": "MUSCLE", "Time": "AMAZON.TIME"}}
        envelope = conversation.intent_request(name, slots)
    elif request_type == "SessionEndedRequest":
        envelope = conversation.session_ended_request(draw(st.sampled_from(SESSION_END_REASONS)))
    elif request_type == "LaunchRequest":
        envelope = conversation.launch_request()
    else:
        envelope = conversation.envelope({"type": request_type})
    if draw(st.booleans()):
        envelope["session"]["new"] = False
        envelope["session"]["attributes"] = draw(old_attributes())
    envelope["request"]["timestamp"] = draw(_timestamps(datetime.now(timezone.utc)))
    return envelope


# --- bending it ------------------------------------------------------------------------------

def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, prefix + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, prefix + (index,))
    return found


def _parent(envelope: Any, path: tuple) -> Any:
    node = envelope
    for key in path[:-1]:
        node = node[key]
    return node


@st.composite
def mutated(draw, base: st.SearchStrategy) -> Any:
    """`base` with a few fields dropped, retyped or replaced; now and then not a dict at all."""
    if draw(st.integers(0, 49)) == 0:
        return draw(JSON_VALUES)
    envelope = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(envelope)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(envelope, path)
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON_VALUES)
    return envelope


def envelopes() -> st.SearchStrategy:
    """Hostile envelopes: about a third as a device sends them, the rest bent."""
    return st.one_of(plausible_envelopes(), mutated(plausible_envelopes()),
                     mutated(plausible_envelopes()))


# --- the property ----------------------------------------------------------------------------

def application_ids(event: Any) -> list:
    """Every application id the envelope names, wherever Alexa puts one."""
    found = []
    if isinstance(event, dict):
        for outer in ("context", "session"):
            node = event.get(outer)
            if outer == "context" and isinstance(node, dict):
                node = node.get("System")
            node = node.get("application") if isinstance(node, dict) else None
            if isinstance(node, dict):
                found.append(node.get("applicationId"))
    return found


def for_this_skill(event: Any, skill_id: str) -> bool:
    ids = application_ids(event)
    return bool(ids) and all(found == skill_id for found in ids)


def _request_view(event: Any) -> dict:
    """The parts of a possibly broken envelope that the response rules look at."""
    view: dict = {"request": {}, "context": {}}
    if not isinstance(event, dict):
        return view
    request = event.get("request")
    if isinstance(request, dict) and isinstance(request.get("type"), str):
        view["request"] = {"type": request["type"]}
    system = event.get("context", {}).get("System") if isinstance(event.get("context"),
                                                                  dict) else None
    device = system.get("device") if isinstance(system, dict) else None
    interfaces = device.get("supportedInterfaces") if isinstance(device, dict) else None
    if isinstance(interfaces, dict):
        view["context"] = {"System": {"device": {"supportedInterfaces": interfaces}}}
    return view


def problems(handler: Callable[[Any, Any], dict], event: Any, skill_id: str | None,
             refused: type[Exception],
             response_rules: Callable[[dict, dict], list[str]]) -> list[str]:
    """What is wrong with how `handler` treated `event`; empty when all is well.

    `response_rules(request, response)` lists what breaks Alexa's rules (localdev.alexa_rules)."""
    try:
        raw = handler(event, None)
    except refused:
        if skill_id is None:
            return ["refused a request although the skill has no id to check"]
        if for_this_skill(event, skill_id):
            return ["refused a request for this skill"]
        return []
    if skill_id is not None and not for_this_skill(event, skill_id):
        return ["answered a request that is not for this skill"]
    if not isinstance(raw, dict):
        return [f"answered with {type(raw).__name__}, not a response envelope"]
    try:
        json.dumps(raw, allow_nan=False)
    except (TypeError, ValueError) as error:
        return [f"response is not JSON: {error}"]
    return response_rules(_request_view(event), raw)
