"""How long a response takes to say, and how soon it gets to the point.

Shared by the tests and `benchmarks/`: speech at about 150 words a minute, plus every break.
"""

from __future__ import annotations

import re

from localdev.envelopes import ssml_to_text

WORDS_PER_MINUTE = 150
_BREAK_TIME = re.compile(r'<break\b[^>]*\btime="(\d+(?:\.\d+)?)(ms|s)"')
_WORD = re.compile(r"[A-Za-z0-9']+")

# Words that start an instruction a person can act on mid-cramp.
INSTRUCTION_VERBS = {"straighten", "pull", "stand", "sit", "hold", "rub", "stretch", "press",
                     "gently"}


def break_seconds(ssml: str) -> float:
    return sum(float(n) / (1000 if unit == "ms" else 1) for n, unit in _BREAK_TIME.findall(ssml))


def words(ssml: str) -> list[str]:
    return _WORD.findall(ssml_to_text(ssml))


def spoken_seconds(ssml: str) -> float:
    """Seconds to say it: words at 150 a minute plus breaks."""
    return len(words(ssml)) * 60 / WORDS_PER_MINUTE + break_seconds(ssml)


def words_before_instruction(ssml: str) -> int | None:
    """How many words come before the first instruction, or None if there is none."""
    for index, word in enumerate(words(ssml)):
        if word.lower() in INSTRUCTION_VERBS:
            return index
    return None
