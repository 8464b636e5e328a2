"""The hostile-envelope generator of tests/test_hostile.py, run long: `python -m benchmarks.fuzz`.

Prints how many envelopes were tried and how many were mishandled, with the first few failures.
Half the envelopes go to a skill that knows its own id (SKILL_ID set), half to one that does not.
"""

from __future__ import annotations

import argparse
import logging
import time
import traceback

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import skill.app
from benchmarks.latency import bench_environment, quiet_logs
from localdev import fuzz
from localdev.envelopes import DEFAULT_SKILL_ID
from localdev.alexa_rules import response_problems


def run(examples: int = 20_000, show: int = 3, seed: int | None = None) -> dict:
    with bench_environment():  # a fresh local store, no skill id or table
        return _run(examples, show, seed)


def _run(examples: int, show: int, seed: int | None) -> dict:
    skills = {None: skill.app.build_skill(None),
              DEFAULT_SKILL_ID: skill.app.build_skill(DEFAULT_SKILL_ID)}
    counts = {"tried": 0, "failed": 0, "refused": 0}
    failures: list[str] = []

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(event=fuzz.envelopes(), knows_its_id=st.booleans())
    def one(event, knows_its_id):
        skill_id = DEFAULT_SKILL_ID if knows_its_id else None
        skill.app._SKILL = skills[skill_id]
        counts["tried"] += 1
        try:
            found = fuzz.problems(skill.app.handler, event, skill_id, skill.app.RequestRefused,
                                  response_problems)
        except Exception:  # a crash is a failure to count, not a reason to stop
            found = [traceback.format_exc(limit=-3)]
        if knows_its_id and not fuzz.for_this_skill(event, skill_id) and not found:
            counts["refused"] += 1
        if found:
            counts["failed"] += 1
            if len(failures) < show:
                failures.append(f"{found}\n  envelope: {event!r:.600}")

    if seed is not None:
        one = __import__("hypothesis").seed(seed)(one)
    # The skill logs every request, and every unreadable envelope it calms with a traceback.
    logging.disable(logging.CRITICAL)
    try:
        with quiet_logs():
            one()
    finally:
        logging.disable(logging.NOTSET)
    counts["failures"] = failures
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=None)
    options = parser.parse_args(argv)
    started = time.perf_counter()
    result = run(options.examples, seed=options.seed)
    seconds = time.perf_counter() - started
    print(f"fuzz: {result['tried']} envelopes tried, {result['failed']} failed "
          f"({result['refused']} refused as not for this skill), {seconds:.0f} s")
    for failure in result["failures"]:
        print("  FAILED:", failure)
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
