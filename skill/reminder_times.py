"""Which time of day a time heard for the stretch reminder means, and whether to ask first.

AMAZON.TIME sends "09:00" for "nine" and for "nine a.m." alike: an hour below 12 says nothing
of the half of the day. A part of the day said with it ("at nine in the morning", "every night
at half past nine": the PartOfDay slot) does, and so does AMAZON.TIME's own MO, AF, EV or NI when
a part was all that was said. A part said is honoured. A bare hour between 6 and noon is, for a
bedtime stretch, read as the evening, and asked about; once that reading is refused, the same
hour said again is the other half of the day. An hour in the small hours could wake someone
sleeping nearby: asked about as said.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.alexa.reminders_api import ClockTime

# The hours each part of the day holds (the PART_OF_DAY slot type's ids). "Two at night" is 2 AM,
# "nine at night" 9 PM; an hour neither reading of which fits ("nine in the afternoon") takes the
# half of the day of `HALF`.
PARTS = {
    "MORNING": frozenset(range(3, 12)),
    "AFTERNOON": frozenset(range(12, 18)),
    "EVENING": frozenset(range(17, 24)),
    "NIGHT": frozenset((*range(19, 24), *range(0, 5))),
}
HALF = {"MORNING": 0, "AFTERNOON": 12, "EVENING": 12, "NIGHT": 12}
# AMAZON.TIME's values for a part of the day said on its own ("in the morning"), as those ids.
SAID_PARTS = {"MO": "MORNING", "AF": "AFTERNOON", "EV": "EVENING", "NI": "NIGHT"}
# Nobody stretches for bed between 6 and noon: such an hour, said bare, is read as the evening.
MORNING = range(6, 12)
# Between midnight and 6 a.m. a reminder would wake a sleeping partner.
SMALL_HOURS = range(0, 6)


@dataclass(frozen=True)
class Reading:
    at: ClockTime
    # Ask "9 at night, every night?" before setting it.
    confirm: bool


def in_part(at: ClockTime, part: str) -> ClockTime:
    """`at` in `part` of the day. An hour past 12 was said with p.m. already and stays."""
    if at.hour > 12 or part not in PARTS:
        return at
    twelve = at.hour % 12
    hour = next((hour for hour in (twelve, twelve + 12) if hour in PARTS[part]),
                 twelve + HALF[part])
    return ClockTime(hour, at.minute)


def other_half(at: ClockTime) -> ClockTime:
    """The same clock time in the other half of the day: 21:00 and 09:00."""
    return ClockTime((at.hour + 12) % 24, at.minute)


def read(at: ClockTime, part: str | None = None, refused: ClockTime | None = None) -> Reading:
    """What `at` (AMAZON.TIME's "HH:MM") means for a daily stretch reminder, with the part of the
    day said (`part`), after the person said no to `refused`."""
    if part is not None:
        at = in_part(at, part)
        return Reading(at, at.hour in SMALL_HOURS)
    if refused is not None and at.hour < 12 and (at.hour, at.minute) == (
            refused.hour % 12, refused.minute):
        at = other_half(refused)
        return Reading(at, False)
    if at.hour in MORNING:
        return Reading(other_half(at), True)
    return Reading(at, at.hour in SMALL_HOURS)
