"""What may be remembered (the typed model) and the local store it is kept in (SQLite)."""

import json
import sqlite3
from dataclasses import fields

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from hypothesis import given, settings
from hypothesis import strategies as st

from localdev.envelopes import Conversation
from skill.memory import Memory, SavedWalk, apply
from skill.stores import (ONE_YEAR_SECONDS, VERSION, DynamoDbStore, SqliteStore, StaleWrite,
                          from_environment)


FIELDS = ["disclaimer_heard", "walk", "reminder_time", "reminder_token"]


def envelope_for(user_id="amzn1.ask.account.SOMEONE"):
    raw = Conversation(handler=None, user_id=user_id).launch_request()
    return DefaultSerializer().deserialize(json.dumps(raw), RequestEnvelope)


def test_the_model_round_trips():
    memory = Memory(disclaimer_heard=True, walk=SavedWalk("bedtime", 2), reminder_time="21:00")
    assert Memory.from_attributes(memory.to_attributes()) == memory


def test_the_model_holds_preferences_and_progress_only():
    assert [each.name for each in fields(Memory)] == FIELDS


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12),
                       lambda children: st.lists(children, max_size=3)
                       | st.dictionaries(st.text(max_size=8), children, max_size=3),
                       max_leaves=8)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from([*FIELDS, "symptoms", "version"]), JSONISH) | JSONISH)
def test_damaged_or_strange_items_read_as_what_can_be_trusted(raw):
    memory = Memory.from_attributes(raw)
    assert isinstance(memory.disclaimer_heard, bool)
    assert memory.walk is None or (isinstance(memory.walk.step, int) and memory.walk.step >= 0)
    assert Memory.from_attributes(memory.to_attributes()) == memory
    assert "symptoms" not in memory.to_attributes()


def test_a_change_re_applies_on_a_newer_copy_field_by_field():
    theirs = {"disclaimer_heard": True, "reminder_time": "21:00", "from_a_newer_version": 1}
    walk = {"routine": "bedtime", "step": 1}
    assert apply(theirs, {"walk": walk}) == {**theirs, "walk": walk}
    assert apply(theirs, {"reminder_time": None}) == {"disclaimer_heard": True,
                                                      "from_a_newer_version": 1}


@pytest.fixture
def store(tmp_path):
    opened = SqliteStore(tmp_path / "data" / "memory.sqlite3")
    yield opened
    opened.close()


def test_nothing_stored_reads_as_version_zero(store):
    assert store.get_attributes(envelope_for()) == {VERSION: 0}


def test_save_then_load(store):
    someone = envelope_for()
    written = {"disclaimer_heard": True, VERSION: 0}      # the version read: no item yet
    store.save_attributes(someone, written)
    assert written[VERSION] == 1                          # the version written
    assert store.get_attributes(someone) == {"disclaimer_heard": True, VERSION: 1}
    store.save_attributes(someone, {"disclaimer_heard": True, "walk": None, VERSION: 1})
    assert store.get_attributes(someone)[VERSION] == 2
    assert store.get_attributes(envelope_for("amzn1.ask.account.OTHER")) == {VERSION: 0}


def test_a_write_on_a_stale_version_is_refused_with_what_is_there_now(store):
    someone = envelope_for()
    store.save_attributes(someone, {"night_voice": False, VERSION: 0})
    store.save_attributes(someone, {"night_voice": True, VERSION: 1})
    with pytest.raises(StaleWrite) as refused:
        store.save_attributes(someone, {"night_voice": False, VERSION: 1})
    assert refused.value.current == {"night_voice": True, VERSION: 2}
    with pytest.raises(StaleWrite):
        store.save_attributes(someone, {VERSION: 0})
    assert store.get_attributes(someone) == {"night_voice": True, VERSION: 2}


def test_the_user_id_is_never_stored(store, tmp_path):
    store.save_attributes(envelope_for("amzn1.ask.account.VERY-PERSONAL"), {VERSION: 0})
    raw = (tmp_path / "data" / "memory.sqlite3").read_bytes()
    assert b"VERY-PERSONAL" not in raw


def test_delete_forgets(store):
    someone = envelope_for()
    store.save_attributes(someone, {"disclaimer_heard": True, VERSION: 0})
    store.delete_attributes(someone)
    assert store.get_attributes(someone) == {VERSION: 0}


def test_items_expire_a_year_after_the_last_write(tmp_path):
    now = [1_700_000_000]
    store = SqliteStore(tmp_path / "memory.sqlite3", clock=lambda: now[0])
    someone = envelope_for()
    store.save_attributes(someone, {"disclaimer_heard": True, VERSION: 0})
    now[0] += ONE_YEAR_SECONDS - 1
    assert store.get_attributes(someone)["disclaimer_heard"] is True
    now[0] += 2
    assert store.get_attributes(someone) == {VERSION: 1}
    store.close()
    # Reopening sweeps what has expired.
    assert SqliteStore(tmp_path / "memory.sqlite3", clock=lambda: now[0]).get_attributes(
        someone) == {VERSION: 0}


def test_a_damaged_row_reads_as_empty_and_keeps_its_version(store, tmp_path):
    someone = envelope_for()
    store.save_attributes(someone, {"disclaimer_heard": True, VERSION: 0})
    store.close()
    with sqlite3.connect(tmp_path / "data" / "memory.sqlite3") as raw:
        raw.execute("UPDATE memory SET attributes = '{not json'")
    assert store.get_attributes(someone) == {VERSION: 1}
    store.save_attributes(someone, {"disclaimer_heard": True, VERSION: 1})


def test_the_store_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "elsewhere"))
    local = from_environment()
    assert isinstance(local, SqliteStore)
    assert local.path == tmp_path / "elsewhere" / "memory.sqlite3"
    assert not local.path.parent.exists(), "opened before it was needed"
    monkeypatch.setenv("TABLE_NAME", "leg-cramp-memory")
    remote = from_environment()
    assert isinstance(remote, DynamoDbStore) and remote.table_name == "leg-cramp-memory"
    assert remote._client is None, "a client was created before it was needed"


@pytest.mark.parametrize("damaged", [-2, 0, 2.5, "three"])
def test_a_damaged_version_reads_as_unreadable_and_is_replaced_only_if_unchanged(store, damaged):
    someone = envelope_for()
    store.save_attributes(someone, {"disclaimer_heard": True, VERSION: 0})
    store.connection.execute("UPDATE memory SET version = ?", (damaged,))
    read = store.get_attributes(someone)
    assert read == {VERSION: {"damaged": damaged}}                      # and nothing else
    with pytest.raises(StaleWrite):
        store.save_attributes(someone, {VERSION: 0})                       # not a new item
    with pytest.raises(StaleWrite):
        store.save_attributes(someone, {VERSION: {"damaged": "something else"}})
    store.save_attributes(someone, {"walk": {"routine": "bedtime", "step": 1}, **read})
    assert store.get_attributes(someone) == {"walk": {"routine": "bedtime", "step": 1},
                                             VERSION: 1}


def test_a_field_set_by_a_request_is_marked_even_when_its_value_is_unchanged():
    memory = Memory.from_attributes({"walk": {"routine": "bedtime", "step": 1}})
    assert memory.set_here == set()
    memory.walk = SavedWalk("bedtime", 1)
    assert memory.set_here == {"walk"}


def test_remembered_text_is_bounded():
    huge = {"routine": "bedtime" * 1000, "step": 1}
    assert Memory.from_attributes({"walk": huge}).walk is None
