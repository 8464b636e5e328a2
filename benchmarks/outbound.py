"""Outbound calls per request on the mid-cramp path, counted in a fresh process; and how long an
answer waits when Alexa's APIs trickle their answers.

`count`: two cramp sessions go through `skill.app.handler` (the answer, "yes", the guided relief
to its end, then a new session's answer) with DynamoDB configured (`TABLE_NAME`, and an endpoint
on a loopback port) and Alexa's APIs pointed at a local stand-in. Python's audit hooks see every
socket connection and every `urllib` request, whatever library makes it, and every import: so
the count does not depend on how the skill makes its calls.

`deadlines`: the stand-in sends every answer a byte every 0.3 s (the red team's fault: a 38 s
wait for the first cramp answer of the hour before calls had budgets), and each request's
wall-clock time to its answer is measured, for requests that must not wait and for those that
may wait within the budget. `python -m benchmarks.outbound` prints both.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TURNS = [("new session: i have a leg cramp", "LegCrampIntent"),
         ("yes (talk me through it)", "AMAZON.YesIntent"),
         ("next", "AMAZON.NextIntent"),
         ("next (last step)", "AMAZON.NextIntent"),
         ("new session: i have a leg cramp", "LegCrampIntent"),
         # Not the mid-cramp path: shows that a DynamoDB call would be seen and counted. (Not
         # the launch: at night it says what to do for a cramp and reads nothing.)
         ("control, new session: continue my bedtime stretch (reads what it remembers)",
          "AMAZON.ResumeIntent")]


def _closed_port() -> int:
    """A loopback port nothing listens on: a DynamoDB call there fails fast, and is counted."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _child(api_port: int, dynamodb_port: int) -> None:
    """Runs in the fresh process: the turns, with every connection and import recorded."""
    from localdev.envelopes import Conversation, Device, SlotFill

    seen = {"connects": [], "imports": set()}

    def audit(event, args):
        if event == "socket.connect":
            address = args[1]
            if isinstance(address, tuple) and len(address) >= 2:
                seen["connects"].append(address[1])
        elif event == "import":
            seen["imports"].add(args[0].split(".")[0])

    sys.addaudithook(audit)
    from skill.app import handler

    device = Device(api_endpoint=f"http://127.0.0.1:{api_port}")
    talk = Conversation(handler, device=device)
    rows = []
    for label, intent in TURNS:
        if "new session" in label:
            talk.session_id = None
        before = len(seen["connects"])
        if intent == "launch":
            talk.launch()
        else:
            slots = {"Muscle": SlotFill("calf", "CALF")} if intent == "LegCrampIntent" else {}
            talk.intent(intent, **slots)
        ports = seen["connects"][before:]
        rows.append({"turn": label,
                     "alexa_api": ports.count(api_port),
                     "dynamodb": ports.count(dynamodb_port),
                     "other": len(ports) - ports.count(api_port) - ports.count(dynamodb_port),
                     "boto3_imported": bool({"boto3", "botocore"} & seen["imports"])})
    # The control: one call made on purpose must be counted, or the counts above mean nothing.
    import urllib.error
    import urllib.request

    before = len(seen["connects"])
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{api_port}/control", timeout=5).read()
    except urllib.error.HTTPError:  # the stand-in knows no such API: still a connection
        pass
    if seen["connects"][before:] != [api_port]:
        raise SystemExit("the audit hook did not see a deliberate connection")
    print(json.dumps(rows))


def count() -> list[dict]:
    from localdev.api_stand_in import AlexaApiStandIn

    dynamodb_port = _closed_port()
    endpoint = f"http://127.0.0.1:{dynamodb_port}"
    env = dict(os.environ, TABLE_NAME="leg-cramp-helper-bench", AWS_DEFAULT_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
               AWS_ENDPOINT_URL_DYNAMODB=endpoint, AWS_ENDPOINT_URL=endpoint)
    env.pop("SKILL_ID", None)
    with AlexaApiStandIn() as stand_in:
        port = stand_in.url.rsplit(":", 1)[1]
        result = subprocess.run(
            [sys.executable, "-c", "import sys; from benchmarks.outbound import _child; "
             "_child(int(sys.argv[1]), int(sys.argv[2]))", port, str(dynamodb_port)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO_ROOT, env=env,
            timeout=120)
    if result.returncode:
        raise RuntimeError(f"outbound count failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


TRICKLE_SECONDS = 0.3
# 03:00 in London: the night, when the cramp answer matters most.
NIGHT = datetime(2024, 1, 15, 3, 0, tzinfo=timezone.utc)


class _LambdaContext:
    """A Lambda invocation's context with its 7 s timeout (template.yaml) all still ahead."""

    def __init__(self):
        self.ends = time.monotonic() + 7.0

    def get_remaining_time_in_millis(self) -> int:
        return int((self.ends - time.monotonic()) * 1000)


def deadlines(trickle: float = TRICKLE_SECONDS) -> list[dict]:
    """Each request from a device the container has not heard from, with every Alexa API
    answer trickled: milliseconds to the answer, API calls started, and whether any answer came
    whole. In this process, with the skill built afresh and the local store."""
    import skill.app
    from benchmarks.latency import bench_environment, quiet_logs
    from localdev.api_stand_in import AlexaApiStandIn
    from localdev.envelopes import Conversation, Device
    from skill.alexa.api_client import configured_budget
    from skill.time_zones import TIME_ZONES

    # (what is said, whether its answer may wait for Alexa's APIs, the turn)
    turns = [
        ("i have a leg cramp (one-shot)", False, lambda talk: talk.say("i have a leg cramp")),
        ("not understood, at night (fallback)", False,
         lambda talk: talk.intent("AMAZON.FallbackIntent")),
        ("yes, talk me through it (in the cramp)", False, lambda talk: talk.say("yes")),
        ("open leg cramp helper (may wait: Settings API)", True, lambda talk: talk.launch()),
        ("remind me to stretch at nine p m (Settings, then Reminders API)", True,
         lambda talk: talk.say("remind me to stretch at nine p m")),
    ]
    rows = []
    with bench_environment(), AlexaApiStandIn() as api, quiet_logs():
        # Built, its templates compiled and the phrasings loaded, before anything is timed.
        Conversation(skill.app.handler, locale="en-GB", now=lambda: NIGHT,
                     device=Device(api_endpoint=api.url)).say("what causes leg cramps")
        for number, (label, may_wait, turn) in enumerate(turns):
            api.reset()
            api.trickle = trickle
            TIME_ZONES.clear()
            talk = Conversation(skill.app.handler, locale="en-GB", now=lambda: NIGHT,
                                consent_token="bench-consent",
                                context=_LambdaContext(),
                                device=Device(device_id=f"amzn1.ask.device.bench-{number}",
                                              api_endpoint=api.url))
            if label.startswith("yes"):
                api.trickle = 0
                talk.say("i have a leg cramp")
                api.trickle = trickle
            started = time.perf_counter()
            reply = turn(talk)
            elapsed = (time.perf_counter() - started) * 1000
            rows.append({"request": label, "ms": round(elapsed, 1), "calls": len(api.requests),
                         "answered": bool(reply.ssml), "budget_s": configured_budget(),
                         "may_wait": may_wait})
        api.reset()
    return rows


def deadline_table(rows: list[dict], trickle: float = TRICKLE_SECONDS) -> tuple[str, bool]:
    """The rows as markdown, and whether the targets hold: the cramp answers made no call, and
    no answer waited longer than its calls' budgets."""
    lines = [f"| request (device not heard from; every Alexa API answer a byte every {trickle:g} s)"
             " | ms to the answer | Alexa API calls | answered |", "| --- | ---: | ---: | --- |"]
    ok = True
    for row in rows:
        lines.append(f"| {row['request']} | {row['ms']:.1f} | {row['calls']} "
                     f"| {'yes' if row['answered'] else '**no**'} |")
        ok &= row["answered"] and row["ms"] <= (row["calls"] * row["budget_s"] + 0.5) * 1000
        if not row["may_wait"]:
            ok &= row["calls"] == 0
    return "\n".join(lines), ok


def outbound_table(rows: list[dict]) -> tuple[str, bool]:
    lines = ["| turn of a mid-cramp session | Alexa API calls | DynamoDB calls | other "
             "| boto3 imported |", "| --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        lines.append(f"| {row['turn']} | {row['alexa_api']} | {row['dynamodb']} "
                     f"| {row['other']} | {'yes' if row['boto3_imported'] else 'no'} |")
    cramp = [row for row in rows if not row["turn"].startswith("control")]
    ok = all(row["dynamodb"] == 0 and row["alexa_api"] == 0 and not row["boto3_imported"]
             for row in cramp)
    return "\n".join(lines), ok



def main() -> int:
    print("Outbound calls, counted by Python's audit hooks:")
    print(outbound_table(count())[0])
    print()
    print(deadline_table(deadlines())[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
