"""One engine for every guided routine: where the person is, and moving through the steps.

It knows nothing about any particular routine; `skill.routines` holds them as data.
"""

from __future__ import annotations

from skill.routines import ROUTINES, Routine
from skill.state import SessionState, Walk


def begin(state: SessionState, routine: Routine, muscle: str = "general", step: int = 0) -> None:
    state.walk = Walk(routine=routine.name, step=step, muscle=muscle)


def routine_of(state: SessionState) -> Routine | None:
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


def in_walkthrough(state: SessionState) -> bool:
    return routine_of(state) is not None


def move(state: SessionState, delta: int) -> bool:
    """Move `delta` steps; False (and no move) if that would leave the routine."""
    routine = routine_of(state)
    target = state.walk.step + delta
    if routine is None or not 0 <= target < len(routine.steps):
        return False
    state.walk.step = target
    state.walk.paused = False
    return True


def restart(state: SessionState) -> None:
    state.walk.step = 0
    state.walk.paused = False


def finish(state: SessionState) -> None:
    state.walk = None


def steps_data(routine: Routine) -> list[dict]:
    """Every step of a routine as plain data, for a card that lists them."""
    return [{"key": step.key, "side": step.side or "", "hold_seconds": step.hold_seconds,
             "rest_seconds": step.rest_seconds, "repetitions": step.repetitions}
            for step in routine.steps]


def step_data(state: SessionState, starting: bool = False) -> dict:
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
        "number": walk.step + 1,
        "total": len(routine.steps),
        "last": walk.step == len(routine.steps) - 1,
        "offer": routine.offer or "",
        "starting": starting,
    }
