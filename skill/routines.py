"""The guided walkthroughs, as data. Their words live in `responses/<locale>/steps/<key>.ssml.j2`.

Sources for each routine are in `responses/SOURCES.md`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    key: str                  # the template under responses/<locale>/steps/
    hold_seconds: int = 0     # one hold; spoken as breaks of at most 10 s with soft cues between
    rest_seconds: int = 0     # rest between repetitions
    repetitions: int = 1
    side: str | None = None   # "left", "right", or None when it does not matter

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
    # The named question its last step asks (its "yes" is in skill/handlers/answers.py), if any.
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
    Step("calf_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="left"),
    Step("calf_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="right"),
    Step("hamstring_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="left"),
    Step("hamstring_stretch", hold_seconds=10, rest_seconds=10, repetitions=3, side="right"),
), resumable=True, card="cards/bedtime", offer="offer_reminder")

ROUTINES = {routine.name: routine for routine in (RELIEF, BEDTIME)}
