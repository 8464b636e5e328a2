"""A device's clock that a conversation moves on, as speech does: each request is stamped with
when it was said, so a test can say a word mid-hold or after the holds were spoken."""

from datetime import datetime, timedelta

from tests.conftest import DAYTIME

# Long enough for any step's holds to have been spoken.
AFTER_THE_HOLDS = timedelta(minutes=3)


class Clock:
    def __init__(self, start: datetime = DAYTIME):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def wait(self, delta: timedelta = AFTER_THE_HOLDS) -> None:
        self.now += delta

    def seconds(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
