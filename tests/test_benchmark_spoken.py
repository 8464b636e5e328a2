"""The spoken-length benchmark keeps working and measures what it says (no timings asserted)."""

import json
import subprocess
import sys
from pathlib import Path

from benchmarks import spoken
from skill.routines import BEDTIME, RELIEF
from skill.speech import Speech

ROOT = Path(__file__).resolve().parent.parent


def test_every_response_key_is_measured():
    rows = spoken.key_figures(espeak=False)
    assert sorted(row.key for row in rows) == sorted(Speech().keys())
    cramp = next(row for row in rows if row.key == "relief/answer")
    assert cramp.words_before_instruction == 0
    assert cramp.night_seconds < cramp.day_seconds


def test_each_routine_is_walked_to_its_end_by_day_and_by_night():
    rows = {(row.routine, row.night): row for row in spoken.routine_figures(espeak=False)}
    for night in (False, True):
        assert rows["bedtime", night].responses == len(BEDTIME.steps)
        # The holds and rests, and each step's pause to get into position.
        assert rows["bedtime", night].break_seconds == BEDTIME.seconds + sum(
            step.settle_seconds for step in BEDTIME.steps)
        # The relief walk starts at the cramp answer, then its steps.
        assert rows["relief", night].responses == 1 + len(RELIEF.steps)
        assert rows["relief", night].break_seconds == RELIEF.seconds


def test_each_bedtime_step_on_a_screen_is_measured():
    rows = spoken.step_figures(espeak=False)
    assert [(row.step, row.night) for row in rows] == [
        (number, night) for night in (False, True) for number in range(1, len(BEDTIME.steps) + 1)]
    for row in rows:
        step = BEDTIME.steps[row.step - 1]
        assert row.settle_seconds == step.settle_seconds
        assert row.before_first_hold > row.settle_seconds
        assert row.drift_max is None      # espeak-ng measures the drift, and was not asked


def test_an_ssml_prefix_is_closed_to_be_spoken():
    assert spoken._closed('<speak><prosody rate="90%">Hold. <break time="5s"/>') == (
        '<speak><prosody rate="90%">Hold. <break time="5s"/></prosody></speak>')


def test_runs_as_a_script():
    result = subprocess.run([sys.executable, "benchmarks/spoken.py", "--json", "--no-espeak"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert {"keys", "routines", "steps"} <= json.loads(result.stdout).keys()


def test_a_place_left_in_the_local_store_is_not_walked_instead(tmp_path, monkeypatch):
    """`make chat` leaves a half-done bedtime stretch in the default store; the benchmark still
    walks the routine from its first step (it once measured the "shall we carry on?" offer, then
    failed on its screen)."""
    from localdev.api_stand_in import AlexaApiStandIn
    from localdev.envelopes import Conversation
    from localdev.environment import skill_environment
    from skill.app import handler

    with skill_environment({"SKILL_ID": None, "TABLE_NAME": None, "DATA_DIR": str(tmp_path)}):
        talk = Conversation(handler)
        talk.say("walk me through a bedtime stretch")
        talk.say("stop")
        assert "carry on" in Conversation(handler).say("walk me through a bedtime stretch").text
        with AlexaApiStandIn(time_zone=spoken.TIME_ZONE) as api:
            said = spoken.walk("bedtime", night=False, api_url=api.url)
            shown = spoken.screen_walk(night=False, api_url=api.url)
    assert len(said) == len(BEDTIME.steps) and "carry on" not in said[0]
    assert len(shown) == len(BEDTIME.steps)
