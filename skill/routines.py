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
# The stretch's words depend on which muscle cramped. After a cramp in the bedtime stretch, it
# ends by offering to go back to it.
RELIEF = Routine("relief", (
    Step("relief_stretch", hold_seconds=30),
    Step("relief_massage", hold_seconds=20),
    Step("relief_ease"),
), offer="back_to_routine")

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
    # The step was left before going on (a pause, help, "no", the cramp again): going on does
    # what was not done, counted in `done` when it was left.
    paused: bool = False
    muscle: str = "general"
    # When this step was said (the request's time, whole seconds since 1970), and how many
    # seconds into its speech each of its holds ends: a hold is done once it was spoken.
    said_at: int = 0
    hold_ends: tuple[int, ...] = ()
    # Holds of this step done before it was said this time: said again after an interruption,
    # only the rest of them are.
    done: int = 0

    @classmethod
    def from_attributes(cls, raw: Any) -> Walk | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("routine"), str):
            return None
        step = whole(raw.get("step", 0))
        muscle = raw.get("muscle", "general")
        said_at, done = whole(raw.get("said_at", 0)), whole(raw.get("done", 0))
        return cls(
            routine=raw["routine"],
            step=step if step is not None else 0,
            paused=raw.get("paused") is True,
            muscle=muscle if muscle in STRETCHES else "general",
            said_at=said_at or 0,
            hold_ends=_seconds_into_speech(raw.get("hold_ends", raw.get("holds_end"))),
            done=done if done is not None and done < 100 else 0,
        )

    def holds_done(self, now: int) -> int:
        """How many holds of this step are done at `now`: before it was said, and since."""
        if self.said_at <= 0:
            return self.done
        return self.done + sum(1 for end in self.hold_ends if now >= self.said_at + end)


def _seconds_into_speech(raw: Any) -> tuple[int, ...]:
    """Hold ends from the session (a list; one number from an older version of the skill),
    each within an hour, in order; anything else is no timing at all."""
    values = list(raw) if isinstance(raw, (list, tuple)) else [raw]
    ends = [whole(value) for value in values[:100]]
    if not ends or any(end is None or not 0 < end < 3600 for end in ends) or ends != sorted(ends):
        return ()
    return tuple(ends)


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


def current_step(state) -> Step:
    return routine_of(state).steps[state.walk.step]


def step_done(state, now: int) -> bool:
    """Whether the step under way is done at `now` (or, if it was left, when it was left): every
    hold spoken. A step with no holds, or whose speech held no timing, is done once said."""
    walk, step = state.walk, current_step(state)
    if walk.said_at > 0 and not walk.hold_ends:
        return True
    return walk.holds_done(now) >= (step.repetitions if step.hold_seconds else 1)


def leave(state, now: int) -> None:
    """Something other than the routine's own steps was said at `now`: the step counts the holds
    done so far, and waits (`paused`) for the person to go on. Left once: a second
    interruption does not count time that passed while the first was answered."""
    walk = state.walk
    if walk.paused:
        return
    walk.done = current_step(state).repetitions if step_done(state, now) else walk.holds_done(now)
    walk.said_at, walk.hold_ends, walk.paused = 0, (), True


def said(state, now: int, hold_ends: tuple[int, ...]) -> None:
    """The step under way was just said, at `now`, with its holds ending `hold_ends` seconds in."""
    walk = state.walk
    walk.said_at, walk.hold_ends, walk.paused = now, tuple(hold_ends), False


def _at(state, step: int) -> None:
    walk = state.walk
    walk.step, walk.paused, walk.done = step, False, 0
    walk.said_at, walk.hold_ends = 0, ()


def move(state, delta: int) -> bool:
    """Move `delta` steps; False (and no move) if that would leave the routine."""
    routine = routine_of(state)
    if routine is None:
        return False
    target = state.walk.step + delta
    if not 0 <= target < len(routine.steps):
        return False
    _at(state, target)
    return True


def again(state) -> None:
    """The step under way, all of it, again ("repeat")."""
    _at(state, state.walk.step)


def restart(state) -> None:
    _at(state, 0)


def finish(state) -> None:
    state.walk = None


def steps_data(routine: Routine) -> list[dict]:
    """Every step of a routine as plain data, for a card that lists them."""
    return [{"key": step.key, "side": step.side or "", "hold_seconds": step.hold_seconds,
             "rest_seconds": step.rest_seconds, "repetitions": step.repetitions}
            for step in routine.steps]


def step_data(state, starting: bool = False) -> dict:
    """What a step's template needs: plain data only. A step picked up after an interruption
    has only the holds not yet done (`done` of them were)."""
    routine = routine_of(state)
    walk = state.walk
    step = routine.steps[walk.step]
    done = min(walk.done, step.repetitions - 1) if step.hold_seconds else 0
    return {
        "routine": routine.name,
        "step_key": step.key,
        "side": step.side or "",
        "muscle": walk.muscle,
        "hold_seconds": step.hold_seconds,
        "rest_seconds": step.rest_seconds,
        "repetitions": step.repetitions - done,
        "done": done,
        "settle_seconds": step.settle_seconds,
        "number": walk.step + 1,
        "total": len(routine.steps),
        "last": walk.step == len(routine.steps) - 1,
        "offer": routine.offer or "",
        "starting": starting,
    }
