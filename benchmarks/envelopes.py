"""The requests the benchmark sends: launch, every custom intent, and a step of the bedtime
walkthrough, each a full envelope as a device sends it."""

from __future__ import annotations

import copy

from localdev.envelopes import Conversation, Device, SlotFill


def _unused(event, context):
    raise AssertionError("only envelopes are built here")


def requests(api_endpoint: str = "https://api.amazonalexa.com") -> dict[str, dict]:
    """Name -> envelope. The walkthrough step carries the session attributes the skill itself
    leaves after "walk me through a bedtime stretch"."""
    talk = Conversation(_unused, device=Device(api_endpoint=api_endpoint))
    found = {
        "launch": talk.launch_request(),
        "LegCrampIntent": Conversation(_unused, device=Device(api_endpoint=api_endpoint))
        .intent_request("LegCrampIntent", {"Muscle": SlotFill("calf", "CALF")}),
    }
    for name, slots in (("PreventCrampsIntent", {}), ("SeeDoctorIntent", {}),
                        ("CausesIntent", {}), ("BedtimeStretchIntent", {}),
                        ("StretchReminderIntent", {"Time": "21:00"})):
        found[name] = Conversation(_unused, device=Device(api_endpoint=api_endpoint)
                                   ).intent_request(name, slots)
    return found


def walkthrough_step(handler, api_endpoint: str = "https://api.amazonalexa.com") -> dict:
    """"Next" in the middle of the bedtime routine, with the attributes `handler` left."""
    talk = Conversation(handler, device=Device(api_endpoint=api_endpoint))
    talk.say("walk me through a bedtime stretch")
    return copy.deepcopy(talk.intent_request("AMAZON.NextIntent"))
