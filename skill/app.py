"""The Lambda entry point: `handler(event, context)`.

The skill is built once per container. Before the SDK sees a request, this checks that it is a
readable Alexa envelope for this skill: a request for another skill id is refused, and one that
cannot be read still gets a spoken answer that says how to ease a cramp. Every request, however
it went, leaves one JSON log line (`skill.logs`).
"""

from __future__ import annotations

import gc

# A container's start makes a few hundred thousand objects that live as long as it does (the
# SDK's, Jinja2's, the skill's), and the cyclic garbage collector would walk them over and over
# while they are made: about a tenth of the import. It rests until the end of this module, which
# freezes what was made (never walked again) and starts it again.
gc.disable()

import json
import logging
import os
import time
from datetime import datetime
from typing import Any

from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.response_helper import ResponseFactory
from ask_sdk_model import RequestEnvelope, ResponseEnvelope

from skill import answers
from skill.alexa import api_client
from skill.alexa.api_client import BoundedApiClient
from skill.conversation import exception_handlers, request_handlers
from skill.conversation.relief import may_answer_a_cramp
from skill.logs import log_request
from skill.memory import NotForgotten
from skill.session import LoadSession, SaveSession
from skill.speech import DEFAULT_LOCALE, speech
from skill.stores import from_environment
from skill import snapstart

logger = logging.getLogger("leg_cramp_helper")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

_SKILL: CustomSkill | None = None


class RequestRefused(Exception):
    """The request is not for this skill. Raised so Lambda reports an error and nothing runs."""


def build_skill(skill_id: str | None = None) -> CustomSkill:
    # The store is chosen here but opened (and boto3 imported) only when state is first touched.
    builder = CustomSkillBuilder(api_client=BoundedApiClient(),
                                 persistence_adapter=from_environment())
    builder.skill_id = skill_id
    for request_handler in request_handlers():
        builder.add_request_handler(request_handler)
    for exception_handler in exception_handlers():
        builder.add_exception_handler(exception_handler)
    builder.add_global_request_interceptor(LoadSession(cannot_wait=may_answer_a_cramp))
    builder.add_global_response_interceptor(SaveSession())
    return builder.create()


def skill() -> CustomSkill:
    global _SKILL
    if _SKILL is None:
        _SKILL = build_skill(os.environ.get("SKILL_ID") or None)
    return _SKILL


def application_ids(event: dict) -> list[Any]:
    """The skill ids an envelope names (context and session), read from the raw event."""
    ids = []
    for path in (("context", "System", "application"), ("session", "application")):
        node: Any = event
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            ids.append(node.get("applicationId"))
    return ids


def for_this_skill(event: Any, skill_id: str) -> bool:
    """Whether the raw event names a skill id, and only `skill_id`, wherever it names one."""
    ids = application_ids(event) if isinstance(event, dict) else []
    return bool(ids) and all(found == skill_id for found in ids)


def _is_readable(event: Any) -> bool:
    if not isinstance(event, dict):
        return False
    request = event.get("request")
    return (isinstance(request, dict) and isinstance(request.get("type"), str)
            and isinstance(event.get("context", {}), dict))


def _request_type(event: Any) -> str | None:
    request = event.get("request") if isinstance(event, dict) else None
    kind = request.get("type") if isinstance(request, dict) else None
    return kind if isinstance(kind, str) else None


def _someone_listening(event: Any) -> bool:
    """Whether a person waits for this answer: not for a session that has ended or a system
    event, which must get no speech, however broken the rest of the envelope is."""
    return _request_type(event) in (None, "LaunchRequest", "IntentRequest")


def _calm_answer(skill_: CustomSkill, event: Any) -> dict:
    """For a request we cannot read or a failure past every handler: say what to do anyway."""
    response = ResponseFactory().response
    if _request_type(event) == "CanFulfillIntentRequest":
        # Alexa asks whether we can handle something we could not read: promise nothing.
        from ask_sdk_model.canfulfill import CanFulfillIntent, CanFulfillIntentValues

        response = ResponseFactory().set_can_fulfill_intent(
            CanFulfillIntent(can_fulfill=CanFulfillIntentValues.NO)).response
    elif _someone_listening(event):
        say = speech()
        try:
            words = say.render(DEFAULT_LOCALE, "error", cramp=True, closing=True)
            answers.said("error")
        except Exception:
            logger.exception("the error answer could not be rendered: saying the last resort")
            words = say.last_resort(DEFAULT_LOCALE)
            answers.said(answers.LAST_RESORT)
        response = ResponseFactory().speak(words).set_should_end_session(True).response
    return skill_.serializer.serialize(ResponseEnvelope(version="1.0", response=response))


def _deserialize(skill_: CustomSkill, event: dict) -> RequestEnvelope:
    """The SDK's RequestEnvelope for `event`, read as the SDK reads it, except the timestamp.

    The SDK parses it with dateutil's general-purpose parser, which takes about a third of its
    whole deserialisation; Alexa sends ISO 8601, which the standard library reads at once. Any
    other timestamp is left to the SDK, which accepts or rejects it as it always did."""
    request = event["request"]
    try:
        timestamp = datetime.fromisoformat(request["timestamp"])
    except (KeyError, TypeError, ValueError):
        return skill_.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    request = {name: value for name, value in request.items() if name != "timestamp"}
    envelope = skill_.serializer.deserialize(payload=json.dumps({**event, "request": request}),
                                             obj_type=RequestEnvelope)
    envelope.request.timestamp = timestamp
    return envelope


def handler(event: dict, context: Any) -> dict:
    started = time.perf_counter()
    outcome = "failed"
    with answers.recorded() as said:
        try:
            with api_client.invocation(context):
                response, outcome = answer(event, context)
            return response
        except RequestRefused:
            outcome = "refused"
            raise
        finally:
            # What kind of answer was said (skill.answers), when one was.
            kind = {"answer": said.kind} if said.kind is not None else {}
            log_request(event, context, outcome, started, **kind)


def answer(event: Any, context: Any) -> tuple[dict, str]:
    """The response and how it went (answered, unreadable, or failed past every handler), without
    the log line: `handler` writes it, and so does a host that adds its own fields (the web
    service). Raises RequestRefused for a request that is not for this skill."""
    current = skill()
    expected = current.skill_id
    if expected is not None and not for_this_skill(event, expected):
        raise RequestRefused("request is not for this skill")

    if not _is_readable(event):
        return _calm_answer(current, event), "unreadable"
    try:
        envelope = _deserialize(current, event)
        response = current.invoke(request_envelope=envelope, context=context)
        return current.serializer.serialize(response), "answered"
    except NotForgotten:
        raise   # the invocation fails, for Alexa to send the event again (docs/remembering.md)
    except Exception:
        logger.exception("request failed past every handler")
        return _calm_answer(current, event), "failed"


# Getting ready on Lambda (skill/snapstart.py), given this module's skill and its way of answering,
# so that nothing there reaches back into this module. With SnapStart, the hooks run once this
# module is imported. With provisioned concurrency nobody waits for the init: everything a first
# request may need is made ready now, a first Alexa API call's HTTP client and TLS context
# included. An on-demand init is waited for by the first request, most likely a cramp answer,
# which never calls an Alexa API (skill.local_time): only the answer's own work is done now
# (building the skill, the SDK's models for a real request, the cramp answer's templates), and a
# request that does call pays for its HTTP client and TLS context (about 30 ms) beside the call.
# Outside Lambda (tests, `make chat`) nothing is primed.
snapstart.register(skill, answer)
_INIT = os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE")
if _INIT == "provisioned-concurrency":
    snapstart.ready_for_a_first_request(skill(), answer)
elif _INIT == "on-demand":
    snapstart.answer_once(skill(), answer)
gc.freeze()
gc.enable()
