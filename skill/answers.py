"""What kind of answer a request got, for its log line (`answer`) and the clinic's metrics: how
often the skill sends people to care, tells them what to do for a cramp, or did not understand.

Derived in one place from the response key that was said (`skill.respond` notes it): one row per
key, or per folder ("relief/" for every key under it); a key's own row first, then its nearest
folder's. A kind says what
the skill said, never anything about the person. When the responses change, change this table:
tests/test_answers.py fails for any response key without a kind.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

# Not response keys, but answers all the same.
REPEAT = "repeat"            # "repeat": the last answer again, as it was said
LAST_RESORT = "last_resort"  # rendering failed: skill.speech.LAST_RESORT was said

KINDS = {
    # Sent to care, most urgent first: what a clinic counts.
    "symptom/emergency": "emergency",
    "symptom/urgent": "care_now",
    "call_for_help": "emergency",        # "call 911": the number, at once
    # Any other symptom answer: its level of care, noted by the symptom handler (`for_care`).
    "symptom/": "triage",
    "doctor/book": "see_doctor",
    "clinic/": "clinic_card",            # the clinic's details, after "book an appointment"
    "clinic/none": "see_doctor",         # asked for a clinic, with none configured
    # What to do, now or at home.
    "relief/": "relief",
    "stretch/": "relief",
    "steps/": "walkthrough",
    "relief/decline": "goodbye",
    "relief/eased": "goodbye",
    "relief/not_a_leg": "not_a_leg",     # a cramp somewhere that is not a leg
    "doctor/home": "self_care",
    # The short "should I see a doctor" check, and symptoms said while it or the offer is open.
    "doctor/": "triage",
    "doctor/declined": "goodbye",
    # Information.
    "prevent": "advice",
    "prevent_reprompt": "advice",
    "causes": "advice",
    "causes_reprompt": "advice",
    "causes_of/": "advice",
    "taking_something": "advice",
    # The guided routines (bedtime stretch, and the relief talked through), and reminders.
    "walkthrough/": "walkthrough",
    "welcome/": "walkthrough",           # the offer to resume a routine
    "reminder/": "reminder",
    # Finding the way.
    "launch": "welcome",
    "launch_reprompt": "welcome",
    "launch_night": "relief",            # at night, opening the skill says what to do first
    "launch_night_reprompt": "relief",
    "help/": "help",
    "fallback/": "fallback",
    "no_question": "fallback",           # "yes" or "no" with no question open
    "not_in_walkthrough": "fallback",    # "next" with no routine under way
    "goodbye": "goodbye",
    "declined": "goodbye",
    "error": "error",
    "error_reprompt": "error",
    REPEAT: "repeat",
    LAST_RESORT: "last_resort",
}


def kind(key: str) -> str:
    """The kind of answer `key` gives; KeyError for a key with no row."""
    if key in KINDS:
        return KINDS[key]
    folder = key
    while "/" in folder:
        folder = folder.rpartition("/")[0]
        if folder + "/" in KINDS:
            return KINDS[folder + "/"]
    raise KeyError(f"no kind of answer for response key {key!r} (skill/answers.py)")


# A symptom answer's kind is its level of care (skill/symptom_table.py), whatever words said it.
CARE = {"emergency": "emergency", "urgent": "care_now", "soon": "see_doctor",
        "expected": "self_care", "not_a_leg": "not_a_leg", "unclear": "triage"}


@dataclass
class Answer:
    """The response key the current request answered with, as noted by `said`, and the level
    of care a symptom answer gave, as noted by `for_care`."""

    key: str | None = None
    care: str | None = None

    @property
    def kind(self) -> str | None:
        if self.care is not None:
            return CARE[self.care]
        if self.key is None:
            return None
        try:
            return kind(self.key)
        except KeyError:  # a log line is no place to fail; the tests catch a missing row
            return "unknown"


_CURRENT: ContextVar[Answer | None] = ContextVar("answer", default=None)


@contextmanager
def recorded() -> Iterator[Answer]:
    """Within this block (one request), `said` notes its key on the Answer yielded."""
    answer = Answer()
    token = _CURRENT.set(answer)
    try:
        yield answer
    finally:
        _CURRENT.reset(token)


def said(key: str) -> None:
    """The current request is answered with `key` (the last one said counts)."""
    answer = _CURRENT.get()
    if answer is not None:
        answer.key, answer.care = key, None


def for_care(level: str) -> None:
    """The symptom answer just said gave this level of care (a key of CARE)."""
    if level not in CARE:
        raise KeyError(f"no kind of answer for the level of care {level!r} (skill/answers.py)")
    answer = _CURRENT.get()
    if answer is not None:
        answer.care = level
