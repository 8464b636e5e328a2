"""Warm in-process latency per request, and cold start in a fresh process, for this skill and the
hello-world skill side by side."""

from __future__ import annotations

import gc
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
from benchmarks.envelopes import requests, walkthrough_step

REPO_ROOT = Path(__file__).resolve().parent.parent

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
                         "packages": sorted({m.split(".")[0] for m in sys.modules}),
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


def warm(count: int = 2000, rounds: int = 20) -> list[dict]:
    """Per request: median and p99 for this skill and for hello world, in the same process.

    The two skills take turns in `rounds` blocks so that a noisy moment hurts both alike."""
    import skill.app

    for name in ("SKILL_ID", "TABLE_NAME"):
        os.environ.pop(name, None)
    hello_world = hello.load(hello.write()).handler
    ours = skill.app.handler
    events = requests()
    with quiet_logs():
        events["walkthrough step"] = walkthrough_step(ours)
    rows = []
    with quiet_logs():
        for name, event in events.items():
            samples: dict[str, list[float]] = {"ours": [], "hello": []}
            for candidate in (ours, hello_world):
                time_calls(candidate, event, 200)  # warm-up
            for _ in range(rounds):
                samples["ours"] += time_calls(ours, event, count // rounds)
                samples["hello"] += time_calls(hello_world, event, count // rounds)
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
                            cwd=REPO_ROOT, timeout=60,
                            env={k: v for k, v in os.environ.items()
                                 if k not in ("SKILL_ID", "TABLE_NAME")})
    if result.returncode:
        raise RuntimeError(f"a cold start failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def cold_once(folder: str, module: str, event: dict) -> dict:
    return _fresh_process(COLD_CHILD, [folder, module], event)


def cold(runs: int = 9) -> dict:
    """Import plus the first LegCrampIntent answer in a fresh process, `runs` times each,
    alternating; medians, and the packages this skill's process had imported by then."""
    folder = str(hello.write())
    event = requests()["LegCrampIntent"]
    cold_once(folder, hello.MODULE, event)  # compile both to bytecode first
    ours = cold_once(str(REPO_ROOT), "skill.app", event)
    times: dict[str, list[float]] = {"ours": [], "hello": []}
    for _ in range(runs):
        times["hello"].append(cold_once(folder, hello.MODULE, event)["ms"])
        ours = cold_once(str(REPO_ROOT), "skill.app", event)
        times["ours"].append(ours["ms"])
    stages = [_fresh_process(COLD_STAGES_CHILD, [], event) for _ in range(runs)]
    return {"ms": statistics.median(times["ours"]),
            "hello_ms": statistics.median(times["hello"]),
            "runs": runs, "packages": ours["packages"], "ssml": ours["ssml"],
            "stages": {name: statistics.median(run[index] for run in stages)
                       for index, name in enumerate(COLD_STAGES)}}
