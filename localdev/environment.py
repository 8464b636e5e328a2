"""Environment variables set for a while, then put back: the tools that run the skill in their own
process (the benchmarks, the demo page) configure it as a deployment would, through the variables
it reads (SKILL_ID, TABLE_NAME, DATA_DIR, CLINIC_*, ...)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from typing import Iterator, Mapping


@contextmanager
def environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Within this block each variable of `values` is set to its value, or unset for None; after
    it, each is as it was. No other variable is touched, even for a moment (unlike
    `unittest.mock.patch.dict(os.environ)`, which empties and refills the whole environment on
    the way out): the demo's other threads read the environment meanwhile."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        _put(values)
        yield
    finally:
        _put(saved)


@contextmanager
def skill_environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """`environment(values)`, with `skill.app`'s skill built afresh within it (on its first
    request: it reads SKILL_ID, TABLE_NAME and the like when it is built) and forgotten after."""
    import skill.app

    with environment(values):
        skill.app._SKILL = None
        try:
            yield
        finally:
            skill.app._SKILL = None


@contextmanager
def first_time() -> Iterator[str]:
    """The skill as a person it has never met meets it: built afresh on a local store in a new
    folder (yielded), with no skill id or table, so that nothing left in the default store (by
    `make chat`) is offered instead. For the benchmarks, which run the skill in their process."""
    with tempfile.TemporaryDirectory(prefix="leg-cramp-") as folder, \
            skill_environment({"SKILL_ID": None, "TABLE_NAME": None, "DATA_DIR": folder}):
        yield folder


def _put(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
