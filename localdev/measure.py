"""How long a response takes to say, and how soon it gets to the point.

Shared by the tests and `benchmarks/`: speech at about 150 words a minute, plus every break.
"""

from __future__ import annotations

import re

from localdev.envelopes import ssml_to_text

WORDS_PER_MINUTE = 150
_BREAK_TIME = re.compile(r'<break\b[^>]*\btime="(\d+(?:\.\d+)?)(ms|s)"')
_WORD = re.compile(r"[A-Za-z0-9']+")
# A stretch of speech at a slower or faster rate (the night voice wraps a whole answer in one).
_RATE_SPAN = re.compile(r'<prosody\b[^>]*\brate="(\d+(?:\.\d+)?)%"[^>]*>(.*?)</prosody>', re.S)

# Words that start an instruction a person can act on mid-cramp.
INSTRUCTION_VERBS = {"straighten", "pull", "stand", "sit", "lie", "hold", "rub", "stretch", "press", "keep", "call",
                     "gently"}


def break_seconds(ssml: str) -> float:
    return sum(float(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK_TIME.findall(ssml))


def words(ssml: str) -> list[str]:
    return _WORD.findall(ssml_to_text(ssml))


def spoken_seconds(ssml: str) -> float:
    """Seconds to say it: words at 150 a minute (scaled inside a `<prosody rate="N%">`) plus
    breaks."""
    per_word = 60 / WORDS_PER_MINUTE
    slowed = 0.0
    for rate, inside in _RATE_SPAN.findall(ssml):
        slowed += len(words(inside)) * per_word * 100 / float(rate)
    outside = _RATE_SPAN.sub(" ", ssml)
    return len(words(outside)) * per_word + slowed + break_seconds(ssml)


def words_before_instruction(ssml: str) -> int | None:
    """How many words come before the first instruction, or None if there is none."""
    for index, word in enumerate(words(ssml)):
        if word.lower() in INSTRUCTION_VERBS:
            return index
    return None
