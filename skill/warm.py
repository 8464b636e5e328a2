"""Priming at init, for cold starts without SnapStart: what the first request would otherwise do
while a person waits (build the skill, importing every handler module; the SDK's models for a
real request; the templates of the cramp answer) is done while Lambda initialises the container.

It moves the first invocation's own work into init (README, "Figures"): process start to first
answer stays about the same, and the first request costs little more than a warm one.
Wiring: `skill.app` calls `warm.prime()` at the end of its import (or template.yaml's Handler
names `skill.warm.handler`, which is `skill.app.handler` after priming).
"""

from __future__ import annotations

from skill import snapstart
from skill.app import handler  # noqa: F401  (the entry point, primed)


def prime() -> None:
    """Build the skill, answer one request in-process (nothing leaves the process), and import
    and read what a device's first time zone lookup needs: a new container knows no device, so
    its first request makes that call."""
    snapstart.ready_for_a_first_request()


prime()
