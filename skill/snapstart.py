"""Getting ready before a first request: priming at Lambda's init, and the SnapStart hooks.

At the end of its import on Lambda, `skill.app` calls `ready_for_a_first_request` when the init
is for provisioned concurrency, and only `answer_once` on an on-demand init (the first request
waits for that one, and a cramp answer needs no Alexa API call). With SnapStart (template.yaml,
`EnableSnapStart`), Lambda initialises a published version once, runs the before-snapshot hooks,
snapshots the memory, and starts every later container from that snapshot. So whatever a first
request would do is done before the snapshot (`prime`), and whatever must not be shared by the
copies restored from one snapshot is reset after each restore (`after_restore`): kept HTTPS
connections (their TLS sessions) and the random generator that picks varied wordings (each copy
would otherwise say the same "random" sequence).

`skill.app` hands over its skill and its way of answering (`register`); nothing here imports it.
The hooks' registry, `snapshot_restore_py`, is part of Lambda's managed Python runtime (and on
PyPI as `snapshot-restore-py`); where it is missing, nothing is registered and nothing changes.
"""

from __future__ import annotations

import gc
import json
import random
import sys
import time
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

# A one-shot "I have a leg cramp" as a device sends it (a resolved slot, a device id, an API
# endpoint and token), in a session that already asked for the time zone and got none: it runs the
# SDK's deserialiser over every model a real request brings, the dispatcher, the cramp handler,
# the interceptors and the renderer, and calls nothing outside the process.
_PRIMING_REQUEST = {
    "version": "1.0",
    "session": {"new": True, "sessionId": "amzn1.echo-api.session.priming",
                "application": {"applicationId": ""}, "attributes": {"time_zone": ""},
                "user": {"userId": "amzn1.ask.account.priming"}},
    "context": {"System": {"application": {"applicationId": ""},
                           "user": {"userId": "amzn1.ask.account.priming"},
                           "device": {"deviceId": "amzn1.ask.device.priming",
                                      "supportedInterfaces": {}},
                           "apiEndpoint": "https://api.amazonalexa.com",
                           "apiAccessToken": "priming"}},
    "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.priming",
                "timestamp": "2024-06-14T12:00:00Z", "locale": "en-US",
                "intent": {"name": "LegCrampIntent", "confirmationStatus": "NONE", "slots": {
                    "Muscle": {"name": "Muscle", "value": "calf", "source": "USER",
                               "confirmationStatus": "NONE", "resolutions": {
                                   "resolutionsPerAuthority": [{
                                       "authority": "amzn1.er-authority.echo-sdk.priming.MUSCLE",
                                       "status": {"code": "ER_SUCCESS_MATCH"},
                                       "values": [{"value": {"name": "calf",
                                                             "id": "CALF"}}]}]}}}}},
}


def _log(message: str, **fields) -> None:
    """A JSON line on stderr, as skill.logs writes them (CloudWatch reads it as it is)."""
    try:
        sys.stderr.write(json.dumps({"level": "INFO", "message": message, **fields}) + "\n")
    except (OSError, ValueError):
        pass


Answer = Callable[[dict, Any], tuple]


def load_templates() -> int:
    """Every template a request can ask for, in every locale, loaded (compiled at build time, or
    compiled now from a checkout) and kept by the renderer; how many."""
    from skill.speech import speech

    renderer = speech()
    names = renderer.names()
    for name in names:
        renderer.env.get_template(name)
    return len(names)


def answer_once(built: CustomSkill, answer: Answer) -> str:
    """One request through `answer`, as a first request would go, unlogged; how it went."""
    event = json.loads(json.dumps(_PRIMING_REQUEST))
    if built.skill_id:
        event["session"]["application"]["applicationId"] = built.skill_id
        event["context"]["System"]["application"]["applicationId"] = built.skill_id
    _, outcome = answer(event, None)
    return outcome


def ready_for_an_api_call() -> None:
    """What a device's first time zone lookup imports and reads, short of the call: the SDK's
    Settings API client, the standard library's HTTP client with the API client's budgeted
    connections, and zoneinfo's time zone data."""
    from zoneinfo import ZoneInfo

    import ask_sdk_model.services.ups  # noqa: F401
    import skill.alexa.bounded_http  # noqa: F401  (http.client, and the budgeted connections)

    ZoneInfo("Etc/UTC")


def ready_for_a_first_request(built: CustomSkill, answer: Answer) -> str:
    """Answer one request in-process with the built skill, and make ready what the first Alexa
    API call needs, the TLS context included (it reads the certificate store); how the
    request went. A failure is logged by `answer` and leaves the skill as it would be unprimed."""
    outcome = answer_once(built, answer)
    ready_for_an_api_call()
    tls = getattr(built.api_client, "_tls_context", None)
    if tls is not None:
        tls()
    return outcome


def prime(built: CustomSkill, answer: Answer) -> None:
    """Before the snapshot: everything a first request needs, and every template a request can
    ask for loaded (the first request of a restored copy may be any request, in any locale)."""
    started = time.perf_counter()
    templates = load_templates()
    outcome = ready_for_a_first_request(built, answer)
    gc.freeze()  # what priming made lives as long as the snapshot: never walked by the collector
    _log("snapstart: primed before the snapshot", templates=templates, outcome=outcome,
         ms=round((time.perf_counter() - started) * 1000, 1))


def after_restore(built: CustomSkill) -> None:
    """After each restore: nothing one restored copy does may match another's."""
    random.seed()  # from os.urandom: each copy its own wordings
    close = getattr(built.api_client, "close", None)
    if close is not None:
        close()  # kept connections (none, if priming made no call) and their TLS sessions
    _log("snapstart: restored", reseeded=True, connections_closed=close is not None)


def register(skill: Callable[[], CustomSkill], answer: Answer) -> bool:
    """Register the hooks with the runtime's registry, if there is one; whether there was.
    `skill` gives the container's built skill and `answer` answers an event as the Lambda
    handler does, unlogged; both are called only when a hook runs."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(lambda: prime(skill(), answer))
    register_after_restore(lambda: after_restore(skill()))
    return True
