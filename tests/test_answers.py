"""Each request's log line says what kind of answer was said (`answer`), from one table of response
keys (skill/answers.py), so a clinic can count how often the skill sends people to care; the
template turns the field into one CloudWatch metric per kind (tests/test_operations.py)."""

import json
from pathlib import Path

import pytest

from skill import answers
from skill.speech import Speech

ROOT = Path(__file__).resolve().parent.parent


def log_lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().err.splitlines()]


def said(capsys) -> str | None:
    [line] = log_lines(capsys)
    return line.get("answer")


def test_every_response_key_has_a_kind_of_answer():
    missing = []
    for key in Speech().keys():
        try:
            answers.kind(key)
        except KeyError:
            missing.append(key)
    assert missing == [], "add a row to skill/answers.py KINDS for each"


def test_every_row_names_a_key_or_folder_that_exists():
    keys = set(Speech().keys())
    for row in answers.KINDS:
        if row in (answers.REPEAT, answers.LAST_RESORT):
            continue
        assert row in keys or any(key.startswith(row) for key in keys if row.endswith("/")), row


def test_a_key_takes_its_own_row_before_its_folders():
    assert answers.kind("relief/answer") == "relief"
    assert answers.kind("relief/eased") == "goodbye"
    assert answers.kind("doctor/book") == "see_doctor" and answers.kind("doctor/next") == "triage"
    with pytest.raises(KeyError):
        answers.kind("no/such/key")
    with pytest.raises(KeyError):
        answers.kind("relief")  # a folder's row is for the keys under it, not its name


def test_the_operations_page_lists_every_kind():
    page = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for kind in set(answers.KINDS.values()) | set(answers.CARE.values()):
        assert f"`{kind}`" in page, kind


@pytest.mark.parametrize("say, kind", [
    ("i have pins and needles in my foot", "see_doctor"),
    ("my face is swollen", "not_a_leg"),
    ("my calf is tender after the cramp", "self_care"),
])
def test_a_symptom_answer_is_counted_by_the_care_it_gave(talk, capsys, say, kind):
    talk.say(say)
    assert said(capsys) == kind


@pytest.mark.parametrize("say, kind", [
    ("i have a leg cramp", "relief"),
    ("what causes leg cramps", "advice"),
    ("i have chest pain", "emergency"),
    ("my calf is swollen", "care_now"),
    ("should i see a doctor", "triage"),
    ("walk me through a bedtime stretch", "walkthrough"),
    ("help", "help"),
])
def test_the_log_line_says_what_kind_of_answer_was_given(talk, capsys, say, kind):
    talk.say(say)
    assert said(capsys) == kind


def test_care_at_the_end_of_the_check_is_counted_as_care(talk, capsys):
    talk.say("should i see a doctor")
    talk.say("yes")
    log_lines(capsys)
    talk.say("yes")  # to the first question: the emergency signs
    assert said(capsys) == "emergency"


def test_not_understood_repeated_and_said_nothing_are_told_apart(talk, capsys):
    talk.launch()
    talk.intent("AMAZON.FallbackIntent")
    talk.say("repeat")
    talk.end("USER_INITIATED")
    kinds = [line.get("answer") for line in log_lines(capsys)]
    assert kinds == ["welcome", "fallback", "repeat", None]


def test_a_failing_handler_is_counted_as_an_error_answer(talk, capsys, monkeypatch):
    from skill.conversation import advice

    def broken(self, handler_input):
        raise RuntimeError("a bug")

    monkeypatch.setattr(advice.CausesHandler, "handle", broken)
    talk.say("what causes leg cramps")
    [line] = [line for line in log_lines(capsys) if line.get("message") == "request"]
    assert line["answer"] == "error" and line["outcome"] == "answered"


def test_the_answer_field_names_no_person_and_no_words(talk, capsys):
    talk.say("i have a cramp in my calf")
    [line] = log_lines(capsys)
    assert set(answers.KINDS.values()) >= {line["answer"]}
    assert "calf" not in json.dumps(line)
