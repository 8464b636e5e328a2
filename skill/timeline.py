"""When each part of a spoken step is heard, read from the very SSML that is spoken: every break
for its own length, every word at a speaking rate (slower inside a prosody element with a rate
below 100 %, as the night voice is).

A screen's countdown follows this timeline (`skill/display.py`), so it stays with the voice
through the last repetition: the soft cues between breaks ("five more seconds") hold the count
where it is instead of being left out. And a step counts as done once the voice has reached the
end of its last hold (`hold_ends`), which is what the saved place of a routine, and going on
after an interruption, are about.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from skill.speech import split_hold, split_rest

# Alexa's voice, roughly: 150 words a minute at the normal rate, its pauses included. A voice
# takes its time by syllables, not words ("five more seconds" is slower than its three words
# suggest), and pauses where a sentence or a clause ends: so the timeline counts those, at
# values that make the bedtime steps' own words come out at 150 words a minute. How that time
# splits between syllables and pauses is espeak-ng's, measured on these steps (make
# bench-spoken); Alexa's own voice cannot be measured here.
WORDS_PER_MINUTE = 150
SYLLABLE_SECONDS = 0.27
SENTENCE_PAUSE = 0.35
COMMA_PAUSE = 0.25
_SENTENCE_END = re.compile(r"[.!?:;]")
_COMMA = re.compile(r",")
_VOWELS = re.compile(r"[aeiouy]+")
# Syllables of a number as said: "5" is "five", "10" is "ten", "15" "fifteen", "30" "thirty".
_NUMBER_SYLLABLES = {0: 2, 7: 2, 11: 3, 12: 1, 13: 2, 14: 2, 15: 2, 16: 2, 17: 3, 18: 2, 19: 2}
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
# The name of an SSML tag, "/" first for a closing one: "break", "prosody", "/prosody".
_TAG_NAME = re.compile(r"<(/?[\w:]+)")
_BREAK_TIME = re.compile(r'\btime="(\d+(?:\.\d+)?)(ms|s)"')
_RATE = re.compile(r'\brate="(\d+(?:\.\d+)?)%"')
_WORD = re.compile(r"[A-Za-z0-9']+")
# What a screen shows after the last hold: the count stays at zero.
AFTER_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class Break:
    start: float      # seconds from the start of the speech
    seconds: float
    offset: int       # where in the SSML the break's tag ends

    @property
    def end(self) -> float:
        return self.start + self.seconds


def syllables(word: str) -> int:
    """About how many syllables a word is said in."""
    if word.isdigit():
        number = int(word)
        if number < 20:
            return _NUMBER_SYLLABLES.get(number, 1)
        return 2 + (number % 10 > 0) * syllables(str(number % 10)) if number < 100 else 3
    word = word.lower().replace("'", "")
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1  # a silent final e: "time", "the" keeps its one
    return max(1, count)


def _tag(token: str) -> str:
    name = _TAG_NAME.match(token)
    return name.group(1) if name else ""


def said_seconds(text: str) -> tuple[float, float]:
    """Seconds to say `text` at the normal rate, and of them the pause after its end if it
    ends a sentence (which a break there replaces)."""
    seconds = sum(syllables(word) for word in _WORD.findall(text)) * SYLLABLE_SECONDS
    seconds += len(_SENTENCE_END.findall(text)) * SENTENCE_PAUSE
    seconds += len(_COMMA.findall(text)) * COMMA_PAUSE
    ends_sentence = bool(re.search(r"[.!?:;]\s*$", text))
    return seconds, SENTENCE_PAUSE if ends_sentence else 0.0


# A step's speech is one of a few wordings, and reading it costs about a tenth of a millisecond
# (every step of a routine reads it, screen or not): each wording is read once per container.
@functools.lru_cache(maxsize=256)
def breaks(ssml: str | None) -> tuple[tuple[Break, ...], float]:
    """Every break of the speech, when it starts, and how long the whole speech is."""
    # Imported here: its table of HTML's named characters costs a cold start about 1.5 ms, and
    # only a guided step (not the mid-cramp answer) is timed.
    import html

    clock, rates, found = 0.0, [100.0], []
    # The seconds of the last sentence's own pause, while a break could still take its place.
    sentence_pause = 0.0
    for match in _TOKEN.finditer(ssml or ""):
        token = match.group(0)
        if not token.startswith("<"):
            text = html.unescape(token)
            if not _WORD.search(text):
                continue
            seconds, pause = said_seconds(text)
            clock += seconds * 100 / rates[-1]
            sentence_pause = pause * 100 / rates[-1]
        elif _tag(token) == "break":
            time = _BREAK_TIME.search(token)
            seconds = float(time.group(1)) / (1000 if time.group(2) == "ms" else 1) if time else 0
            # A timed break where a sentence ends is that sentence's pause, not one more after
            # it (SSML's break sets the length of the pause at that boundary; espeak-ng does so).
            clock -= sentence_pause
            sentence_pause = 0.0
            found.append(Break(clock, seconds, match.end()))
            clock += seconds
        elif _tag(token) == "prosody":
            rate = _RATE.search(token)
            rates.append(float(rate.group(1)) if rate else rates[-1])
        elif _tag(token) == "/prosody" and len(rates) > 1:
            rates.pop()
    return tuple(found), clock


@dataclass(frozen=True)
class Phase:
    """One hold or one rest: the breaks it is spoken as (with the cues between them)."""

    resting: bool
    seconds: int
    parts: tuple[Break, ...]


def phases(ssml: str | None, hold_seconds: int, rest_seconds: int, repetitions: int
           ) -> list[Phase]:
    """The holds and rests of a step, in order, as the SSML speaks them. Its timed breaks are
    its last ones (anything spoken before, such as the pause to get into position, comes
    first). Empty if the SSML does not hold them (then nothing is timed)."""
    if hold_seconds <= 0:
        return []
    shape = []
    for rep in range(max(1, repetitions)):
        if rep:
            shape.append((True, rest_seconds, len(split_rest(rest_seconds))))
        shape.append((False, hold_seconds, len(split_hold(hold_seconds))))
    shape = [part for part in shape if part[2]]
    needed = sum(count for _, _, count in shape)
    found, _ = breaks(ssml)
    if len(found) < needed:
        return []
    timed, result = found[len(found) - needed:], []
    for resting, seconds, count in shape:
        result.append(Phase(resting, seconds, tuple(timed[:count])))
        timed = timed[count:]
    return result


def hold_ends(ssml: str | None, hold_seconds: int, rest_seconds: int, repetitions: int
              ) -> list[float]:
    """Seconds into the speech when each of the step's holds ends (empty if it has none)."""
    return [phase.parts[-1].end
            for phase in phases(ssml, hold_seconds, rest_seconds, repetitions)
            if not phase.resting]


def first_hold(ssml: str | None, hold_seconds: int, rest_seconds: int, repetitions: int
               ) -> float | None:
    """Seconds into the speech when the first hold begins, or None if it has none."""
    timed = phases(ssml, hold_seconds, rest_seconds, repetitions)
    return timed[0].parts[0].start if timed else None


def countdown(ssml: str | None, hold_seconds: int, rest_seconds: int, repetitions: int
              ) -> list[dict]:
    """What a screen shows, and from when: a list of segments covering the whole speech and
    after, each `{"fromMs", "toMs", "left", "counting", "resting"}`. During a break the number
    counts down from `left`; while a cue is spoken between breaks it stays at `left`. Before
    the first hold it shows the whole hold; after the last, zero."""
    timed = phases(ssml, hold_seconds, rest_seconds, repetitions)
    if not timed:
        return []
    segments: list[dict] = []
    clock = 0.0

    def add(until: float, left: float, counting: bool, resting: bool) -> None:
        nonlocal clock
        if until > clock or not segments:
            segments.append({"fromMs": round(clock * 1000), "toMs": round(until * 1000),
                             "left": round(left, 3), "counting": counting,
                             "resting": resting})
        clock = max(clock, until)

    for phase in timed:
        left = float(phase.seconds)
        for part in phase.parts:
            # Words before this break (the instructions, a cue, "and rest"): the count waits.
            add(part.start, left, False, phase.resting)
            add(part.end, left, True, phase.resting)
            left -= part.seconds
    segments.append({"fromMs": round(clock * 1000), "toMs": AFTER_MS, "left": 0,
                     "counting": False, "resting": False})
    return segments
