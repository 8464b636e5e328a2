"""What the skill remembers across nights, on the local store: the disclaimer once, an unfinished
bedtime routine offered at launch, nothing from the mid-cramp path, and forgetting on request."""

import json
from datetime import timedelta

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

import skill.app
from localdev.envelopes import Conversation, Device
from tests.conftest import DAYTIME
from tests.words import STRETCH

DISCLAIMER = "not a substitute for professional medical advice"


@pytest.fixture
def device(new_talk):
    """Another conversation with the same person (a later night, or another Echo)."""
    return new_talk


def store():
    return skill.app.skill().persistence_adapter


def stored(conversation=None):
    """What the store holds for the person of `conversation` (the default person if None)."""
    raw = (conversation or Conversation(handler=None)).launch_request()
    return store().get_attributes(DefaultSerializer().deserialize(json.dumps(raw),
                                                                  RequestEnvelope))


def store_directly(attributes):
    """A new item holding `attributes` (it must not exist yet)."""
    raw = Conversation(handler=None).launch_request()
    store().save_attributes(DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope),
                            attributes)


def statements():
    """Every SQL statement the local store runs from now on."""
    seen = []
    store().connection.set_trace_callback(seen.append)
    return seen


def reads(seen):
    return [sql for sql in seen if sql.startswith("SELECT")]


def writes(seen):
    return [sql for sql in seen if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


def leave_bedtime_at_step_3(talk):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("next")
    talk.say("stop")


def test_a_first_timer_hears_the_disclaimer_once(talk, device):
    first = talk.launch()
    assert DISCLAIMER in first.text
    assert first.text.endswith("What would you like?")
    talk.say("stop")
    again = device().launch()
    assert DISCLAIMER not in again.text
    assert "Welcome back" in again.text or "Hello again" in again.text


def test_the_disclaimer_never_comes_before_the_cramp_answer(talk):
    reply = talk.say("i have a leg cramp")
    assert reply.text.startswith(STRETCH)
    assert DISCLAIMER not in reply.text


def test_an_unfinished_bedtime_routine_is_offered_at_launch_and_resumes_there(talk, device):
    talk.launch()
    leave_bedtime_at_step_3(talk)

    later = device()
    offer = later.launch()
    assert "stopped your bedtime stretch at step 3 of 4" in offer.text
    assert "I have a cramp" in offer.text, "a cramp must still be one sentence away"
    assert offer.attributes["question"] == "offer_resume"
    assert "step 3" in offer.reprompt_text

    resumed = later.say("yes")
    assert resumed.text.startswith(("Okay, let's pick up at step 3 of 4", "Right, back to step 3"))
    assert "Left hamstring" in resumed.text
    finished = later.say("next")
    assert "That's your bedtime stretch done" in finished.text

    after = device().launch()
    assert "stopped your bedtime stretch" not in after.text


def test_carry_on_answers_the_offer_too(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    later.launch()
    assert "Left hamstring" in later.say("carry on").text


def test_no_to_the_offer_starts_fresh(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    later.launch()
    fresh = later.say("no")
    assert fresh.text.startswith("Okay. Your next bedtime stretch will start from the beginning")
    assert fresh.text.endswith("What would you like?") and not fresh.ends_session
    later.say("stop")
    again = device()
    assert "stopped your bedtime stretch" not in again.launch().text
    assert "Left calf" in again.say("bedtime stretch").text


def test_asking_for_the_bedtime_stretch_offers_the_saved_place(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    offer = later.say("walk me through a bedtime stretch")
    assert offer.text.startswith("Last time, you stopped at step 3 of 4")
    assert "Left hamstring" in later.say("yes").text


def test_no_to_the_bedtime_offer_starts_from_the_beginning(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    later.say("walk me through a bedtime stretch")
    assert "Left calf" in later.say("no").text


def test_something_unexpected_during_the_offer_asks_it_again(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    later.launch()
    nudge = later.intent("AMAZON.FallbackIntent")
    assert nudge.text == ("Sorry, I didn't catch that. If you have chest pain or trouble breathing, "
                         "call 911 now. Please say yes or no.")
    assert "step 3" in nudge.reprompt_text
    assert "Left hamstring" in later.say("yes").text


def test_pause_keeps_the_place_for_another_night(talk, device):
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.say("pause")
    talk.end("EXCEEDED_MAX_REPROMPTS")
    assert "at step 2 of 4" in device().launch().text


def test_a_cramp_during_the_offer_is_answered_first(talk, device):
    leave_bedtime_at_step_3(talk)
    later = device()
    later.launch()
    assert later.say("i have a cramp in my calf").text.startswith(STRETCH)


def test_the_mid_cramp_conversation_never_touches_the_store(talk, tmp_path):
    talk.say("i have a cramp in my foot")
    talk.say("yes")
    talk.say("next")
    talk.say("stop")
    talk.say("what causes leg cramps")
    talk.say("help")
    assert not (tmp_path / "data").exists()


def test_the_relief_routine_is_never_remembered(talk, device):
    talk.launch()
    talk.say("i have a leg cramp")
    talk.say("yes")
    talk.say("stop")
    assert "walk" not in stored()
    assert "stopped" not in device().launch().text


def test_one_read_per_session_and_one_write_per_change(talk):
    talk.launch()
    seen = statements()
    talk.say("walk me through a bedtime stretch")   # the first write of the walk
    talk.say("next")
    talk.say("help")                                # no change
    assert reads(seen) == []                        # the launch read it into the session
    assert len(writes(seen)) == 2
    # The same step said again is written again: another device may have moved the saved place
    # since this session's copy was made, and the last step said on any device is the one kept.
    talk.say("repeat")
    assert len(writes(seen)) == 3


def test_a_new_session_reads_once_and_an_unchanged_visit_writes_nothing(talk, device):
    talk.launch()
    talk.say("stop")
    later = device()
    later.launch()          # connection opened; count from here
    later.say("stop")
    seen = statements()
    again = device()
    again.launch()
    again.say("help")
    again.say("how do i prevent cramps")
    assert len(reads(seen)) == 1 and writes(seen) == []


def test_a_returning_person_launching_costs_one_read_and_no_write(device):
    device(now=lambda: DAYTIME - timedelta(days=1)).launch()
    seen = statements()
    device().launch()
    assert len(reads(seen)) == 1 and writes(seen) == []
    assert stored() == {"disclaimer_heard": True, "version": 1}


def test_disabling_the_skill_forgets_the_person(talk, device):
    talk.launch()
    leave_bedtime_at_step_3(talk)
    event = talk.event("AlexaSkillEvent.SkillDisabled",
                       userInformationPersistenceStatus="PERSISTED")
    assert event.ssml is None and event.response.get("shouldEndSession") is not False
    assert stored() == {"version": 0}
    again = device().launch()
    assert DISCLAIMER in again.text and "stopped" not in again.text


def test_another_person_is_not_remembered_as_this_one(talk, new_talk):
    talk.launch()
    leave_bedtime_at_step_3(talk)
    stranger = new_talk(user_id="amzn1.ask.account.SOMEONE-ELSE", device=Device("other-echo"))
    assert DISCLAIMER in stranger.launch().text


@pytest.mark.parametrize("walk", [{"routine": "relief", "step": 1}, {"routine": "yoga", "step": 0},
                                  {"routine": "bedtime", "step": 9}, "step three"])
def test_a_saved_place_this_version_cannot_resume_gets_the_plain_welcome(talk, walk):
    store_directly({"disclaimer_heard": True, "walk": walk})
    reply = talk.launch()
    assert "stopped" not in reply.text and reply.text.endswith("What would you like?")


def test_a_broken_local_store_never_stops_an_answer(talk, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("DATA_DIR", str(blocker))
    launch = talk.launch()
    assert DISCLAIMER in launch.text and not launch.ends_session
    assert "Left calf" in talk.say("bedtime stretch").text
    assert "Right calf" in talk.say("next").text


@pytest.mark.parametrize("asked_by", ["prevention tips", "home-care triage"])
def test_yes_to_the_bedtime_offer_offers_the_saved_place_first(talk, device, asked_by):
    leave_bedtime_at_step_3(talk)
    later = device()
    if asked_by == "prevention tips":
        later.say("how do i prevent cramps")
    else:
        later.say("should i see a doctor")
        later.say("yes")  # to the short check
        for _ in range(6):
            later.say("no")
    offer = later.say("yes")
    assert offer.text.startswith("Last time, you stopped at step 3 of 4")
    assert stored()["walk"] == {"routine": "bedtime", "step": 2}, "the saved place was lost"
    assert "Left hamstring" in later.say("yes").text


def test_fields_it_does_not_know_stay_in_the_store_and_out_of_the_session(talk):
    store_directly({"disclaimer_heard": True, "walk": {"routine": "bedtime", "step": 1},
                    "from_a_newer_version": "x" * 30_000})
    offer = talk.launch()
    # The session carries a copy only of an item it holds whole; this one is read each time.
    assert "memory" not in offer.attributes and "x" * 100 not in json.dumps(offer.raw)
    seen = statements()
    talk.say("yes")
    talk.say("next")
    assert len(reads(seen)) == 2 and len(writes(seen)) == 2
    after = stored()
    assert after["walk"] == {"routine": "bedtime", "step": 3}   # the step not yet done
    assert after["from_a_newer_version"] == "x" * 30_000


@pytest.mark.parametrize("damaged", [-2, 2.5, "three"])
def test_a_damaged_local_version_is_replaced_once(talk, damaged):
    store_directly({"disclaimer_heard": True})
    store().connection.execute("UPDATE memory SET version = ?", (damaged,))
    assert DISCLAIMER in talk.launch().text          # unreadable: a first visit
    assert stored() == {"disclaimer_heard": True, "version": 1}
    talk.say("walk me through a bedtime stretch")
    assert stored()["version"] == 2


def test_each_step_of_a_bedtime_session_costs_one_write_and_no_read(talk):
    talk.say("walk me through a bedtime stretch")             # the session's one read
    for _ in range(2):
        seen = statements()
        talk.say("next")
        assert reads(seen) == [] and len(writes(seen)) == 1, seen
