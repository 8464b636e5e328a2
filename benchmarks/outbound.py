"""Outbound calls per request on the mid-cramp path, counted in a fresh process.

Two cramp sessions go through `skill.app.handler` (the answer, "yes", the guided relief to its
end, then a new session's answer) with DynamoDB configured (`TABLE_NAME`, and an endpoint on a
loopback port) and Alexa's APIs pointed at a local stand-in. Python's audit hooks see every
socket connection and every `urllib` request, whatever library makes it, and every import: so
the count does not depend on how the skill makes its calls.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TURNS = [("new session: i have a leg cramp", "LegCrampIntent"),
         ("yes (talk me through it)", "AMAZON.YesIntent"),
         ("next", "AMAZON.NextIntent"),
         ("next (last step)", "AMAZON.NextIntent"),
         ("new session: i have a leg cramp", "LegCrampIntent"),
         # Not the mid-cramp path: shows that a DynamoDB call would be seen and counted.
         ("control, new session: open leg cramp helper (reads what it remembers)", "launch")]


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
