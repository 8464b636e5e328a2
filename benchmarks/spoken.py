"""How long the skill talks: every response key, and each guided routine walked by voice.

    python -m benchmarks.spoken          # or: python benchmarks/spoken.py, make bench-spoken
    python -m benchmarks.spoken --json   # the same figures, for another script

For every response key, rendered with the sample data the template tests use (localdev/samples.py
SAMPLES, the first sample without hostile text, first wording): the words before the first
instruction a person can act on, and the seconds of speech by day and by night (words at 150 a
minute plus every break, localdev.measure). If `espeak-ng` and `soxi` are installed, also the
length of the audio espeak-ng makes from the SSML; it speaks faster than Alexa and honours the
night voice's slower rate, so read its seconds as relative.

Then the bedtime routine and the mid-cramp relief routine, each walked from its first words to
its goodbye through the real `handler(event, context)`, by day and by night (a local stand-in
for the Alexa Settings API gives the device's time zone).

Then each bedtime step on a device with a screen, by day and by night: how long the voice talks
before the first hold (of which the pause to get into position), and the screen's drift against
the voice: when the countdown (from the RenderDocument's datasource, skill/timeline.py) starts
the first hold and ends each hold, against when the voice does. The voice is espeak-ng, speaking
at the rate the timeline assumes (150 words a minute; 135 at night, the night voice's 90 %,
given to espeak-ng as its rate, since it also stretches breaks inside `<prosody rate>`, which
Alexa does not), measured on the SSML up to each of those moments. espeak-ng's nominal rate is
not what it speaks (`-s 150` says about 180 words a minute), so it is first calibrated on the
steps' own words to speak at the timeline's rate: what is left is the timeline's error from
counting words rather than syllables and punctuation.

`main()` prints; `measure()` returns the figures for the main benchmark to use.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from localdev.measure import break_seconds, spoken_seconds, words_before_instruction  # noqa: E402

TIME_ZONE = "Europe/London"
DAY = datetime(2024, 1, 15, 13, 0, tzinfo=timezone.utc)
NIGHT = datetime(2024, 1, 15, 23, 0, tzinfo=timezone.utc)

# Each routine as a person walks it: what they say first, then "next" until the session closes.
# The relief walk starts at the cramp answer, as it does in the middle of the night.
WALKS = {
    "bedtime": ["walk me through a bedtime stretch"],
    "relief": ["i have a leg cramp", "yes"],
}


@dataclass
class KeyFigures:
    key: str
    words_before_instruction: int | None
    day_seconds: float
    night_seconds: float
    espeak_day_seconds: float | None = None
    espeak_night_seconds: float | None = None


@dataclass
class StepFigures:
    step: int
    title: str
    night: bool
    before_first_hold: float       # seconds of speech before the first hold (timeline)
    settle_seconds: int            # of which the pause to get into position
    espeak_before_first_hold: float | None = None
    drift_max: float | None = None         # countdown vs espeak-ng, worst moment, seconds
    drift_last_hold: float | None = None   # at the end of the last hold ("and relax")


@dataclass
class RoutineFigures:
    routine: str
    night: bool
    responses: int
    spoken_seconds: float   # words at 150 a minute plus breaks, every response of the walk
    break_seconds: float    # of which timed holds, rests and pauses
    espeak_seconds: float | None = None


def espeak_seconds(ssml: str) -> float | None:
    """Seconds of audio espeak-ng makes from this SSML, or None without espeak-ng and soxi."""
    if not (shutil.which("espeak-ng") and shutil.which("soxi")):
        return None
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "out.wav"
        subprocess.run(["espeak-ng", "-m", "-w", str(wav), ssml], check=True,
                       capture_output=True, timeout=120)
        seconds = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True,
                                 text=True, timeout=30).stdout
    return float(seconds)


def sample_data() -> dict[str, dict]:
    """One plain sample per response key: the template tests' first one without hostile text."""
    from localdev.samples import HOSTILE, SAMPLES

    def plain(data: dict) -> bool:
        return not any(isinstance(v, str) and HOSTILE in v for v in data.values())

    return {key: next((d for d in samples if plain(d)), samples[0])
            for key, samples in SAMPLES.items()}


def key_figures(espeak: bool = True) -> list[KeyFigures]:
    from skill.speech import Speech

    speech = Speech(choose=lambda n: 0)
    rows = []
    for key, data in sorted(sample_data().items()):
        day, night = ("<speak>" + speech.render("en-US", key, night=n, **data) + "</speak>"
                      for n in (False, True))
        row = KeyFigures(key, words_before_instruction(day), round(spoken_seconds(day), 1),
                         round(spoken_seconds(night), 1))
        if espeak:
            row.espeak_day_seconds = _rounded(espeak_seconds(day))
            row.espeak_night_seconds = _rounded(espeak_seconds(night))
        rows.append(row)
    return rows


def walk(routine: str, night: bool, api_url: str) -> list[str]:
    """Every SSML the skill says walking `routine` by voice, first words to goodbye."""
    from localdev.envelopes import Conversation, Device
    from localdev.environment import first_time
    from skill.app import handler

    moment = NIGHT if night else DAY
    with first_time():
        talk = Conversation(handler, device=Device(api_endpoint=api_url), now=lambda: moment)
        said = [talk.say(words) for words in WALKS[routine]]
        # To its last step, which closes or asks one more question (the bedtime reminder).
        while not said[-1].ends_session and said[-1].attributes.get("walk") is not None:
            said.append(talk.say("next"))
            if len(said) > 50:
                raise RuntimeError(f"the {routine} routine never ended")
    return [reply.ssml for reply in said]


def routine_figures(espeak: bool = True) -> list[RoutineFigures]:
    from localdev.api_stand_in import AlexaApiStandIn

    rows = []
    with AlexaApiStandIn(time_zone=TIME_ZONE) as api:
        for routine in WALKS:
            for night in (False, True):
                said = walk(routine, night, api.url)
                row = RoutineFigures(routine, night, len(said),
                                     round(sum(map(spoken_seconds, said)), 1),
                                     round(sum(map(break_seconds, said)), 1))
                if espeak:
                    measured = [espeak_seconds(ssml) for ssml in said]
                    row.espeak_seconds = (None if None in measured
                                          else round(sum(measured), 1))
                rows.append(row)
    return rows


def _espeak_ready() -> bool:
    return bool(shutil.which("espeak-ng") and shutil.which("soxi"))


_TAG = re.compile(r"<(/?)([\w:]+)[^>]*?(/?)>")
_NIGHT_RATE = re.compile(r'(<prosody\b[^>]*?)\s+rate="(\d+(?:\.\d+)?)%"')


def _closed(prefix: str) -> str:
    """An SSML prefix with the elements still open at its end closed, so it can be spoken."""
    open_tags: list[str] = []
    for closing, name, empty in _TAG.findall(prefix):
        if empty:
            continue
        if closing:
            if open_tags and open_tags[-1] == name:
                open_tags.pop()
        else:
            open_tags.append(name)
    return prefix + "".join(f"</{name}>" for name in reversed(open_tags))


def _espeak(ssml: str, speed: float) -> float:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "out.wav"
        subprocess.run(["espeak-ng", "-s", str(round(speed)), "-m", "-w", str(wav), ssml],
                       check=True, capture_output=True, timeout=120)
        seconds = subprocess.run(["soxi", "-D", str(wav)], check=True, capture_output=True,
                                 text=True, timeout=30).stdout
    return float(seconds)


def calibrated_speed(texts: list[str], words_per_minute: float) -> float:
    """The espeak-ng `-s` at which it really says `texts` (SSML, its breaks left out) at
    `words_per_minute`: its nominal rate is not what it speaks (about 180 for `-s 150`)."""
    from localdev.measure import words

    plain = "<speak>" + " ".join(re.sub(r"<[^>]+>", " ", text) for text in texts) + "</speak>"
    count = len(words(plain))
    speed = words_per_minute
    for _ in range(3):
        actual = count * 60 / _espeak(plain, speed)
        speed *= words_per_minute / actual
    return speed


def espeak_prefix_seconds(ssml: str, offset: int, speed: float) -> float:
    """Seconds espeak-ng takes to say `ssml` up to `offset`, at its rate `speed` (slowed as
    the night voice's `<prosody rate>` says, through its rate rather than the tag)."""
    rate = _NIGHT_RATE.search(ssml)
    speed *= float(rate.group(2)) / 100 if rate else 1
    return _espeak(_closed(_NIGHT_RATE.sub(r"\1", ssml[:offset])), speed)


def screen_walk(night: bool, api_url: str) -> list[tuple[str, dict]]:
    """Each bedtime step's SSML and its screen's datasource, walked on an Echo Show."""
    from localdev.envelopes import Conversation, Device
    from localdev.environment import first_time
    from skill.app import handler

    moment = NIGHT if night else DAY
    with first_time():
        talk = Conversation(handler, device=Device(screen=True, api_endpoint=api_url),
                            now=lambda: moment)
        replies = [talk.say(WALKS["bedtime"][0])]
        while not replies[-1].ends_session and replies[-1].attributes.get("walk") is not None:
            replies.append(talk.say("next"))
    shown = []
    for reply in replies:
        [render] = [d for d in reply.directives
                    if d["type"] == "Alexa.Presentation.APL.RenderDocument"]
        shown.append((reply.ssml, render["datasources"]["screen"]["properties"]))
    return shown


def step_figures(espeak: bool = True) -> list[StepFigures]:
    from localdev.api_stand_in import AlexaApiStandIn
    from skill import timeline
    from skill.routines import BEDTIME

    espeak = espeak and _espeak_ready()
    rows = []
    with AlexaApiStandIn(time_zone=TIME_ZONE) as api:
        walks = {night: screen_walk(night, api.url) for night in (False, True)}
    speed = calibrated_speed([ssml for ssml, _ in walks[False]],
                             timeline.WORDS_PER_MINUTE) if espeak else 0
    for night in (False, True):
            for number, ((ssml, screen), step) in enumerate(zip(walks[night], BEDTIME.steps),
                                                            start=1):
                phases = timeline.phases(ssml, step.hold_seconds, step.rest_seconds,
                                         step.repetitions)
                first = phases[0].parts[0]
                row = StepFigures(number, screen["title"], night, round(first.start, 1),
                                  step.settle_seconds)
                if espeak:
                    countdown = screen["countdown"]
                    # The screen's moments: the first hold starts, and each hold ends.
                    holds = [phase for phase in phases if not phase.resting]
                    moments = [(first, countdown[0]["toMs"] / 1000, "start")] + [
                        (hold.parts[-1], _zero_at(countdown, hold.parts[-1].end), "end")
                        for hold in holds]
                    drifts = []
                    for part, on_screen, which in moments:
                        voice = espeak_prefix_seconds(ssml, part.offset, speed)
                        if which == "start":
                            voice -= part.seconds
                            row.espeak_before_first_hold = round(voice, 1)
                        drifts.append(on_screen - voice)
                    row.drift_max = round(max(drifts, key=abs), 2)
                    row.drift_last_hold = round(drifts[-1], 2)
                rows.append(row)
    return rows


def _zero_at(countdown: list[dict], near: float) -> float:
    """When the screen's count of a hold reaches its end: the segment boundary nearest `near`
    (seconds) where a counting segment stops."""
    ends = [segment["toMs"] / 1000 for segment in countdown if segment["counting"]]
    return min(ends, key=lambda end: abs(end - near))


def measure(espeak: bool = True) -> dict:
    random.seed(0)  # the same wordings every run, so runs compare
    # The skill writes a JSON log line per request (to stderr): not part of the figures.
    with contextlib.redirect_stderr(io.StringIO()):
        return {"keys": [asdict(row) for row in key_figures(espeak)],
                "routines": [asdict(row) for row in routine_figures(espeak)],
                "steps": [asdict(row) for row in step_figures(espeak)]}


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


def _cell(value) -> str:
    return "-" if value is None else str(value)


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)} min {round(seconds % 60):02d} s"


def report(figures: dict) -> str:
    lines = ["Spoken length of every response key (words at 150 a minute plus breaks;",
             "espeak-ng: measured audio, relative only).", ""]
    header = ("key", "words before", "day s", "night s", "espeak day s", "espeak night s")
    table = [header] + [(row["key"], _cell(row["words_before_instruction"]),
                         _cell(row["day_seconds"]), _cell(row["night_seconds"]),
                         _cell(row["espeak_day_seconds"]), _cell(row["espeak_night_seconds"]))
                        for row in figures["keys"]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    lines += ["", "Each routine walked by voice, first words to goodbye:", ""]
    for row in figures["routines"]:
        when = "night" if row["night"] else "day"
        espeak = ("" if row["espeak_seconds"] is None
                  else f"; espeak-ng {row['espeak_seconds']} s")
        lines.append(f"  {row['routine']:8} {when:5} {row['responses']} responses, "
                     f"{row['spoken_seconds']} s ({minutes(row['spoken_seconds'])}), "
                     f"of which {row['break_seconds']} s timed{espeak}")
    lines += ["", "Each bedtime step on a screen: seconds before the first hold (of which the pause",
              "to get into position), and the countdown's drift against the voice (espeak-ng",
              "calibrated to the timeline's 150 words a minute; + means the screen is late):", ""]
    header = ("step", "when", "before hold s", "settle s", "espeak before s", "drift max s",
              "drift at relax s")
    table = [header] + [(f"{row['step']} {row['title']}", "night" if row["night"] else "day",
                         _cell(row["before_first_hold"]), _cell(row["settle_seconds"]),
                         _cell(row["espeak_before_first_hold"]), _cell(row["drift_max"]),
                         _cell(row["drift_last_hold"]))
                        for row in figures.get("steps", [])]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.spoken", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--no-espeak", action="store_true",
                        help="skip the espeak-ng audio measurement")
    args = parser.parse_args(argv)
    figures = measure(espeak=not args.no_espeak)
    print(json.dumps(figures, indent=2) if args.json else report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
