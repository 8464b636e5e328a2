"""Name-free requests: "Alexa, how do I stop a leg cramp" without the skill's name. Alexa first
asks whether the skill can handle the intent (CanFulfillIntentRequest)."""

import pytest

from localdev.envelopes import SlotFill

CUSTOM = ["LegCrampIntent", "PreventCrampsIntent", "SeeDoctorIntent", "CausesIntent",
          "BedtimeStretchIntent", "StretchReminderIntent"]


def verdict(reply) -> dict:
    return reply.response["canFulfillIntent"]


@pytest.mark.parametrize("intent", CUSTOM)
def test_yes_for_every_custom_intent_without_slot_values(talk, intent):
    answer = verdict(talk.can_fulfill(intent))
    assert answer["canFulfill"] == "YES"
    assert not answer.get("slots")


@pytest.mark.parametrize("muscle_id", ["CALF", "FOOT", "TOES", "THIGH", "HAMSTRING", "SHIN", "LEG"])
def test_yes_for_a_cramp_in_a_muscle_the_model_knows(talk, muscle_id):
    answer = verdict(talk.can_fulfill("LegCrampIntent", Muscle=SlotFill("it", muscle_id)))
    assert answer == {"canFulfill": "YES",
                      "slots": {"Muscle": {"canUnderstand": "YES", "canFulfill": "YES"}}}


def test_maybe_for_a_muscle_it_does_not_know(talk):
    talk.slot_types = {"LegCrampIntent": {"Muscle": "MUSCLE"}}
    answer = verdict(talk.can_fulfill("LegCrampIntent", Muscle="neck"))
    assert answer == {"canFulfill": "MAYBE",
                      "slots": {"Muscle": {"canUnderstand": "NO", "canFulfill": "NO"}}}


@pytest.mark.parametrize("time, expected", [("21:00", "YES"), ("NI", "YES"), ("MO", "YES"),
                                            ("<b>&", "MAYBE")])
def test_a_reminder_time_it_can_set_is_a_yes(talk, time, expected):
    # "In the morning" (MO) alone: it asks what time in the morning.
    answer = verdict(talk.can_fulfill("StretchReminderIntent", Time=time))
    assert answer["canFulfill"] == expected
    slot = answer["slots"]["Time"]
    assert slot["canUnderstand"] == slot["canFulfill"] == ("YES" if expected == "YES" else "NO")


@pytest.mark.parametrize("cause, expected", [("AGE", "YES"), ("EXERCISE", "YES"),
                                             ("DEHYDRATION", "YES"), ("PREGNANCY", "YES"),
                                             ("MEDICINE", "YES"), (None, "MAYBE")])
def test_a_cause_with_its_own_answer_is_a_yes(talk, cause, expected):
    talk.slot_types = {"CausesIntent": {"Cause": "CAUSE"}}
    answer = verdict(talk.can_fulfill("CausesIntent", Cause=SlotFill("it", cause)))
    assert answer["canFulfill"] == expected


@pytest.mark.parametrize("part, expected", [(SlotFill("morning", "MORNING"), "YES"),
                                            (SlotFill("noon"), "MAYBE")])
def test_a_part_of_the_day_it_knows_is_a_yes(talk, part, expected):
    talk.slot_types = {"StretchReminderIntent": {"PartOfDay": "PART_OF_DAY"}}
    answer = verdict(talk.can_fulfill("StretchReminderIntent", Time="09:00", PartOfDay=part))
    assert answer["canFulfill"] == expected


@pytest.mark.parametrize("intent", ["OrderPizzaIntent", "AMAZON.SearchAction<object@WeatherForecast>",
                                    "", "AMAZON.HelpIntent", "ClinicIntent"])
def test_no_for_anything_else(talk, intent):
    assert verdict(talk.can_fulfill(intent)) == {"canFulfill": "NO"}


def test_the_question_changes_nothing_and_calls_nothing(talk, alexa_api):
    reply = talk.can_fulfill("StretchReminderIntent", Time="21:00")
    assert reply.ssml is None and reply.card is None and not reply.directives
    assert alexa_api.requests == []



def test_the_manifest_declares_the_interface():
    import json
    from pathlib import Path

    manifest = json.loads((Path(__file__).resolve().parent.parent / "skill.json").read_text())
    interfaces = manifest["manifest"]["apis"]["custom"]["interfaces"]
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in interfaces
