"""Lambda SnapStart hooks (template.yaml, `EnableSnapStart`).

With SnapStart, Lambda initialises a published version once, runs the before-snapshot hooks,
snapshots the memory, and starts every later container from that snapshot. So whatever a first
request would do is done before the snapshot (`prime`), and whatever must not be shared by the
copies restored from one snapshot is reset after each restore (`after_restore`): kept HTTPS
connections (their TLS sessions) and the random generator that picks varied wordings (each copy
would otherwise say the same "random" sequence).

The hooks' registry, `snapshot_restore_py`, is part of Lambda's managed Python runtime (and on
PyPI as `snapshot-restore-py`); where it is missing, nothing is registered and nothing changes.
Importing this module registers them; `skill.app` imports it.
"""

from __future__ import annotations

import json
import random
import sys
import time

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


def _app():
    """The skill.app module. Not `import skill.app`: while skill.app is still being imported (it
    primes at the end of its own import), only this form finds it."""
    from skill import app

    return app


def compile_templates() -> int:
    """Every template of every locale compiled and kept by the renderer; how many."""
    from skill.speech import speech

    env = speech().env
    names = env.loader.list_templates()
    for name in names:
        env.get_template(name)
    return len(names)


def answer_once() -> None:
    """One request through the built skill, as a first request would go, unlogged."""
    from ask_sdk_model import RequestEnvelope

    app = _app()

    built = app.skill()
    event = json.loads(json.dumps(_PRIMING_REQUEST))
    if built.skill_id:
        event["session"]["application"]["applicationId"] = built.skill_id
        event["context"]["System"]["application"]["applicationId"] = built.skill_id
    envelope = built.serializer.deserialize(payload=json.dumps(event), obj_type=RequestEnvelope)
    built.serializer.serialize(built.invoke(request_envelope=envelope, context=None))


def ready_for_an_api_call() -> None:
    """What a device's first time zone lookup imports and reads, short of the call: the SDK's
    Settings API client, the standard library's HTTP client with the API client's budgeted
    connections, and zoneinfo's time zone data."""
    from zoneinfo import ZoneInfo

    import ask_sdk_model.services.ups  # noqa: F401
    import skill.alexa.bounded_http  # noqa: F401  (http.client, and the budgeted connections)

    ZoneInfo("Etc/UTC")


def ready_for_a_first_request() -> None:
    """Build the skill, answer one request in-process, and make ready what the first Alexa API
    call needs, the TLS context included (it reads the certificate store)."""
    app = _app()

    built = app.skill()
    answer_once()
    ready_for_an_api_call()
    tls = getattr(built.api_client, "_tls_context", None)
    if tls is not None:
        tls()


def prime() -> None:
    """Before the snapshot: everything a first request needs, and every template compiled (the
    first request of a restored copy may be any request, in any locale)."""
    started = time.perf_counter()
    templates = compile_templates()
    ready_for_a_first_request()
    _log("snapstart: primed before the snapshot", templates=templates,
         ms=round((time.perf_counter() - started) * 1000, 1))


def after_restore() -> None:
    """After each restore: nothing one restored copy does may match another's."""
    app = _app()

    random.seed()  # from os.urandom: each copy its own wordings
    current = app._SKILL
    close = getattr(getattr(current, "api_client", None), "close", None)
    if close is not None:
        close()  # kept connections (none, if priming made no call) and their TLS sessions
    _log("snapstart: restored", reseeded=True, connections_closed=close is not None)


def register() -> bool:
    """Register the hooks with the runtime's registry, if there is one; whether there was."""
    try:
        from snapshot_restore_py import register_after_restore, register_before_snapshot
    except ImportError:
        return False
    register_before_snapshot(prime)
    register_after_restore(after_restore)
    return True


REGISTERED = register()
