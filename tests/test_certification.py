"""Alexa's functional certification checklist, walked against the real handler.

Each check below is one a certification tester makes by hand. Most are written for every state
the conversation can be in: the named states (top level, after an offer, inside a walkthrough,
inside triage...) and, for the checks that must hold everywhere, every state reached by saying
every intent of the interaction model from every state, a few turns deep, on a device without a
screen and one with. They are written about what the skill may send, not about which features it
has, so they keep holding as features land: no APL directive to a device without APL, no
permission asked for that the manifest does not declare, and so on.

Alexa's response rules (SSML, a session that stays open prompts and has a reprompt, silence on
SessionEndedRequest) are asserted on every response by the `talk` fixture (tests/alexa_rules.py).
"""

from __future__ import annotations

import copy
import json
import re
from collections import deque
from pathlib import Path

import pytest

from localdev.envelopes import Device, Reply, SlotFill
from localdev.matcher import MODELS_DIR, normalize
from tests.locales import LOCALES

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "skill.json"
SESSION_END_REASONS = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS")
EXITS = ("AMAZON.StopIntent", "AMAZON.CancelIntent")


def model(locale: str = "en-US") -> dict:
    return json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))[
        "interactionModel"]["languageModel"]


def manifest() -> dict | None:
    """skill.json's manifest, or None where the repository has none yet."""
    if not MANIFEST.is_file():
        return None
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]


def declared_permissions() -> set[str]:
    found = manifest() or {}
    return {permission["name"] for permission in found.get("permissions", [])}


# --- the named states --------------------------------------------------------------------------

def _launch(talk):
    talk.launch()


def _cramp_offer(talk):
    talk.say("i have a leg cramp")


def _relief_walk(talk):
    talk.say("i have a leg cramp")
    talk.say("yes")


def _bedtime_walk(talk):
    talk.say("walk me through a bedtime stretch")


def _relief_paused(talk):
    # A pause at bedtime keeps the place and closes; mid-cramp it waits, listening.
    talk.say("i have a leg cramp")
    talk.say("yes")
    talk.say("pause")


def _triage(talk):
    talk.say("should i see a doctor")


def _deep_triage(talk):
    talk.say("should i see a doctor")
    talk.say("yes")
    talk.say("no")
    talk.say("no")


def _prevent_offer(talk):
    talk.say("how do i prevent cramps")


def _causes_offer(talk):
    talk.say("what causes leg cramps")


STATES = {
    "top level": _launch,
    "after the cramp answer, offering to talk them through": _cramp_offer,
    "inside the relief walkthrough": _relief_walk,
    "inside the bedtime walkthrough": _bedtime_walk,
    "relief walkthrough, paused": _relief_paused,
    "inside triage": _triage,
    "deep in triage": _deep_triage,
    "after prevention tips, offering the stretch": _prevent_offer,
    "after causes, offering prevention": _causes_offer,
}


@pytest.fixture(params=sorted(STATES))
def state(request, talk):
    """A conversation left in one of the named states, its session open."""
    STATES[request.param](talk)
    assert talk.in_session, f"{request.param}: the session closed on the way there"
    return request.param, talk


def ends_with_a_question(reply: Reply) -> bool:
    return reply.text.rstrip().endswith("?")


# --- launch ------------------------------------------------------------------------------------

def test_launch_says_what_the_skill_does_asks_and_keeps_the_session_open(new_talk):
    first = new_talk().launch()
    returning = new_talk().launch()
    for reply in (first, returning):
        assert not reply.ends_session and reply.reprompt_text
        assert ends_with_a_question(reply)
        assert "cramp" in reply.text.lower() and "bedtime stretch" in reply.text.lower()


def test_launch_with_a_routine_left_unfinished_still_asks_and_keeps_the_session_open(new_talk):
    talk = new_talk()
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("stop")
    reply = new_talk().launch()
    assert not reply.ends_session and reply.reprompt_text and ends_with_a_question(reply)


# --- example phrases -------------------------------------------------------------------------

def _example_phrases() -> list[tuple[str, str]]:
    found = manifest()
    if found is None:
        return []
    return [(locale, phrase)
            for locale, listing in sorted(found["publishingInformation"]["locales"].items())
            for phrase in listing.get("examplePhrases", [])]


LAUNCH_PHRASES = ("open", "launch", "start", "begin", "load", "run", "use")
CONNECTING_WORDS = ("to", "for", "about", "if", "whether", "and", "that")


def _intent_of(language: dict, words: str) -> str | None:
    """The intent one of whose sample utterances these words are, exactly."""
    for intent in language["intents"]:
        if any(normalize(sample) == words for sample in intent.get("samples", [])):
            return intent["name"]
    return None


@pytest.mark.parametrize("locale, phrase", _example_phrases())
def test_every_example_phrase_is_a_sample_utterance_and_works_one_shot(new_talk, locale,
                                                                       phrase):
    language = model(locale)
    invocation = normalize(language["invocationName"])
    words = normalize(phrase)
    assert words.startswith("alexa "), "an example phrase starts with the wake word"
    verb, _, rest = words.removeprefix("alexa ").partition(" ")
    assert rest.startswith(invocation), "then a launch phrase and the invocation name"
    request = rest.removeprefix(invocation).strip()

    talk = new_talk(locale=locale)
    reply = talk.say(phrase)
    sent = talk.history[-1][0]
    assert sent["session"]["new"] is True, "one-shot: the phrase opens the session"
    if not request:
        assert verb in LAUNCH_PHRASES and sent["request"]["type"] == "LaunchRequest"
        assert not reply.ends_session and ends_with_a_question(reply)
        return
    assert verb in ("ask", "tell"), phrase
    connector, _, after = request.partition(" ")
    intent = _intent_of(language, request) or (
        _intent_of(language, after) if connector in CONNECTING_WORDS else None)
    assert intent is not None, f"{phrase!r}: {request!r} is not a sample utterance"
    assert sent["request"]["intent"]["name"] == intent
    assert reply.text and not reply.text.startswith("Sorry")


def test_the_manifest_declares_no_more_than_three_example_phrases_a_locale():
    found = manifest()
    for locale, listing in found["publishingInformation"]["locales"].items():
        assert 1 <= len(listing.get("examplePhrases", [])) <= 3, locale


# --- help, stop, cancel, session end, fallback in every named state ---------------------------

def test_help_is_specific_to_where_you_are_and_keeps_the_session_open(state):
    name, talk = state
    before = talk.history[-1][1]
    reply = talk.say("help")
    assert not reply.ends_session and reply.reprompt_text
    assert ends_with_a_question(reply)
    if "walkthrough" in name:
        assert "next" in reply.text.lower() and "stop" in reply.text.lower()
    if "triage" in name:
        assert "yes or no" in reply.text.lower()
    assert reply.ssml != before.ssml


def test_help_differs_between_the_top_level_a_walkthrough_and_triage(new_talk):
    said = {}
    for name in ("top level", "inside the bedtime walkthrough", "inside triage"):
        talk = new_talk()
        STATES[name](talk)
        said[name] = talk.say("help").text
    assert len(set(said.values())) == 3


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_and_cancel_close_the_session_from_every_state(state, words):
    _, talk = state
    reply = talk.say(words)
    assert reply.ends_session and not reply.reprompt_ssml
    assert not ends_with_a_question(reply)


@pytest.mark.parametrize("reason", SESSION_END_REASONS)
def test_session_ended_with_every_reason_is_answered_silently_from_every_state(state, reason):
    _, talk = state
    reply = talk.end(reason)
    assert reply.ssml is None and reply.reprompt_ssml is None
    assert reply.card is None and reply.directives == []


def test_fallback_is_helpful_from_every_state(state):
    name, talk = state
    reply = talk.intent("AMAZON.FallbackIntent")
    assert not reply.ends_session and reply.reprompt_text
    assert ends_with_a_question(reply) or re.search(r"\bsay\b", reply.text, re.I)
    assert "went wrong" not in reply.text
    if talk.attributes.get("question"):
        # A question is open: the fallback says how to answer it.
        assert re.search(r"yes or (a )?no|say (yes|next|no)|\bnext\b", reply.text, re.I), name


# --- everywhere: the whole conversation, explored ---------------------------------------------

def _moves(language: dict) -> list[tuple[str, dict]]:
    """Every intent of the model, with slots a person would fill, and the built-ins."""
    slots = {"Muscle": SlotFill("calf", "CALF", "calf"), "Time": SlotFill("21:00")}
    moves = [("LegCrampIntent", {})]
    for intent in language["intents"]:
        filled = {slot["name"]: slots[slot["name"]] for slot in intent.get("slots", [])
                  if slot["name"] in slots}
        moves.append((intent["name"], filled))
    for builtin in ("AMAZON.YesIntent", "AMAZON.NoIntent", "AMAZON.HelpIntent",
                    "AMAZON.FallbackIntent", "AMAZON.RepeatIntent", "AMAZON.NextIntent",
                    "AMAZON.PreviousIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
                    "AMAZON.StartOverIntent", "AMAZON.NavigateHomeIntent", *EXITS):
        if builtin not in {name for name, _ in moves}:
            moves.append((builtin, {}))
    return moves


# What varies without changing where the conversation is.
_NOT_WHERE = ("last_speech", "last_reprompt", "time_zone", "memory", "version")


def _where(attributes: dict) -> str:
    return json.dumps({key: value for key, value in attributes.items() if key not in _NOT_WHERE},
                      sort_keys=True)


DIRECTIVE_INTERFACES = {"Alexa.Presentation.APL.": "Alexa.Presentation.APL",
                        "Alexa.Presentation.APLT.": "Alexa.Presentation.APLT",
                        "AudioPlayer.": "AudioPlayer", "VideoApp.": "VideoApp",
                        "Display.": "Display"}


def permission_scopes(reply: Reply) -> set[str]:
    """Every permission the response asks the person for: by card, or by voice."""
    scopes = set()
    card = reply.card or {}
    if card.get("type") == "AskForPermissionsConsent":
        scopes |= set(card.get("permissions") or [])
    for directive in reply.directives:
        asked = None
        if directive.get("type") == "Connections.SendRequest" and \
                directive.get("name") == "AskFor":
            asked = directive.get("payload") or {}
        if directive.get("type") == "Connections.StartConnection" and \
                "AskForPermissionsConsent" in directive.get("uri", ""):
            asked = directive.get("input") or {}
        if asked is not None:
            # Version 1 names one scope; version 2 lists them.
            if "permissionScope" in asked:
                scopes.add(asked["permissionScope"])
            scopes |= {entry.get("permissionScope") for entry in
                       asked.get("permissionScopes", [])}
    return scopes


def allowed_problems(request: dict, reply: Reply, permissions: set[str]) -> list[str]:
    """What the response sends that this device and this request do not allow."""
    problems = []
    interfaces = request["context"]["System"]["device"].get("supportedInterfaces", {})
    for directive in reply.directives:
        kind = directive.get("type", "")
        for prefix, interface in DIRECTIVE_INTERFACES.items():
            if kind.startswith(prefix) and interface not in interfaces:
                problems.append(f"{kind} to a device without {interface}")
    undeclared = permission_scopes(reply) - permissions
    if undeclared:
        problems.append(f"asks for permissions the manifest does not declare: {undeclared}")
    card = reply.card or {}
    if card.get("type") == "LinkAccount" and "accountLinking" not in json.dumps(manifest()):
        problems.append("a LinkAccount card, with no account linking")
    if request["request"]["type"] == "SessionEndedRequest" and (reply.card or reply.directives):
        problems.append("a card or directive in answer to SessionEndedRequest")
    if reply.ends_session and ends_with_a_question(reply):
        problems.append(f"asks a question and closes the session: {reply.text[-80:]!r}")
    return problems


def explore(new_talk, device: Device, locale: str = "en-US", depth: int = 3) -> dict:
    """Every state reachable in `depth` turns from a fresh session, by saying every move from
    every state. Returns what was sent and answered, and the answers from each open state."""
    language = model(locale)
    moves = _moves(language)
    permissions = declared_permissions()
    answered = []          # (request, reply)
    from_state = {}        # where -> {(intent, slots...): reply}
    attributes_at = {}     # where -> session attributes

    def send(attributes: dict | None, move) -> Reply:
        talk = new_talk(device=device, locale=locale)
        if attributes is not None:
            talk.session_id = "amzn1.echo-api.session.certification"
            talk.attributes = copy.deepcopy(attributes)
        name, slots = move
        reply = talk.launch() if name == "launch" else talk.intent(name, **slots)
        answered.append((talk.history[-1][0], reply))
        return reply

    queue = deque([(None, 0)])
    seen = set()
    while queue:
        attributes, level = queue.popleft()
        where = None if attributes is None else _where(attributes)
        if where is not None:
            attributes_at[where] = attributes
            from_state[where] = {}
        for move in ([("launch", {})] if attributes is None else []) + moves:
            reply = send(attributes, move)
            if where is not None:
                from_state[where][move[0]] = reply
            if not reply.ends_session and level < depth:
                following = _where(reply.attributes)
                if following not in seen:
                    seen.add(following)
                    queue.append((reply.attributes, level + 1))
        if attributes is not None:
            for reason in SESSION_END_REASONS:
                talk = new_talk(device=device, locale=locale)
                talk.session_id = "amzn1.echo-api.session.certification"
                talk.attributes = copy.deepcopy(attributes)
                answered.append((talk.session_ended_request(reason), talk.end(reason)))
    problems = [f"{request['request'].get('intent', {}).get('name', request['request']['type'])}"
                f": {problem}" for request, reply in answered
                for problem in allowed_problems(request, reply, permissions)]
    return {"answered": answered, "from_state": from_state, "attributes_at": attributes_at,
            "problems": problems, "screen": device.screen}


@pytest.fixture(scope="module",
                params=[("en-US", "screen")] + [(locale, "no screen") for locale in LOCALES])
def explored(request, tmp_path_factory):
    """The exploration, once per locale without a screen and once with one, for the module (each
    sends a couple of thousand requests), with its own store and Settings API stand-in."""
    locale, screen = request.param
    from localdev.api_stand_in import AlexaApiStandIn
    from localdev.envelopes import Conversation
    import skill.app
    from tests.conftest import DAYTIME, checked_handler

    patch = pytest.MonkeyPatch()
    patch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("store")))
    for name in ("SKILL_ID", "TABLE_NAME"):
        patch.delenv(name, raising=False)
    patch.setattr(skill.app, "_SKILL", None)
    with AlexaApiStandIn() as stand_in:
        device = Device(api_endpoint=stand_in.url, screen=screen == "screen")

        def new_talk(**options):
            return Conversation(checked_handler, now=lambda: DAYTIME, **options)

        found = explore(new_talk, device, locale)
    patch.undo()
    skill.app._SKILL = None
    return found


def test_the_exploration_reaches_every_named_kind_of_state(explored):
    topics = {json.loads(where).get("topic") for where in explored["from_state"]}
    walks = {(json.loads(where).get("walk") or {}).get("routine")
             for where in explored["from_state"]}
    assert {"cramp", "doctor", "prevent", "causes", "bedtime", "relief"} <= topics
    assert {"bedtime", "relief"} <= walks
    assert len(explored["answered"]) > 500


def test_nothing_is_sent_that_the_device_or_the_request_does_not_allow(explored):
    assert explored["problems"] == []


def test_the_exploration_met_what_those_checks_look_at(explored):
    """So that the check above is not passed by never meeting a permission request or a screen."""
    replies = [reply for _, reply in explored["answered"]]
    if declared_permissions():
        assert any(permission_scopes(reply) for reply in replies)
    if explored["screen"] and (ROOT / "responses" / "apl").is_dir():
        assert any(d.get("type", "").startswith("Alexa.Presentation.APL")
                   for reply in replies for d in reply.directives)


def test_the_checks_catch_what_they_look_for(new_talk):
    request = new_talk().intent_request("StretchReminderIntent")
    reply = Reply({"version": "1.0", "response": {
        "outputSpeech": {"type": "SSML", "ssml": "<speak>Shall we?</speak>"},
        "card": {"type": "AskForPermissionsConsent", "permissions": ["alexa::profile:email:read"]},
        "directives": [{"type": "Alexa.Presentation.APL.RenderDocument"},
                       {"type": "Connections.SendRequest", "name": "AskFor", "payload": {
                           "permissionScopes": [{"permissionScope": "alexa::profile:name:read"}]}}],
        "shouldEndSession": True}})
    problems = allowed_problems(request, reply, {"alexa::alerts:reminders:skill:readwrite"})
    assert len(problems) == 3
    assert "without Alexa.Presentation.APL" in problems[0]
    assert "alexa::profile:email:read" in problems[1] and "alexa::profile:name:read" in problems[1]
    assert "closes the session" in problems[2]


def test_no_dead_ends_stop_and_cancel_close_every_open_state(explored):
    for where, replies in explored["from_state"].items():
        for exit_intent in EXITS:
            assert replies[exit_intent].ends_session, (where, exit_intent)


def test_no_dead_ends_help_keeps_every_open_state_open(explored):
    for where, replies in explored["from_state"].items():
        assert not replies["AMAZON.HelpIntent"].ends_session, where


def test_no_dead_ends_every_open_question_takes_a_yes_and_a_no(explored):
    """Where the skill asked a yes/no question, "yes" and "no" are each answered as answers to
    it, never with what it says to words it did not understand."""
    for where, replies in explored["from_state"].items():
        if not json.loads(where).get("question"):
            continue
        not_understood = replies["AMAZON.FallbackIntent"].text
        for answer in ("AMAZON.YesIntent", "AMAZON.NoIntent"):
            assert replies[answer].text != not_understood, (where, answer)


def test_no_dead_ends_every_walkthrough_step_moves_on_with_next(explored):
    for where, replies in explored["from_state"].items():
        walk = json.loads(where).get("walk")
        if not walk:
            continue
        moved = replies["AMAZON.NextIntent"]
        assert moved.ends_session or _where(moved.attributes) != where, where
