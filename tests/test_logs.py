"""One JSON log line per request: what came in, how it went, how long it took, and never who."""

import json

import pytest

from localdev.envelopes import DEFAULT_USER_ID, Conversation, SlotFill
from skill.app import RequestRefused, handler
from skill.logs import user_hash


def log_lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def test_a_cramp_request_leaves_one_line_with_its_fields(talk, capsys):
    talk.say("i have a cramp in my calf")
    [line] = log_lines(capsys)
    request = talk.history[-1][0]["request"]
    assert line["request_id"] == request["requestId"]
    assert line["request_type"] == "IntentRequest"
    assert line["intent"] == "LegCrampIntent"
    assert line["locale"] == talk.locale
    assert line["outcome"] == "answered"
    assert isinstance(line["latency_ms"], float) and line["latency_ms"] >= 0
    assert line["level"] == "INFO" and line["timestamp"].endswith("Z")


def test_one_line_per_request_through_a_conversation(talk, capsys):
    talk.launch()
    talk.say("walk me through a bedtime stretch")
    talk.say("next")
    talk.end("USER_INITIATED")
    lines = log_lines(capsys)
    assert [line["request_type"] for line in lines] == [
        "LaunchRequest", "IntentRequest", "IntentRequest", "SessionEndedRequest"]
    assert [line["intent"] for line in lines] == [
        None, "BedtimeStretchIntent", "AMAZON.NextIntent", None]


def test_no_user_id_and_nothing_said_is_ever_logged(talk, capsys):
    talk.intent("LegCrampIntent", Muscle=SlotFill("my secret <b>& calf", "CALF"))
    out = capsys.readouterr().err
    assert DEFAULT_USER_ID not in out and "LOCALDEVELOPER" not in out
    assert "secret" not in out and "Straighten" not in out
    assert "user" not in json.loads(out)


def test_with_a_salt_the_user_is_a_keyed_hash(new_talk, capsys, monkeypatch):
    monkeypatch.setenv("LOG_SALT", "clinic-salt")
    new_talk(user_id="amzn1.ask.account.ALICE").launch()
    new_talk(user_id="amzn1.ask.account.ALICE").launch()
    new_talk(user_id="amzn1.ask.account.BOB").launch()
    alice, alice_again, bob = (line["user"] for line in log_lines(capsys))
    assert alice == alice_again != bob
    assert len(alice) == 16 and "ALICE" not in alice
    assert alice != user_hash("amzn1.ask.account.ALICE", salt="another-salt")


def test_a_refused_request_is_logged_as_refused(monkeypatch, capsys):
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.mine")
    with pytest.raises(RequestRefused):
        Conversation(handler, skill_id="amzn1.ask.skill.theirs").launch()
    [line] = log_lines(capsys)
    assert line["outcome"] == "refused" and line["level"] == "WARNING"


@pytest.mark.parametrize("event", [None, {"request": {"type": 7}}, {"request": "x"}])
def test_an_unreadable_request_is_logged_without_failing(event, capsys):
    handler(event, None)
    [line] = log_lines(capsys)
    assert line["outcome"] == "unreadable"
    assert line["request_type"] is None and line["request_id"] is None


def test_the_lambda_request_id_is_logged_for_correlation(talk, capsys):
    class LambdaContext:
        aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"

    talk.context = LambdaContext()
    talk.launch()
    [line] = log_lines(capsys)
    assert line["lambda_request_id"] == LambdaContext.aws_request_id


def test_at_log_level_warning_only_refusals_and_failures_are_logged(talk, capsys, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    talk.launch()
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("SKILL_ID", "amzn1.ask.skill.mine")
    import skill.app

    skill.app._SKILL = None
    with pytest.raises(RequestRefused):
        Conversation(handler, skill_id="amzn1.ask.skill.theirs").launch()
    assert log_lines(capsys)[0]["outcome"] == "refused"
