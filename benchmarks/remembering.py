"""`python -m benchmarks.remembering`: the DynamoDB calls each request of the main flows makes,
and how long the request took, through `skill.app.handler` against moto's DynamoDB server on
loopback (docs/remembering.md keeps the figures). Calls are counted on the skill's own boto3
client, one per call DynamoDB would bill; the times are loopback times, not DynamoDB's.
"""

from __future__ import annotations

import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

from localdev.api_stand_in import AlexaApiStandIn
from localdev.envelopes import Conversation, Device
from localdev.environment import skill_environment
from localdev.moto_server import CREDENTIALS, MotoServer

AFTERNOON = datetime(2024, 6, 14, 12, 0, tzinfo=timezone.utc)


@contextmanager
def _on_dynamodb():
    """The skill on a fresh moto table, its environment put back afterwards."""
    import skill.app

    server = MotoServer()
    try:
        with skill_environment({**CREDENTIALS, "TABLE_NAME": server.create_table("bench-memory"),
                                "AWS_ENDPOINT_URL_DYNAMODB": server.endpoint, "SKILL_ID": None}):
            yield skill.app
    finally:
        server.stop()


def count() -> list[dict]:
    """One row per request: what was said, the DynamoDB operations, milliseconds. The flow runs
    twice, for two people: the first run pays for what is built once (templates, the local
    utterance matcher, the boto3 client), and the second is reported."""
    with _on_dynamodb() as app, AlexaApiStandIn() as api:
        seen: list[str] = []
        app.skill().persistence_adapter.client.meta.events.register(
            "before-call.dynamodb", lambda model, **_: seen.append(model.name))
        _flow(app, api, seen)
        return _flow(app, api, seen)


def _flow(app, api, seen: list[str]) -> list[dict]:
    user_id = f"amzn1.ask.account.BENCH{uuid.uuid4().hex.upper()}"

    def device(**options) -> Conversation:
        return Conversation(app.handler, user_id=user_id, now=lambda: AFTERNOON,
                            device=Device(api_endpoint=api.url), **options)

    rows = []

    def turn(label: str, request) -> None:
        before, started = len(seen), time.perf_counter()
        request()
        rows.append({"turn": label, "calls": seen[before:],
                     "ms": (time.perf_counter() - started) * 1000})

    first = device()
    turn("first launch of a new person (disclaimer heard)", first.launch)
    turn("walk me through a bedtime stretch", lambda: first.say(
        "walk me through a bedtime stretch"))
    turn("next (each bedtime step)", lambda: first.say("next"))
    turn("help inside the routine (nothing changes)", lambda: first.say("help"))
    turn("pause", lambda: first.say("pause"))
    cramp = device()
    turn("one-shot: i have a leg cramp (any session)", lambda: cramp.say("i have a leg cramp"))
    turn("yes, talk me through it (the relief)", lambda: cramp.say("yes"))
    later = device()
    turn("returning launch, offered to carry on", later.launch)
    turn("yes, carry on", lambda: later.say("yes"))
    kitchen = device(consent_token="bench-consent")
    turn("another device: launch", kitchen.launch)
    turn("next, on the first device", lambda: later.say("next"))
    turn("remind me to stretch at nine p m, on the other (its copy is a version behind)",
         lambda: kitchen.say("remind me to stretch at nine p m"))
    turn("SkillDisabled", lambda: device().event("AlexaSkillEvent.SkillDisabled"))
    turn("next, in a session still open (finds the item gone)", lambda: later.say("next"))
    turn("next, again in that session", lambda: later.say("next"))
    turn("first launch after enabling again", device().launch)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| request | DynamoDB calls | which | ms (loopback) |", "| --- | ---: | --- | ---: |"]
    for row in rows:
        lines.append(f"| {row['turn']} | {len(row['calls'])} | {', '.join(row['calls']) or '-'} "
                     f"| {row['ms']:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(count()))
