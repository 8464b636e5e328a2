"""The local chat console: transcript shape with a fake skill, and one run against the real one."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from localdev import chat
from localdev.envelopes import Conversation, Device
from localdev.matcher import Matcher
from tests.words import STRETCH

ROOT = Path(__file__).resolve().parent.parent

MODEL = {"interactionModel": {"languageModel": {
    "invocationName": "leg cramp helper",
    "intents": [
        {"name": "LegCrampIntent", "slots": [{"name": "Muscle", "type": "MUSCLE"}],
         "samples": ["i have a leg cramp", "i have a cramp in my {Muscle}"]},
        {"name": "AMAZON.YesIntent", "samples": []},
        {"name": "AMAZON.FallbackIntent", "samples": []},
    ],
    "types": [{"name": "MUSCLE", "values": [
        {"id": "FOOT", "name": {"value": "foot", "synonyms": ["feet"]}},
        {"id": "CALF", "name": {"value": "calf"}}]}],
}}}


def fake_handler(event: dict, context) -> dict:
    """A tiny skill: answers a cramp and asks; "yes" or "stop" closes; says which intent it got."""
    request = event["request"]
    if request["type"] == "SessionEndedRequest":
        return {"version": "1.0", "response": {}}
    if request["type"] == "LaunchRequest":
        speech, end = "Welcome. <break time='1s'/> What is wrong?", False
    elif request["intent"]["name"] == "LegCrampIntent":
        slot = request["intent"].get("slots", {}).get("Muscle", {})
        resolved = slot.get("resolutions", {}).get("resolutionsPerAuthority", [{}])[0]
        muscle = resolved.get("values", [{}])[0].get("value", {}).get("id", "LEG")
        speech, end = f"Stretch your {muscle.lower()} &amp; breathe. Better?", False
    elif request["intent"]["name"] in ("AMAZON.YesIntent", "AMAZON.StopIntent"):
        speech, end = "Good night.", True
    else:
        speech, end = f"You said {request['intent']['name']}.", False
    response = {"outputSpeech": {"type": "SSML", "ssml": f"<speak>{speech}</speak>"},
                "shouldEndSession": end}
    if not end:
        response["reprompt"] = {"outputSpeech": {"type": "SSML", "ssml": "<speak>Well?</speak>"}}
    if event["context"]["System"]["device"]["supportedInterfaces"] and not end:
        response["directives"] = [{"type": "Alexa.Presentation.APL.RenderDocument"}]
    return {"version": "1.0", "response": response, "sessionAttributes": {"turns": 1}}


@pytest.fixture
def matcher(tmp_path) -> Matcher:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(MODEL))
    return Matcher.from_file(path)


def script(lines, matcher, **kwargs) -> tuple[list[str], Conversation]:
    device = Device(screen=kwargs.pop("screen", False))
    conversation = Conversation(handler=fake_handler, device=device)
    out = io.StringIO()
    assert chat.run_script(lines, conversation, out, matcher=matcher, **kwargs) == 0
    return out.getvalue().splitlines(), conversation


def test_transcript_shape(matcher):
    lines, _ = script(["open leg cramp helper", "i have a cramp in my feet", "yes"], matcher)
    assert lines == [
        "you: open leg cramp helper",
        "alexa: Welcome. … What is wrong?",
        chat.LISTENING,
        "you: i have a cramp in my feet",
        "alexa: Stretch your foot & breathe. Better?",
        chat.LISTENING,
        "you: yes",
        "alexa: Good night.",
        chat.CLOSED,
    ]


def test_first_line_is_a_one_shot_and_a_closed_session_starts_a_new_one(matcher):
    said = ["i have a cramp in my calf", "yes", "i have a leg cramp"]
    lines, conversation = script(said, matcher)
    requests = [envelope for envelope, _ in conversation.history]
    assert [r["request"]["type"] for r in requests] == ["IntentRequest"] * 3
    assert [r["session"]["new"] for r in requests] == [True, False, True]
    assert requests[0]["request"]["intent"]["name"] == "LegCrampIntent"
    assert requests[0]["session"]["sessionId"] != requests[2]["session"]["sessionId"]
    assert lines[1] == "alexa: Stretch your calf & breathe. Better?"


def test_exit_ends_an_open_session_and_stops_the_script(matcher):
    lines, conversation = script(["open leg cramp helper", "Exit.", "i have a leg cramp"], matcher)
    assert lines[-2:] == ["you: Exit.", chat.CLOSED]
    last, _ = conversation.history[-1]
    assert last["request"]["type"] == "SessionEndedRequest"
    assert last["request"]["reason"] == "USER_INITIATED"
    assert len(conversation.history) == 2


def test_exit_without_a_session_sends_nothing(matcher):
    lines, conversation = script(["i have a leg cramp", "yes", "goodbye alexa"], matcher)
    assert lines[-1] == "you: goodbye alexa"
    assert [e["request"]["type"] for e, _ in conversation.history] == ["IntentRequest"] * 2


def test_unknown_words_go_to_the_fallback_intent(matcher):
    lines, _ = script(["open leg cramp helper", "purple monkey dishwasher"], matcher)
    assert lines[4] == "alexa: You said AMAZON.FallbackIntent."


def test_show_json_prints_both_envelopes(matcher):
    lines, _ = script(["i have a cramp in my foot"], matcher, show_json=True)
    text = "\n".join(lines)
    assert '"type": "IntentRequest"' in text and '"ER_SUCCESS_MATCH"' in text
    assert "request: {" in text and "response: {" in text
    assert lines[-2:] == ["alexa: Stretch your foot & breathe. Better?", chat.LISTENING]


def test_screen_device_reports_apl_and_directives_are_shown(matcher):
    lines, conversation = script(["open leg cramp helper"], matcher, screen=True)
    envelope, _ = conversation.history[0]
    interfaces = envelope["context"]["System"]["device"]["supportedInterfaces"]
    assert "Alexa.Presentation.APL" in interfaces
    assert "(screen: Alexa.Presentation.APL.RenderDocument)" in lines


def test_interactive_console_reads_until_eof_and_ends_the_session(matcher):
    said = iter(["open leg cramp helper", "", "i have a leg cramp"])
    prompts = []

    def read(prompt):
        prompts.append(prompt)
        try:
            return next(said)
        except StopIteration:
            raise EOFError from None

    conversation = Conversation(handler=fake_handler)
    out = io.StringIO()
    assert chat.run_interactive(conversation, matcher=matcher, read=read, out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == chat.HINT and "exit" in chat.HINT
    assert set(prompts) == {"you> "} and len(prompts) == 4
    assert lines[1:] == ["alexa: Welcome. … What is wrong?", chat.LISTENING,
                         "alexa: Stretch your leg & breathe. Better?", chat.LISTENING,
                         "", chat.CLOSED]
    assert conversation.history[-1][0]["request"]["type"] == "SessionEndedRequest"


@pytest.mark.parametrize("stop", [KeyboardInterrupt, "quit"])
def test_interactive_console_quits_cleanly(matcher, stop):
    def read(prompt):
        if isinstance(stop, str):
            return stop
        raise stop

    assert chat.run_interactive(Conversation(handler=fake_handler), matcher=matcher, read=read,
                                out=io.StringIO()) == 0


def broken(event, context):
    raise RuntimeError("boom")


def test_interactive_console_survives_a_skill_error(matcher, capsys):
    said = iter(["i have a leg cramp", "exit"])
    conversation = Conversation(handler=broken)
    out = io.StringIO()
    assert chat.run_interactive(conversation, matcher=matcher, read=lambda prompt: next(said),
                                out=out) == 0
    assert "RuntimeError: boom" in capsys.readouterr().err
    # As on a device: Alexa says there was a problem and the session is over.
    assert out.getvalue().splitlines()[1:] == [f"alexa: {chat.SKILL_FAILED}", chat.CLOSED]
    assert not conversation.in_session


def test_script_reports_a_skill_error_with_exit_code_1(matcher, capsys):
    conversation = Conversation(handler=broken)
    out = io.StringIO()
    assert chat.run_script(["i have a leg cramp", "yes"], conversation, out, matcher=matcher) == 1
    assert out.getvalue().count(chat.SKILL_FAILED) == 2
    assert capsys.readouterr().err.count("RuntimeError: boom") == 2


def test_main_with_say_uses_skill_app_handler(matcher, monkeypatch, capsys):
    fake_app = type(sys)("skill.app")
    fake_app.handler = fake_handler
    monkeypatch.setitem(sys.modules, "skill.app", fake_app)
    monkeypatch.setattr(Matcher, "_cache", {"en-US": matcher})
    assert chat.main(["--say", "i have a cramp in my foot", "--say", "yes", "--screen"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "you: i have a cramp in my foot",
        "alexa: Stretch your foot & breathe. Better?",
        "(screen: Alexa.Presentation.APL.RenderDocument)",
        chat.LISTENING,
        "you: yes",
        "alexa: Good night.",
        chat.CLOSED,
    ]


def run_chat(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("SKILL_ID", "TABLE_NAME")}
    return subprocess.run([sys.executable, "-m", "localdev.chat", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_importing_chat_does_not_load_the_skill():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, localdev.chat; print('skill.app' in sys.modules)"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def test_help_runs_as_a_module():
    result = run_chat("--help")
    assert result.returncode == 0 and "--say" in result.stdout and "--screen" in result.stdout


# --- the real skill --------------------------------------------------------------------------

def test_real_skill_one_shot_cramp_then_stop_via_subprocess():
    """End to end against the real skill: `python -m localdev.chat --say ...` with
    skill.app.handler, the real interaction model and the real templates."""
    result = run_chat("--say", "Alexa, ask leg cramp helper what to do, I have a leg cramp",
                      "--say", "stop", "--show-json", "--at", "12:00")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '"name": "LegCrampIntent"' in out and '"name": "AMAZON.StopIntent"' in out
    transcript = [line for line in out.splitlines()
                  if line.startswith(("you: ", "alexa: ")) or line in (chat.LISTENING, chat.CLOSED)]
    assert transcript[0] == "you: Alexa, ask leg cramp helper what to do, I have a leg cramp"
    assert transcript[1].startswith("alexa: ") and len(transcript[1]) > len("alexa: ") + 10
    assert transcript[1] != "alexa: (says nothing)"
    assert transcript[2] in (chat.LISTENING, chat.CLOSED)
    assert transcript[3] == "you: stop"
    assert transcript[-1] == chat.CLOSED


def test_real_skill_at_night_speaks_softly_via_subprocess():
    """--at and --time-zone set the device's clock; the Settings API is a local stand-in."""
    night = run_chat("--at", "03:00", "--time-zone", "Europe/London",
                     "--say", "i have a leg cramp")
    assert night.returncode == 0, night.stderr
    assert f"alexa (softly): {STRETCH}" in night.stdout
    day = run_chat("--at", "15:00", "--say", "i have a leg cramp")
    assert f"alexa: {STRETCH}" in day.stdout


def test_a_time_zone_that_is_not_one_is_refused():
    result = run_chat("--time-zone", "Mars/Base", "--say", "hi")
    assert result.returncode == 2 and "not a time zone" in result.stderr


def test_a_reminder_is_set_end_to_end_with_alexa_asking_for_the_permission():
    # At a fixed afternoon hour: the night voice would change the words.
    result = run_chat("--at", "15:00", "--say", "remind me to stretch at nine p m",
                      "--say", "how do i prevent cramps")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "(directive: Connections.SendRequest AskFor)" in lines
    assert "(Alexa asks for permission to use reminders; here, you say yes)" in lines
    assert any(line.startswith("alexa: Done. I'll remind you to stretch every night at 9 PM.")
               for line in lines)
    assert "(card in the Alexa app: Helping to prevent leg cramps)" in lines
