"""Remembering on DynamoDB: the adapter through boto3 over HTTP against moto in server mode, the
skill's own conversations on it, two writers at once, forgetting, and DynamoDB slow or down."""

import json
import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

import skill.app
from localdev.envelopes import Conversation, Device, SlotFill
from skill import memory as recall
from skill.memory import NotForgotten, SavedWalk
from skill.stores import (MAX_ABANDONED_CALLS, ONE_YEAR_SECONDS, VERSION, DynamoDbStore,
                          StaleWrite, user_key)
from tests.conftest import DAYTIME
from tests.moto_server import CREDENTIALS, ROOT, MotoServer, free_port
from tests.words import STRETCH

DISCLAIMER = "not a substitute for professional medical advice"
TIMEOUT = "0.3"   # seconds per DynamoDB attempt, so the outage tests stay quick


def use_dynamodb(monkeypatch, server, table):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TABLE_NAME", table)
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", server.endpoint)
    monkeypatch.setenv("DYNAMODB_TIMEOUT", TIMEOUT)


@pytest.fixture
def dynamodb(monkeypatch, moto_server):
    """The skill on DynamoDB (env TABLE_NAME), and one new person per test."""
    use_dynamodb(monkeypatch, moto_server, moto_server.table)
    return moto_server


@pytest.fixture
def user_id():
    return f"amzn1.ask.account.{uuid.uuid4().hex.upper()}"


@pytest.fixture
def person(new_talk, user_id, dynamodb):
    """Conversations with the same person: each call is another session or another device."""
    return lambda **options: new_talk(user_id=user_id, **options)


def envelope(user_id) -> RequestEnvelope:
    raw = Conversation(handler=None, user_id=user_id).launch_request()
    return DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)


def raw_item(server, user_id) -> dict | None:
    return server.client().get_item(TableName=server.table, ConsistentRead=True,
                                     Key={"id": {"S": user_key(envelope(user_id))}}).get("Item")


def stored(server, user_id) -> dict:
    item = raw_item(server, user_id)
    if item is None:
        return {}
    return {**json.loads(item["attributes"]["S"]), VERSION: int(item["version"]["N"])}


def calls_of(dynamodb_store) -> list[str]:
    """Every DynamoDB operation the skill's own client makes from now on."""
    seen = []
    dynamodb_store.client.meta.events.register(
        "before-call.dynamodb", lambda model, **kwargs: seen.append(model.name))
    return seen


def the_store() -> DynamoDbStore:
    store = skill.app.skill().persistence_adapter
    assert isinstance(store, DynamoDbStore)
    return store


# --- the adapter ---------------------------------------------------------------------------

def test_the_adapter_saves_loads_refuses_stale_writes_and_deletes(dynamodb, user_id):
    store = DynamoDbStore(dynamodb.table)
    assert store.get_attributes(envelope(user_id)) == {VERSION: 0}
    first = {"disclaimer_heard": True, VERSION: 0}     # written over the version read: none
    store.save_attributes(envelope(user_id), first)
    assert first[VERSION] == 1                          # and told the version it wrote
    store.save_attributes(envelope(user_id), {"disclaimer_heard": True, "night_voice": False,
                                              VERSION: 1})
    assert store.get_attributes(envelope(user_id)) == {"disclaimer_heard": True,
                                                       "night_voice": False, VERSION: 2}
    with pytest.raises(StaleWrite) as refused:
        store.save_attributes(envelope(user_id), {"disclaimer_heard": False, VERSION: 1})
    assert refused.value.current == {"disclaimer_heard": True, "night_voice": False, VERSION: 2}
    with pytest.raises(StaleWrite):
        store.save_attributes(envelope(user_id), {VERSION: 0})
    store.delete_attributes(envelope(user_id))
    assert store.get_attributes(envelope(user_id)) == {VERSION: 0}


def test_an_item_in_the_format_the_last_version_wrote_is_read_and_written_as_before(
        person, dynamodb, user_id):
    # Exactly what the version before this one wrote (its stores.py, `DynamoDbStore._save`):
    # JSON text with sorted keys and no spaces, a version, an expiry a year on.
    dynamodb.client().put_item(TableName=dynamodb.table, Item={
        "id": {"S": user_key(envelope(user_id))}, "version": {"N": "7"},
        "attributes": {"S": '{"disclaimer_heard":true,"reminder_time":"21:00",'
                            '"reminder_token":"token-1","walk":{"routine":"bedtime","step":2}}'},
        "expires_at": {"N": str(int(time.time()) + ONE_YEAR_SECONDS - 86_400)}})
    talk = person()
    offer = talk.launch()
    assert DISCLAIMER not in offer.text
    assert "stopped your bedtime stretch at step 3 of 4" in offer.text
    assert "Left hamstring" in talk.say("yes").text
    item = raw_item(dynamodb, user_id)
    assert set(item) == {"id", "version", "attributes", "expires_at"}
    assert item["version"] == {"N": "8"}
    assert item["attributes"] == {"S": '{"disclaimer_heard":true,"reminder_time":"21:00",'
                                       '"reminder_token":"token-1","walk":{"routine":"bedtime",'
                                       '"step":3}}'}


def test_items_forget_a_year_on_and_never_hold_the_user_id(dynamodb, user_id):
    store = DynamoDbStore(dynamodb.table)
    before = int(time.time())
    store.save_attributes(envelope(user_id), {"disclaimer_heard": True, VERSION: 0})
    item = raw_item(dynamodb, user_id)
    assert before + ONE_YEAR_SECONDS <= int(item["expires_at"]["N"]) <= time.time() + \
        ONE_YEAR_SECONDS
    assert user_id not in json.dumps(item)
    assert set(item) == {"id", "version", "attributes", "expires_at"}


# --- conversations on DynamoDB -------------------------------------------------------------

def test_resume_across_sessions(person, dynamodb, user_id):
    night = person()
    assert DISCLAIMER in night.launch().text
    night.say("walk me through a bedtime stretch")
    night.say("next")
    night.say("stop")
    assert stored(dynamodb, user_id)["walk"] == {"routine": "bedtime", "step": 1}

    next_night = person()
    offer = next_night.launch()
    assert DISCLAIMER not in offer.text
    assert "stopped your bedtime stretch at step 2 of 4" in offer.text
    assert "Right calf" in next_night.say("yes").text
    next_night.say("next")
    next_night.say("next")
    assert "walk" not in stored(dynamodb, user_id)


def test_one_read_per_session_one_write_per_change(person):
    night = person()
    night.launch()
    seen = calls_of(the_store())
    night.say("walk me through a bedtime stretch")
    night.say("next")
    night.say("help")                               # no change
    assert seen == ["UpdateItem", "UpdateItem"]

    seen.clear()
    later = person()
    later.launch()
    later.say("no")
    later.say("what causes leg cramps")
    assert seen == ["GetItem", "UpdateItem"]   # the read, and forgetting the unfinished routine


def test_the_mid_cramp_path_makes_no_call(person):
    seen = calls_of(the_store())
    talk = person()
    talk.say("i have a cramp in my calf")
    talk.say("yes")
    talk.say("next")
    talk.say("stop")
    talk.say("what causes leg cramps")
    talk.say("help")
    assert seen == []


def test_a_one_shot_cramp_answer_in_a_fresh_process_never_imports_boto3(dynamodb, alexa_api):
    talk = Conversation(handler=None, device=Device(api_endpoint=alexa_api.url),
                        now=lambda: DAYTIME)
    requests = [talk.intent_request("LegCrampIntent",
                                    {"Muscle": SlotFill("calf", "CALF", "calf")}),
                talk.intent_request("AMAZON.HelpIntent"), talk.intent_request("CausesIntent")]
    script = """
import json, sys
from skill.app import handler
for line in sys.stdin:
    event = json.loads(line)
    said = handler(event, None)["response"]["outputSpeech"]["ssml"]
    print(json.dumps([event["request"].get("intent", {}).get("name", "launch"), said,
                      "boto3" in sys.modules, "botocore" in sys.modules]))
"""
    lines = [json.dumps(event) for event in requests]
    lines.append(json.dumps(talk.launch_request()))
    result = subprocess.run([sys.executable, "-c", script], input="\n".join(lines) + "\n",
                            cwd=ROOT, env=dict(os.environ), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers[0][1].startswith("<speak>" + STRETCH)
    assert [answer[2:] for answer in answers[:3]] == [[False, False]] * 3
    # The check means something: the first request that needs state imports it.
    assert answers[3][0] == "launch" and answers[3][2:] == [True, True]


def test_two_devices_of_one_person_never_overwrite_each_other(person, dynamodb, user_id):
    yesterday = DAYTIME - timedelta(days=1)
    person(now=lambda: yesterday).launch()
    assert stored(dynamodb, user_id)["disclaimer_heard"] is True

    bedroom = person()
    bedroom.say("walk me through a bedtime stretch")            # reads, then writes the place
    kitchen = person(consent_token="kitchen-consent")
    assert "at step 2 of 4" in kitchen.launch().text             # reads the same version
    assert "every night at 9 PM" in kitchen.say("remind me to stretch at nine p m").text
    assert "Right calf" in bedroom.say("next").text              # its copy is now out of date

    final = stored(dynamodb, user_id)
    assert final["walk"] == {"routine": "bedtime", "step": 2}, "the bedroom's change was lost"
    assert final["reminder_time"] == "21:00", "the kitchen's change was lost"
    assert final[VERSION] == 4


def handler_input_for(user_id, store) -> HandlerInput:
    someone = envelope(user_id)
    return HandlerInput(request_envelope=someone,
                        attributes_manager=AttributesManager(someone, store))


def test_two_writers_at_the_same_moment_both_land(dynamodb, user_id, caplog):
    caplog.set_level(logging.INFO, logger="skill.memory")
    store = DynamoDbStore(dynamodb.table)
    for round_ in range(4):
        caplog.clear()
        writers = [handler_input_for(user_id, store) for _ in range(2)]
        for writer in writers:
            recall.remembered(writer)                   # both read the same version
        together = threading.Barrier(2)

        def write(writer, change):
            change(recall.remembered(writer))
            together.wait()
            recall.save(writer)

        hour = f"2{round_}:00"
        threads = [threading.Thread(target=write, args=(writers[0], lambda m: setattr(
                       m, "reminder_time", hour))),
                   threading.Thread(target=write, args=(writers[1], lambda m: setattr(
                       m, "walk", SavedWalk("bedtime", round_))))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        final = stored(dynamodb, user_id)
        assert final["reminder_time"] == hour
        assert final["walk"] == {"routine": "bedtime", "step": round_}
        assert final[VERSION] == 2 * (round_ + 1)
        assert "changed since it was read" in caplog.text


def test_disabling_the_skill_deletes_the_item(person, dynamodb, user_id):
    talk = person()
    talk.launch()
    talk.say("bedtime stretch")
    talk.say("stop")
    assert raw_item(dynamodb, user_id) is not None
    reply = talk.event("AlexaSkillEvent.SkillDisabled",
                       userInformationPersistenceStatus="NOT_PERSISTED")
    assert reply.ssml is None
    assert raw_item(dynamodb, user_id) is None
    assert DISCLAIMER in person().launch().text


# --- forgetting ----------------------------------------------------------------------------

def test_a_session_still_open_on_another_device_never_writes_a_forgotten_person_back(
        person, dynamodb, user_id):
    bedroom = person()
    bedroom.launch()
    bedroom.say("walk me through a bedtime stretch")
    assert raw_item(dynamodb, user_id) is not None
    person().event("AlexaSkillEvent.SkillDisabled", userInformationPersistenceStatus="PERSISTED")
    assert raw_item(dynamodb, user_id) is None
    assert "Right calf" in bedroom.say("next").text         # its write finds the item gone
    assert "Left hamstring" in bedroom.say("next").text     # and its session remembers that
    assert raw_item(dynamodb, user_id) is None

    fresh = person()                                         # enabled again, from scratch
    first = fresh.launch()
    assert DISCLAIMER in first.text and "stopped" not in first.text
    fresh.say("walk me through a bedtime stretch")
    assert stored(dynamodb, user_id)["walk"] == {"routine": "bedtime", "step": 1}
    assert "at step 2 of 4" in person().launch().text         # remembered again


def skill_events_failing(capsys, events) -> list[dict]:
    """The request log lines written while `events` ran, each of which must fail (raise)."""
    capsys.readouterr()
    for event in events:
        with pytest.raises(NotForgotten):
            event()
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()
            if line.startswith("{")]


def test_a_failed_forget_fails_the_request_so_that_alexa_sends_it_again(
        person, dynamodb, user_id, monkeypatch, capsys):
    talk = person()
    talk.launch()
    talk.say("walk me through a bedtime stretch")
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", f"http://127.0.0.1:{free_port()}")
    skill.app._SKILL = None                                  # DynamoDB out of reach
    lines = skill_events_failing(capsys, [lambda: talk.event("AlexaSkillEvent.SkillDisabled")])
    assert [(line["request_type"], line["outcome"]) for line in lines] == [
        ("AlexaSkillEvent.SkillDisabled", "failed")]
    assert raw_item(dynamodb, user_id) is not None

    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb.endpoint)
    skill.app._SKILL = None                                  # back, and Alexa sends it again
    assert talk.event("AlexaSkillEvent.SkillDisabled").ssml is None
    assert raw_item(dynamodb, user_id) is None


# --- many at once --------------------------------------------------------------------------

def test_fifty_people_at_once_all_have_their_place_saved(new_talk, dynamodb, monkeypatch):
    # Timeouts are not what this is about: generous, so that a slow machine cannot fail it.
    monkeypatch.setenv("DYNAMODB_BUDGET", "30")
    monkeypatch.setenv("DYNAMODB_TIMEOUT", "10")
    new_talk().launch()                                      # the skill and its client, built
    people = [f"amzn1.ask.account.BURST{uuid.uuid4().hex.upper()}" for _ in range(50)]
    together, failures = threading.Barrier(len(people)), []

    def bedtime(user_id):
        talk = new_talk(user_id=user_id)
        together.wait()
        try:
            assert "Left calf" in talk.say("walk me through a bedtime stretch").text
        except Exception as error:   # reported below, with the rest
            failures.append(error)

    threads = [threading.Thread(target=bedtime, args=(user_id,)) for user_id in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [stored(dynamodb, user_id).get("walk") for user_id in people] == \
        [{"routine": "bedtime", "step": 1}] * len(people)


def test_calls_given_up_on_are_capped_and_calls_go_on_once_they_end(dynamodb, user_id):
    store = DynamoDbStore(dynamodb.table, timeout=5, budget=0.3)
    store.get_attributes(envelope(user_id))                  # the client, built
    dynamodb.freeze()
    try:
        for _ in range(MAX_ABANDONED_CALLS):
            with pytest.raises(TimeoutError, match="did not answer"):
                store.get_attributes(envelope(user_id))
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="stuck"):    # at once: no ninth thread
            store.get_attributes(envelope(user_id))
        assert time.monotonic() - started < 0.2
    finally:
        dynamodb.thaw()
    for _ in range(200):                                     # they answer, and end
        if not any(thread.name == store.given_up for thread in threading.enumerate()):
            break
        time.sleep(0.05)
    assert store.get_attributes(envelope(user_id)) == {VERSION: 0}


def test_remembering_works_with_more_than_1024_descriptors_open(person, dynamodb, user_id):
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 1200 + len(os.listdir("/proc/self/fd"))
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"this machine allows only {hard} open descriptors")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, wanted), hard))
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert max(held) > 1024
        talk = person()
        talk.launch()
        talk.say("walk me through a bedtime stretch")
        assert stored(dynamodb, user_id)["walk"] == {"routine": "bedtime", "step": 1}
        assert "at step 2 of 4" in person().launch().text
    finally:
        for descriptor in held:
            os.close(descriptor)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


# --- DynamoDB slow or down -----------------------------------------------------------------

def test_dynamodb_stopped_mid_conversation_every_answer_still_comes(person, dynamodb, user_id,
                                                                   caplog):
    night = person()
    night.launch()
    night.say("walk me through a bedtime stretch")
    night.say("next")
    before = stored(dynamodb, user_id)
    # The place kept is the step not yet done: the one after the step just said.
    assert before["walk"]["step"] == 2 and before["disclaimer_heard"] is True

    dynamodb.freeze()
    try:
        with caplog.at_level(logging.WARNING, logger="skill.memory"):
            assert "Left hamstring" in night.say("next").text    # its write cannot land
            assert night.say("i have a cramp in my calf").text.startswith(STRETCH)
            other = person()
            assert other.say("i have a leg cramp").text.startswith(STRETCH)
            launch = other.launch()                              # its read cannot land
            assert launch.text.endswith("What would you like?") and not launch.ends_session
            assert "Left calf" in other.say("bedtime stretch").text
        assert "could not write what the skill remembers" in caplog.text
        assert "could not read what the skill remembers" in caplog.text
    finally:
        dynamodb.thaw()

    # Nothing stored was lost or damaged: a whole item, at the step said before or during the
    # outage (a write sent while it was stopped may still land when it goes on).
    after = stored(dynamodb, user_id)
    assert after["disclaimer_heard"] is True
    assert {name: value for name, value in after.items() if name not in ("walk", VERSION)} == \
        {name: value for name, value in before.items() if name not in ("walk", VERSION)}
    assert after["walk"]["routine"] == "bedtime" and after["walk"]["step"] in (2, 3)
    step = after["walk"]["step"] + 1
    later = person()
    offer = later.launch()
    assert DISCLAIMER not in offer.text
    assert f"stopped your bedtime stretch at step {step} of 4" in offer.text
    assert f"step {step} of 4" in later.say("yes").text


def test_dynamodb_down_every_answer_still_comes(monkeypatch, new_talk, user_id, caplog):
    server = MotoServer()
    try:
        use_dynamodb(monkeypatch, server, server.create_table("down"))
        night = new_talk(user_id=user_id)
        night.launch()
        night.say("walk me through a bedtime stretch")
    finally:
        server.stop()
    with caplog.at_level(logging.WARNING, logger="skill.memory"):
        assert "Right calf" in night.say("next").text
        assert night.say("i have a leg cramp").text.startswith(STRETCH)
        again = new_talk(user_id=user_id)
        assert again.launch().text.endswith("What would you like?")
        assert "Left calf" in again.say("bedtime stretch").text
