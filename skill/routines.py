"""The guided walkthroughs, as data, and the one engine that walks any of them.

Their words live in `responses/<locale>/steps/<key>.ssml.j2`; sources for each routine are in
`responses/SOURCES.md`. No routine has code of its own: next, back, repeat, pause, resume and
start over work the same in each (`skill/conversation/walkthrough.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skill.stores import whole

# Which stretch a cramp gets, by the group of muscles it is in: each has its words in
# responses/<locale>/stretch/<group>.ssml.j2. Most night cramps are in the calf: "general" is
# the calf stretch, for a cramp whose muscle is not known.
STRETCHES = ("general", "calf", "foot", "thigh", "front_thigh", "back_thigh", "shin")


@dataclass(frozen=True)
class Step:
    key: str                  # the template under responses/<locale>/steps/
    hold_seconds: int = 0     # one hold; spoken as breaks of at most 10 s with soft cues between
    rest_seconds: int = 0     # rest between repetitions
    repetitions: int = 1
    side: str | None = None   # "left", "right", or None when it does not matter
    # A pause, after being told where to go, to get there before the first hold: to reach the
    # wall, to sit on the edge of the bed; shorter when only changing sides.
    settle_seconds: int = 0

    @property
    def seconds(self) -> int:
        """Timed seconds in this step: every hold plus the rests between them."""
        return self.hold_seconds * self.repetitions + self.rest_seconds * (self.repetitions - 1)


@dataclass(frozen=True)
class Routine:
    name: str
    steps: tuple[Step, ...]
    # Whether a person may leave it and pick it up another night.
    resumable: bool = False
    # The card sent to the Alexa app when it starts (responses/<locale>/<card>.txt.j2), if any.
    card: str | None = None
    # The named question its last step asks (a row of skill/conversation/questions.py), if any.
    offer: str | None = None

    @property
    def seconds(self) -> int:
        return sum(step.seconds for step in self.steps)


# Mid-cramp relief: stretch, massage, then the other things that help (NHS, Mayo Clinic, article).
# The stretch's words depend on which muscle cramped.
RELIEF = Routine("relief", (
    Step("relief_stretch", hold_seconds=30),
    Step("relief_massage", hold_seconds=20),
    Step("relief_ease"),
))

# Bedtime calf and hamstring stretching, each leg, 3 x 10 s holds with 10 s rests: the protocol of
# Hallegraeff et al., J Physiother 2012, which reduced night-time cramps in older adults.
BEDTIME = Routine("bedtime", (
    Step("calf_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="left",
         settle_seconds=8),
    Step("calf_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="right",
         settle_seconds=4),
    Step("hamstring_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="left",
         settle_seconds=8),
    Step("hamstring_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="right",
         settle_seconds=4),
), resumable=True, card="cards/bedtime", offer="offer_reminder")

ROUTINES = {routine.name: routine for routine in (RELIEF, BEDTIME)}


# --- The engine: one for every routine, knowing nothing about any of them ----------------------
# Where a person is (a Walk) is kept in the session state; these move them through it.


@dataclass
class Walk:
    """Where a person is in a walkthrough."""

    routine: str
    step: int = 0
    paused: bool = False
    muscle: str = "general"
    # When this step was said (the request's time, whole seconds since 1970) and how many seconds
    # into its speech its last hold ends: a step is done once its holds were spoken.
    said_at: int = 0
    holds_end: int = 0

    @classmethod
    def from_attributes(cls, raw: Any) -> Walk | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("routine"), str):
            return None
        step = whole(raw.get("step", 0))
        muscle = raw.get("muscle", "general")
        said_at, holds_end = whole(raw.get("said_at", 0)), whole(raw.get("holds_end", 0))
        return cls(
            routine=raw["routine"],
            step=step if step is not None else 0,
            paused=raw.get("paused") is True,
            muscle=muscle if muscle in STRETCHES else "general",
            said_at=said_at or 0,
            holds_end=holds_end if holds_end is not None and holds_end < 3600 else 0,
        )

    def holds_spoken(self, now: int) -> bool:
        """Whether, at `now`, the voice has got past this step's last hold."""
        return self.said_at > 0 and now >= self.said_at + self.holds_end



def begin(state, routine: Routine, muscle: str = "general", step: int = 0) -> None:
    state.walk = Walk(routine=routine.name, step=step, muscle=muscle)


def routine_of(state) -> Routine | None:
    """The routine under way, or None. A walk naming a routine this version doesn't know, or a
    step past its end (attributes from an older version), is dropped."""
    walk = state.walk
    if walk is None:
        return None
    routine = ROUTINES.get(walk.routine)
    if routine is None or walk.step >= len(routine.steps):
        state.walk = None
        return None
    return routine


def in_walkthrough(state) -> bool:
    return routine_of(state) is not None


def move(state, delta: int) -> bool:
    """Move `delta` steps; False (and no move) if that would leave the routine."""
    routine = routine_of(state)
    if routine is None:
        return False
    target = state.walk.step + delta
    if not 0 <= target < len(routine.steps):
        return False
    state.walk.step = target
    state.walk.paused = False
    return True


def restart(state) -> None:
    state.walk.step = 0
    state.walk.paused = False


def finish(state) -> None:
    state.walk = None


def steps_data(routine: Routine) -> list[dict]:
    """Every step of a routine as plain data, for a card that lists them."""
    return [{"key": step.key, "side": step.side or "", "hold_seconds": step.hold_seconds,
             "rest_seconds": step.rest_seconds, "repetitions": step.repetitions}
            for step in routine.steps]


def step_data(state, starting: bool = False) -> dict:
    """What a step's template needs: plain data only."""
    routine = routine_of(state)
    walk = state.walk
    step = routine.steps[walk.step]
    return {
        "routine": routine.name,
        "step_key": step.key,
        "side": step.side or "",
        "muscle": walk.muscle,
        "hold_seconds": step.hold_seconds,
        "rest_seconds": step.rest_seconds,
        "repetitions": step.repetitions,
        "settle_seconds": step.settle_seconds,
        "number": walk.step + 1,
        "total": len(routine.steps),
        "last": walk.step == len(routine.steps) - 1,
        "offer": routine.offer or "",
        "starting": starting,
    }
