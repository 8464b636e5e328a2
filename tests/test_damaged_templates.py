"""A damaged shared template (the voice around every answer, the macros, a locale's words) must not
leave a person mid-cramp in silence: whatever can still be rendered is said, and whatever cannot
gets the locale's last resort (responses/<locale>/_last_resort.ssml, read through no template),
which says what to do for a cramp first.

Each case damages one file in a copy of responses/ and runs the real entry point in a fresh
process pointed at the copy (RESPONSES_DIR), as a deployment with that damage would run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from localdev.alexa_rules import response_problems
from localdev.envelopes import Conversation, Device, Reply
from skill.speech import LAST_RESORT, Speech
from tests.moto_server import ROOT
from tests.words import STRETCH

SERVE = """
import json, sys
from skill.app import handler
for line in sys.stdin:
    sys.stdout.write(json.dumps(handler(json.loads(line), None)) + "\\n")
    sys.stdout.flush()
"""
NIGHT = datetime(2024, 1, 15, 3, 0, tzinfo=timezone.utc)  # 3 a.m. in London
DAY = datetime(2024, 1, 15, 14, 0, tzinfo=timezone.utc)

DAMAGE = {
    "a syntax error": lambda text: text + "\n{% if %}",
    "a name it does not define": lambda text: "{{ never_defined }}",
    "an empty file": lambda text: "",
}
SHARED = ["en-US/_voice.ssml.j2", "en-US/_macros.ssml.j2", "en-US/_words.ssml.j2",
          "en/_words.ssml.j2", "en-GB/_words.ssml.j2"]


class DamagedSkill:
    """The skill's entry point in a fresh process, its words read from `responses`."""

    def __init__(self, responses, data):
        env = {**os.environ, "RESPONSES_DIR": str(responses), "DATA_DIR": str(data),
               "LOG_LEVEL": "CRITICAL"}
        for name in ("SKILL_ID", "TABLE_NAME"):
            env.pop(name, None)
        self.process = subprocess.Popen([sys.executable, "-c", SERVE], cwd=ROOT, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)

    def __call__(self, event, context):
        self.process.stdin.write(json.dumps(event) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the skill's process ended without an answer"
        raw = json.loads(line)
        assert not response_problems(event, raw), response_problems(event, raw)
        return raw

    def close(self):
        self.process.stdin.close()
        assert self.process.wait(timeout=30) == 0


@pytest.fixture
def damaged(tmp_path, alexa_api):
    opened = []

    def skill(path: str, damage: str) -> DamagedSkill:
        responses = tmp_path / "responses"
        shutil.copytree(ROOT / "responses", responses)
        target = responses / path
        target.write_text(DAMAGE[damage](target.read_text(encoding="utf-8")), encoding="utf-8")
        opened.append(DamagedSkill(responses, tmp_path / "data"))
        return opened[-1]

    yield skill
    for process in opened:
        process.close()


def talk(handler, alexa_api, locale: str, at: datetime) -> Conversation:
    return Conversation(handler, locale=locale, now=lambda: at,
                        device=Device(api_endpoint=alexa_api.url))


@pytest.mark.parametrize("damage", list(DAMAGE))
@pytest.mark.parametrize("path", SHARED)
def test_with_a_shared_template_damaged_the_person_still_hears_what_to_do(damaged, alexa_api,
                                                                          path, damage):
    handler = damaged(path, damage)
    locale = "en-GB" if path.startswith("en-GB") else "en-US"
    last_resort = Speech().last_resort(locale)
    replies = [
        talk(handler, alexa_api, locale, NIGHT).intent("LegCrampIntent"),
        talk(handler, alexa_api, locale, NIGHT).intent("AMAZON.FallbackIntent"),
        talk(handler, alexa_api, locale, DAY).intent("AMAZON.FallbackIntent"),
        talk(handler, alexa_api, locale, DAY).launch(),
        talk(handler, alexa_api, "de-DE", DAY).launch(),   # answered from en/
        Reply(handler({"request": {"type": "IntentRequest", "locale": locale}}, None)),
    ]
    for reply in replies:
        assert reply.ssml, "silence"
        # Either the answer itself, or the last resort: never a half-rendered one.
        assert reply.text == Reply({"response": {"outputSpeech": {
            "ssml": f"<speak>{last_resort}</speak>"}}}).text or last_resort not in reply.ssml
    cramp, night_fallback = replies[0], replies[1]
    assert cramp.text.startswith(STRETCH)
    assert STRETCH in night_fallback.text.split(".")[0] + "."
    # The file damaged is one every answer of its locale needs, or one the ones above use: at
    # least one of them fell back to the last resort.
    assert any(last_resort in reply.ssml for reply in replies)


def test_the_last_resort_is_found_for_every_locale_through_its_chain():
    speech = Speech()
    for locale in ("en-US", "en-GB", "en-AU", "en-CA", "en-IN", "de-DE", "", "x" * 300):
        assert speech.last_resort(locale).startswith(STRETCH)
    assert (ROOT / "responses" / "en-US" / LAST_RESORT).is_file()
