"""The requests the benchmark sends: launch, every custom intent, and a step of the bedtime
walkthrough, each a full envelope as a device sends it.

A session's first request that may wait asks the Settings API for the device's time zone (the
night voice) and keeps it in the session; the warm rows are requests of a session that already
knows it, so that they time the skill and not a network. `first_of_session` is the one-shot cramp
request as it arrives, which never waits for that call (skill.local_time)."""

from __future__ import annotations

import copy

from localdev.api_stand_in import DEFAULT_TIME_ZONE
from localdev.envelopes import Conversation, Device, SlotFill

INTENTS = (("LegCrampIntent", {"Muscle": SlotFill("calf", "CALF")}),
           ("PreventCrampsIntent", {}), ("SeeDoctorIntent", {}), ("CausesIntent", {}),
           ("BedtimeStretchIntent", {}), ("StretchReminderIntent", {"Time": "21:00"}))


def _unused(event, context):
    raise AssertionError("only envelopes are built here")


def _talk(api_endpoint: str) -> Conversation:
    return Conversation(_unused, device=Device(api_endpoint=api_endpoint))


def knowing_the_time_zone(envelope: dict) -> dict:
    """The same request, in a session whose first turn already asked for the time zone."""
    envelope = copy.deepcopy(envelope)
    envelope["session"]["new"] = False
    envelope["session"]["attributes"] = {**envelope["session"].get("attributes", {}),
                                         "time_zone": DEFAULT_TIME_ZONE}
    return envelope


def first_of_session(api_endpoint: str) -> dict:
    name, slots = INTENTS[0]
    return _talk(api_endpoint).intent_request(name, slots)


def requests(api_endpoint: str) -> dict[str, dict]:
    """Name -> envelope, each in a session that knows its time zone."""
    found = {"launch": knowing_the_time_zone(_talk(api_endpoint).launch_request())}
    for name, slots in INTENTS:
        found[name] = knowing_the_time_zone(_talk(api_endpoint).intent_request(name, slots))
    return found


def walkthrough_step(handler, api_endpoint: str) -> dict:
    """"Next" in the middle of the bedtime routine, with the attributes `handler` left."""
    talk = Conversation(handler, device=Device(api_endpoint=api_endpoint))
    talk.say("walk me through a bedtime stretch")
    return copy.deepcopy(talk.intent_request("AMAZON.NextIntent"))
