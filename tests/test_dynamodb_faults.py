"""Remembering on DynamoDB when it misbehaves or holds what this version did not write: an answer
trickled back a byte at a time, a write that lands after the skill gave up on it, items past
their expiry, from a newer version, with a damaged version number, too big for a session."""

import json
import logging
import random

import pytest

from skill.stores import VERSION, DynamoDbStore, StaleWrite
from tests.fault_proxy import FaultProxy
from tests.test_dynamodb import (DISCLAIMER, dynamodb, envelope, person,  # noqa: F401
                                 raw_item, stored, use_dynamodb, user_id)
from tests.words import STRETCH

# The budget of a request's store calls in these tests: the trickle would take minutes; the
# answer must not wait for it.
BUDGET = "0.8"
# botocore's timeout per socket read, here far longer than the budget: a byte every 0.25 s never
# trips it, so only the budget can bound the call (with the suite's 0.3 s, a slow or faked clock
# could let the read timeout win the race, and the test would prove nothing about the budget).
READ_TIMEOUT = "3"
ALEXA_RESPONSE_LIMIT = 24 * 1024


@pytest.fixture
def proxy(dynamodb, monkeypatch):
    """DynamoDB behind the fault-injecting proxy, with a small budget for each request."""
    with FaultProxy(dynamodb.port) as faults:
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", faults.endpoint)
        monkeypatch.setenv("DYNAMODB_TIMEOUT", READ_TIMEOUT)
        monkeypatch.setenv("DYNAMODB_BUDGET", BUDGET)
        yield faults


def put_raw(server, user_id, **attributes):
    """An item as some other writer left it: `id` plus the DynamoDB-typed attributes given."""
    from skill.stores import user_key

    server.client().put_item(TableName=server.table,
                             Item={"id": {"S": user_key(envelope(user_id))}, **attributes})


def far_future() -> dict:
    return {"N": str(4_000_000_000)}


# --- 6: a trickled answer ------------------------------------------------------------------

def test_a_trickled_read_never_holds_the_launch(person, proxy, caplog):
    person().launch()                        # the person is known: their item exists
    proxy.mode = "trickle"
    with caplog.at_level(logging.WARNING):
        launch = person().launch()
        # Answered while DynamoDB was still trickling its answer, not after it gave up.
        assert proxy.trickling > 0
    assert launch.text.endswith("What would you like?") and not launch.ends_session
    assert "could not read what the skill remembers" in caplog.text
    assert f"within this request's budget of {BUDGET} s" in caplog.text


def test_a_write_that_lands_after_the_skill_gave_up_damages_nothing(person, proxy, dynamodb,
                                                                    user_id, caplog):
    night = person()
    night.launch()
    night.say("walk me through a bedtime stretch")
    proxy.mode = "trickle"
    with caplog.at_level(logging.WARNING):
        assert "Right calf" in night.say("next").text     # the write lands; its answer trickles
        assert proxy.trickling > 0
    assert "could not write what the skill remembers" in caplog.text
    proxy.mode = "pass"
    assert "Left hamstring" in night.say("next").text   # its copy is a version behind now
    final = stored(dynamodb, user_id)
    # The place kept is the step not yet done: the one after the step just said.
    assert final["walk"] == {"routine": "bedtime", "step": 3}
    assert final["disclaimer_heard"] is True


def test_junk_from_dynamodb_is_logged_and_every_answer_still_comes(person, proxy, caplog):
    person().launch()
    proxy.mode = "junk"
    with caplog.at_level(logging.WARNING):
        talk = person()
        assert talk.launch().text.endswith("What would you like?")
        assert "Left calf" in talk.say("bedtime stretch").text
    assert "could not read what the skill remembers" in caplog.text


# --- 7: two devices, one of them with an old copy -------------------------------------------

def spoken_step(reply) -> int | None:
    walk = reply.attributes.get("walk")
    return walk["step"] if walk else None


def test_the_saved_place_is_the_last_step_spoken_on_any_device(person, dynamodb, user_id):
    devices = {"bedroom": person(), "kitchen": person(consent_token="kitchen-consent")}
    devices["bedroom"].say("walk me through a bedtime stretch")
    devices["kitchen"].say("walk me through a bedtime stretch")     # offered step 1: carry on
    at = {"bedroom": 0, "kitchen": spoken_step(devices["kitchen"].say("yes"))}
    turns = random.Random(13)
    for turn in range(40):
        name = turns.choice(sorted(devices))
        device = devices[name]
        # Never past the third step: the last one finishes the routine and forgets the place.
        choices = ["back", "repeat", "pause then resume"] + (["next"] if at[name] < 2 else [])
        choice = turns.choice(choices)
        if choice == "pause then resume":
            device.say("pause")
            choice = "resume"
        reply = device.say(choice)
        at[name] = spoken_step(reply)
        # The place kept is the step not yet done: the one after the step just said.
        assert stored(dynamodb, user_id)["walk"]["step"] == at[name] + 1, \
            f"turn {turn}: {choice} on the {name} device left another device's place saved"


def test_a_step_said_again_on_a_device_with_an_old_copy_is_saved(person, dynamodb, user_id):
    bedroom, kitchen = person(), person(consent_token="kitchen-consent")
    bedroom.say("walk me through a bedtime stretch")
    assert "Right calf" in bedroom.say("next").text
    kitchen.say("walk me through a bedtime stretch")
    assert "Left hamstring" in kitchen.say("yes").text      # the step not yet done
    assert "Right calf" in bedroom.say("repeat").text
    assert stored(dynamodb, user_id)["walk"] == {"routine": "bedtime", "step": 2}


# --- 8: expired but not yet swept ----------------------------------------------------------

def test_an_item_past_its_expiry_reads_as_absent_and_its_version_still_lines_up(person, dynamodb,
                                                                                user_id):
    body = {"disclaimer_heard": True, "walk": {"routine": "bedtime", "step": 2}}
    put_raw(dynamodb, user_id, version={"N": "5"}, attributes={"S": json.dumps(body)},
            expires_at={"N": str(1_700_000_000)})    # long past, whatever the clock says
    launch = person().launch()
    assert "stopped your bedtime stretch" not in launch.text
    assert DISCLAIMER in launch.text
    after = stored(dynamodb, user_id)
    assert after == {"disclaimer_heard": True, VERSION: 6}
    assert int(raw_item(dynamodb, user_id)["expires_at"]["N"]) > 1_700_000_000


def test_the_adapter_reads_an_expired_item_as_empty_at_its_version(dynamodb, user_id):
    put_raw(dynamodb, user_id, version={"N": "5"}, attributes={"S": '{"disclaimer_heard":true}'},
            expires_at={"N": "1000"})
    assert DynamoDbStore(dynamodb.table).get_attributes(envelope(user_id)) == {VERSION: 5}


def test_an_item_without_a_version_is_replaced_as_damaged(person, dynamodb, user_id):
    put_raw(dynamodb, user_id, attributes={"S": '{"disclaimer_heard":true}'},
            expires_at=far_future())
    assert DISCLAIMER in person().launch().text       # unreadable: a first visit
    assert stored(dynamodb, user_id) == {"disclaimer_heard": True, VERSION: 1}


# --- 9: the session carries what the skill uses, bounded -----------------------------------

def test_a_huge_or_strange_stored_item_stays_out_of_the_session(person, dynamodb, user_id):
    body = '{"disclaimer_heard":true,"from_a_newer_version":"%s","odd":NaN,' \
           '"walk":{"routine":"bedtime","step":2}}' % ("x" * 30_000)
    put_raw(dynamodb, user_id, version={"N": "3"}, attributes={"S": body},
            expires_at=far_future())
    talk = person()
    for reply in (talk.launch(), talk.say("i have a cramp in my calf")):
        sent = json.dumps(reply.raw, allow_nan=False)      # raises on NaN
        assert len(sent.encode("utf-8")) < ALEXA_RESPONSE_LIMIT
        assert "memory" not in reply.attributes   # not carried whole: read again when needed
    # The fields it does not know stay in the store, through the writes.
    talk.say("bedtime stretch")
    talk.say("yes")
    kept = json.loads(raw_item(dynamodb, user_id)["attributes"]["S"])
    assert kept["from_a_newer_version"] == "x" * 30_000
    assert kept["walk"] == {"routine": "bedtime", "step": 3}


# --- 10: a newer format ---------------------------------------------------------------------

def test_item_attributes_this_version_does_not_know_survive_its_writes(person, dynamodb,
                                                                      user_id):
    put_raw(dynamodb, user_id, version={"N": "2"},
            attributes={"S": '{"disclaimer_heard":true,"night_voice":false}'},
            expires_at=far_future(), preferences={"M": {"voice": {"S": "slow"}}})
    talk = person()
    talk.launch()
    talk.say("walk me through a bedtime stretch")
    item = raw_item(dynamodb, user_id)
    assert item["preferences"] == {"M": {"voice": {"S": "slow"}}}
    assert item["version"] == {"N": "3"}
    assert json.loads(item["attributes"]["S"]) == {
        "disclaimer_heard": True, "night_voice": False, "walk": {"routine": "bedtime", "step": 1}}


def test_attributes_in_a_format_it_cannot_read_are_never_written_over(person, dynamodb, user_id,
                                                                     caplog):
    newer = {"M": {"disclaimer_heard": {"BOOL": True}, "walk": {"S": "bedtime:2"}}}
    put_raw(dynamodb, user_id, version={"N": "7"}, attributes=newer, expires_at=far_future())
    talk = person()
    with caplog.at_level(logging.WARNING):
        assert talk.launch().text.endswith("What would you like?")
        assert "Left calf" in talk.say("walk me through a bedtime stretch").text
    assert "could not read what the skill remembers" in caplog.text
    item = raw_item(dynamodb, user_id)
    assert item["attributes"] == newer and item["version"] == {"N": "7"}


# --- 11: a damaged version number ------------------------------------------------------------

@pytest.mark.parametrize("damaged", [{"S": "3"}, {"N": "-2"}, {"N": "2.5"}],
                         ids=["text", "negative", "fraction"])
def test_a_damaged_version_is_replaced_once_and_writes_go_on(person, dynamodb, user_id, damaged):
    put_raw(dynamodb, user_id, version=damaged, attributes={"S": '{"disclaimer_heard":true}'},
            expires_at=far_future())
    talk = person()
    assert DISCLAIMER in talk.launch().text       # unreadable: a first visit
    assert stored(dynamodb, user_id) == {"disclaimer_heard": True, VERSION: 1}
    talk.say("walk me through a bedtime stretch")
    assert stored(dynamodb, user_id)[VERSION] == 2


def test_a_damaged_version_is_replaced_only_if_it_is_still_the_same(dynamodb, user_id):
    put_raw(dynamodb, user_id, version={"S": "3"}, attributes={"S": "{}"},
            expires_at=far_future())
    store = DynamoDbStore(dynamodb.table)
    read = store.get_attributes(envelope(user_id))
    assert read == {VERSION: {"damaged": {"S": "3"}}}
    with pytest.raises(StaleWrite):
        store.save_attributes(envelope(user_id), {"walk": None, VERSION: {"damaged": {"S": "4"}}})
    with pytest.raises(StaleWrite):
        store.save_attributes(envelope(user_id), {VERSION: 0})          # not a new item
    store.save_attributes(envelope(user_id), {"disclaimer_heard": True, **read})
    with pytest.raises(StaleWrite):
        store.save_attributes(envelope(user_id), {"disclaimer_heard": False, **read})
    assert store.get_attributes(envelope(user_id)) == {"disclaimer_heard": True, VERSION: 1}


def test_the_mid_cramp_answer_is_untouched_by_all_of_this(person, proxy):
    proxy.mode = "trickle"
    assert person().say("i have a leg cramp").text.startswith(STRETCH)
    assert proxy.trickling == 0
