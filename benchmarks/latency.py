"""Warm in-process latency per request, and cold start in a fresh process, for this skill and the
hello-world skill side by side."""

from __future__ import annotations

import gc
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from benchmarks import hello
from benchmarks.envelopes import (first_of_session, knowing_the_time_zone, requests,
                                  walkthrough_step)
from localdev.envelopes import Conversation, Device

REPO_ROOT = Path(__file__).resolve().parent.parent
FIRST_ROW = "LegCrampIntent, first of a session (time zone not known: no call)"

# A fresh interpreter: read the event, then time the import of the entry point and its first
# answer. The last stdout line is the result.
COLD_CHILD = r"""
import json, sys, time
event = json.loads(sys.stdin.read())
sys.path.insert(0, sys.argv[1])
started = time.perf_counter()
handler = __import__(sys.argv[2], fromlist=["handler"]).handler
response = handler(event, None)
elapsed = time.perf_counter() - started
print("\n" + json.dumps({"ms": elapsed * 1000,
                         "modules": sorted(sys.modules),
                         "ssml": (response["response"].get("outputSpeech") or {}).get("ssml")}))
"""


# Where this skill's cold start goes, stage by stage, in a fresh interpreter.
COLD_STAGES_CHILD = r"""
import json, sys, time
event = json.loads(sys.stdin.read())
marks = [time.perf_counter()]
import ask_sdk_core.skill_builder, ask_sdk_core.dispatch_components, ask_sdk_core.utils
marks.append(time.perf_counter())
import jinja2
marks.append(time.perf_counter())
import skill.app
marks.append(time.perf_counter())
skill.app.skill()
marks.append(time.perf_counter())
skill.app.handler(event, None)
marks.append(time.perf_counter())
print("\n" + json.dumps([(b - a) * 1000 for a, b in zip(marks, marks[1:])]))
"""
COLD_STAGES = ("ASK SDK import (hello world pays this too)", "Jinja2 import",
               "the skill's own modules", "building the skill",
               "first answer (SDK's first use, template compile, render)")


@contextmanager
def quiet_logs():
    """The skill writes a log line per request to stderr: time it, but don't print it."""
    saved = sys.stderr
    with open(os.devnull, "w") as sink:
        sys.stderr = sink
        try:
            yield
        finally:
            sys.stderr = saved


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def time_calls(handler: Callable, event: dict, count: int) -> list[float]:
    """Milliseconds per call, `count` calls."""
    timings = []
    clock = time.perf_counter_ns
    for _ in range(count):
        started = clock()
        handler(event, None)
        timings.append((clock() - started) / 1e6)
    return timings


@contextmanager
def bench_environment():
    """The local store in a fresh folder, no skill id or table, and a local stand-in for the
    Alexa APIs; yields the stand-in's URL. The skill is built for this environment, and the
    environment is put back afterwards."""
    from localdev.api_stand_in import AlexaApiStandIn
    from localdev.environment import first_time

    with AlexaApiStandIn() as stand_in, first_time():
        yield stand_in.url


class _Stopwatch:
    """A handler that times every call of the one it wraps."""

    def __init__(self, handler: Callable):
        self.handler = handler
        self.ms: list[float] = []

    def __call__(self, event, context):
        started = time.perf_counter_ns()
        answer = self.handler(event, context)
        self.ms.append((time.perf_counter_ns() - started) / 1e6)
        return answer


def _walkthrough_steps(ours: Callable, api_url: str) -> Callable[[int], list[float]]:
    """A live bedtime routine, "next" and "go back" in turn, each request carrying what the
    last answer left (so each step writes its progress once, as in a real session)."""
    stopwatch = _Stopwatch(ours)
    talk = Conversation(stopwatch, device=Device(api_endpoint=api_url))
    talk.say("walk me through a bedtime stretch")
    turns = itertools.cycle(["AMAZON.NextIntent", "AMAZON.PreviousIntent"])

    def steps(count: int) -> list[float]:
        stopwatch.ms = []
        for _ in range(count):
            talk.intent(next(turns))
        return stopwatch.ms

    return steps


def warm(count: int = 2000, rounds: int = 20) -> list[dict]:
    """Per request: median and p99 for this skill and for hello world, in the same process.

    The two skills take turns in `rounds` blocks so that a noisy moment hurts both alike."""
    import skill.app

    with bench_environment() as api_url:
        hello_world = hello.load(hello.write()).handler
        ours = skill.app.handler
        with quiet_logs():
            step = walkthrough_step(ours, api_url)
            timers = {name: (lambda n, e=event: time_calls(ours, e, n),
                             lambda n, e=event: time_calls(hello_world, e, n))
                      for name, event in requests(api_url).items()}
            timers["walkthrough step (next / go back)"] = (
                _walkthrough_steps(ours, api_url), lambda n: time_calls(hello_world, step, n))
        first = first_of_session(api_url)
        timers[FIRST_ROW] = (lambda n: time_calls(ours, first, n),
                             lambda n: time_calls(hello_world, first, n))
        rows = []
        with quiet_logs():
            for name, (time_ours, time_hello) in timers.items():
                time_ours(200), time_hello(200)  # warm-up
                samples: dict[str, list[float]] = {"ours": [], "hello": []}
                for _ in range(rounds):
                    samples["ours"] += time_ours(count // rounds)
                    samples["hello"] += time_hello(count // rounds)
                    gc.collect()
                rows.append({
                    "request": name,
                    "median_ms": statistics.median(samples["ours"]),
                    "p99_ms": percentile(samples["ours"], 0.99),
                    "hello_median_ms": statistics.median(samples["hello"]),
                    "hello_p99_ms": percentile(samples["hello"], 0.99),
                })
    return rows


def _fresh_process(code: str, args: list[str], event: dict):
    result = subprocess.run([sys.executable, "-c", code, *args],
                            input=json.dumps(event), capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=60, env=dict(os.environ))
    if result.returncode:
        raise RuntimeError(f"a cold start failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_once(folder: str, module: str, event: dict) -> dict:
    return _fresh_process(COLD_CHILD, [folder, module], event)


def cold(runs: int = 9) -> dict:
    """Import plus the first LegCrampIntent answer in a fresh process, `runs` times each,
    alternating; medians, and the packages this skill's process had imported by then.

    Two first requests: one in a session that already knows its time zone, and a session's
    first, which does not (the cramp answer does not wait to ask: it goes by the locale)."""
    folder = str(hello.write())
    with bench_environment() as api_url:
        known = knowing_the_time_zone(first_of_session(api_url))
        first = first_of_session(api_url)
        cold_once(folder, hello.MODULE, known)  # compile both to bytecode first
        cold_once(str(REPO_ROOT), "skill.app", known)
        times: dict[str, list[float]] = {"ours": [], "ours_first": [], "hello": []}
        for _ in range(runs):
            times["hello"].append(cold_once(folder, hello.MODULE, known)["ms"])
            ours = cold_once(str(REPO_ROOT), "skill.app", known)
            times["ours"].append(ours["ms"])
            first_run = cold_once(str(REPO_ROOT), "skill.app", first)
            times["ours_first"].append(first_run["ms"])
        stages = [_fresh_process(COLD_STAGES_CHILD, [], known) for _ in range(runs)]
    return {"ms": statistics.median(times["ours"]),
            "first_of_session_ms": statistics.median(times["ours_first"]),
            "hello_ms": statistics.median(times["hello"]),
            "runs": runs, "modules": ours["modules"],
            "first_of_session_modules": first_run["modules"], "ssml": ours["ssml"],
            "stages": {name: statistics.median(run[index] for run in stages)
                       for index, name in enumerate(COLD_STAGES)}}
