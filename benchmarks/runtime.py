"""The built artifact under the real Lambda runtime client, beside the hello-world skill.

`sam build`'s function folder (.aws-sam/build/SkillFunction) runs in Lambda's Python (3.13, from
.venv-lambda, which holds what the managed runtime provides: PyPI `awslambdaric`,
`snapshot-restore-py`, boto3) as `python -m awslambdaric skill.app.handler`, polling a loopback
stand-in for the Lambda Runtime API (benchmarks/runtime_api.py). The hello-world skill runs the
same way, with the same SDK files. Per process: init (process start to its first poll for an
invocation), the first invocation, and process start to the first answer; then warm invocations
of each request, in turn, timed from the event handed over to the answer posted, with the Alexa
Settings API (localdev's stand-in) and DynamoDB (moto, in this process) counting what they are
asked. With and without TABLE_NAME. Then the same artifact under SnapStart's init type: priming
before the snapshot, the after-restore hooks, and the first answer after the restore.

The artifact is built for arm64; on another machine its native extensions (MarkupSafe's speedups)
cannot load and their pure-Python fallbacks run.
"""

from __future__ import annotations

import copy
import itertools
import os
import resource
import statistics
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks import hello
from benchmarks.envelopes import walkthrough_step
from benchmarks.runtime_api import RuntimeApiStandIn
from localdev.envelopes import Conversation, Device, SlotFill

REPO_ROOT = Path(__file__).resolve().parent.parent
ARTIFACT = REPO_ROOT / ".aws-sam" / "build" / "SkillFunction"
LAMBDA_PYTHON = REPO_ROOT / ".venv-lambda" / "bin" / "python"
KNOWN_DEVICE = "amzn1.ask.device.bench-known"
CRAMP_KNOWN = "one-shot cramp, known device"
CRAMP_NEW = "one-shot cramp, new device"
LAUNCH = "launch"
STEP = "bedtime step (next)"
KINDS = (CRAMP_KNOWN, CRAMP_NEW, LAUNCH, STEP)
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
               "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
               "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
               "AWS_EC2_METADATA_DISABLED": "true"}


def missing(artifact: Path = ARTIFACT) -> str | None:
    """Why the runtime benchmark cannot run here, or None."""
    if not (artifact / "skill" / "app.py").is_file():
        return f"no built artifact in {artifact} (`make build`)"
    if not LAMBDA_PYTHON.exists():
        return f"no {LAMBDA_PYTHON.relative_to(REPO_ROOT)} (`make install`)"
    return None


# --- what the stand-ins count ------------------------------------------------------------

class _Recording:
    """DynamoDB calls so far: moto writes a line per request it gets to `path` before it
    answers, so the count is complete when the function's answer is."""

    def __init__(self, path: Path):
        self.path = path

    @property
    def calls(self) -> int:
        try:
            return self.path.read_bytes().count(b'"DynamoDB_')
        except FileNotFoundError:
            return 0


@contextmanager
def dynamodb():
    """moto's DynamoDB on loopback, in a process of its own (its threads must not compete with
    the stand-ins' timing), with the skill's table; yields (endpoint, table name, counter)."""
    from localdev.moto_server import MotoServer, table_definition

    with tempfile.TemporaryDirectory(prefix="leg-cramp-moto-") as folder:
        server = MotoServer(recording=Path(folder) / "requests.jsonl")
        try:
            server.client().create_table(TableName="leg-cramp-helper-bench",
                                         **table_definition())
            yield server.endpoint, "leg-cramp-helper-bench", _Recording(
                Path(folder) / "requests.jsonl")
        finally:
            server.stop()


# --- the requests --------------------------------------------------------------------------

def requests(api_url: str) -> dict[str, object]:
    """Kind -> envelope, or a function of n giving the n-th (a new device each time)."""
    device = Device(device_id=KNOWN_DEVICE, api_endpoint=api_url)

    def unused(event, context):
        raise AssertionError("only envelopes are built here")

    cramp = Conversation(unused, device=device).intent_request(
        "LegCrampIntent", {"Muscle": SlotFill("calf", "CALF")})

    def new_device(n: int) -> dict:
        event = copy.deepcopy(cramp)
        event["context"]["System"]["device"]["deviceId"] = f"amzn1.ask.device.bench-{n}"
        return event

    import skill.app
    from benchmarks.latency import bench_environment, quiet_logs

    # The bedtime step carries the attributes a real "walk me through a bedtime stretch" left.
    with bench_environment(), quiet_logs():
        step = walkthrough_step(skill.app.handler, api_url)
    step["context"]["System"]["device"]["deviceId"] = KNOWN_DEVICE
    return {CRAMP_KNOWN: cramp, CRAMP_NEW: new_device,
            LAUNCH: Conversation(unused, device=device).launch_request(), STEP: step}


def _event(request, n: int) -> dict:
    return request(n) if callable(request) else request


# --- one process -------------------------------------------------------------------------

def _environment(runtime: RuntimeApiStandIn, folder: Path, path: list[Path], data_dir: str,
                 table: tuple[str, str] | None, snap_start: bool, primed: bool = True) -> dict:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           "AWS_LAMBDA_RUNTIME_API": runtime.address, "LAMBDA_TASK_ROOT": str(folder),
           "PYTHONPATH": os.pathsep.join(map(str, path)),
           "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
           "AWS_LAMBDA_FUNCTION_NAME": "leg-cramp-helper", "AWS_LAMBDA_FUNCTION_VERSION": "1",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
           "AWS_LAMBDA_INITIALIZATION_TYPE": "snap-start" if snap_start else "on-demand",
           "DATA_DIR": data_dir, "LOG_LEVEL": "INFO", **CREDENTIALS}
    if not primed:
        # The skill primes itself at init when Lambda says how it initialises (skill/app.py).
        del env["AWS_LAMBDA_INITIALIZATION_TYPE"]
    if table is not None:
        endpoint, name = table
        env.update(TABLE_NAME=name, AWS_ENDPOINT_URL_DYNAMODB=endpoint)
    return env


def run_process(handler: str, folder: Path, path: list[Path], requests_: dict, per_kind: int,
                api, table=None, counter=None, snap_start: bool = False,
                primed: bool = True) -> dict:
    """One container's life: start, the first invocation (the cramp request of a device new to
    the container, which the container then knows), then
    `per_kind` warm invocations of each kind in turn. Times in ms; outbound calls per kind."""
    with tempfile.TemporaryDirectory(prefix="leg-cramp-runtime-") as data_dir, \
            RuntimeApiStandIn() as runtime, \
            tempfile.TemporaryFile("w+") as log:
        env = _environment(runtime, folder, path, data_dir, table, snap_start, primed)
        started = time.perf_counter()
        process = subprocess.Popen([str(LAMBDA_PYTHON), "-m", "awslambdaric", handler],
                                   cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            result = {}
            if snap_start:
                if not runtime.restore_asked.wait(60):
                    raise RuntimeError("no /restore/next: " + _tail(log))
                result["snapshot_ready_ms"] = (runtime.restore_asked_at - started) * 1000
                runtime.restore()
            if not runtime.ready.wait(60):
                raise RuntimeError("the runtime client never asked for an invocation: "
                                   + _tail(log))
            if runtime.errors:
                raise RuntimeError(f"init failed: {runtime.errors}")
            if snap_start:
                result["restore_ms"] = (runtime.ready_at - runtime.restored_at) * 1000
            else:
                result["init_ms"] = (runtime.ready_at - started) * 1000
            answer, first = runtime.invoke(_event(requests_[CRAMP_KNOWN], 0))
            result["first_ms"] = first
            result["start_to_first_answer_ms"] = (time.perf_counter() - started) * 1000
            result["first_answer"] = answer
            warm = {kind: [] for kind in requests_}
            calls = {kind: {"alexa_api": 0, "dynamodb": 0} for kind in requests_}
            numbers = itertools.count(1)
            for _ in range(per_kind):
                for kind, request in requests_.items():
                    event = _event(request, next(numbers))
                    api_before = len(api.requests)
                    dynamodb_before = counter.calls if counter else 0
                    _, ms = runtime.invoke(event)
                    warm[kind].append(ms)
                    calls[kind]["alexa_api"] += len(api.requests) - api_before
                    calls[kind]["dynamodb"] += (counter.calls if counter else 0) - dynamodb_before
            result["warm"] = warm
            result["calls"] = {kind: {name: count / max(per_kind, 1)
                                      for name, count in made.items()}
                               for kind, made in calls.items()}
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.seek(0)
        result["log"] = log.read()
    return result


def _tail(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()[-2000:]


# --- the whole run -----------------------------------------------------------------------

def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _summary(runs: list[dict]) -> dict:
    warm = {kind: list(itertools.chain.from_iterable(run["warm"][kind] for run in runs))
            for kind in runs[0]["warm"]}
    summary = {"warm": {kind: {"median_ms": statistics.median(samples),
                               "p99_ms": percentile(samples, 0.99), "samples": len(samples)}
                        for kind, samples in warm.items()},
               "calls": runs[-1]["calls"]}
    for name in ("init_ms", "first_ms", "start_to_first_answer_ms", "snapshot_ready_ms",
                 "restore_ms"):
        if name in runs[0]:
            summary[name] = statistics.median(run[name] for run in runs)
    return summary


def cold_starts(pairs: int, processes: dict, requests_: dict, api) -> dict:
    """Process start to first answer, container after container: hello world and this skill
    take turns (`processes`: name -> (handler, folder, path)), each container answering one
    request and stopping. Per name, the median wall time and the median CPU time of the process
    (user and system, to its exit: what a noisy neighbour disturbs least); and the median of
    each pair's ratio to hello world's."""
    wall: dict[str, list[float]] = {name: [] for name in processes}
    cpu: dict[str, list[float]] = {name: [] for name in processes}
    for _ in range(pairs):
        for name, process in processes.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = run_process(*process, requests_, 0, api)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall[name].append(result["start_to_first_answer_ms"])
            cpu[name].append((after.ru_utime + after.ru_stime
                              - before.ru_utime - before.ru_stime) * 1000)
    figures = {name: {"wall_ms": statistics.median(wall[name]),
                      "cpu_ms": statistics.median(cpu[name]), "containers": pairs}
               for name in processes}
    for name in processes:
        figures[name]["paired_ratio"] = statistics.median(
            ours / theirs for ours, theirs in zip(wall[name], wall["hello"]))
    return figures


def measure(runs: int = 5, per_kind: int = 100, artifact: Path = ARTIFACT,
            cold_pairs: int = 30) -> dict:
    """Every figure of the runtime benchmark: per configuration ("no table", "TABLE_NAME"),
    this skill's and hello world's summaries; `cold_pairs` cold starts of each, taking turns;
    and the SnapStart run's."""
    from localdev.api_stand_in import AlexaApiStandIn

    hello_folder = hello.write()
    skill_process = ("skill.app.handler", artifact, [artifact])
    hello_process = (f"{hello.MODULE}.handler", hello_folder, [hello_folder, artifact])
    figures: dict = {}
    with AlexaApiStandIn() as api:
        requests_ = requests(api.url)
        for configuration in ("no table", "TABLE_NAME"):
            with (dynamodb() if configuration == "TABLE_NAME" else _nothing()) as database:
                table = database[:2] if database else None
                counter = database[2] if database else None
                samples = {"skill": [], "hello": []}
                for _ in range(runs):  # taking turns, so a noisy moment hurts both alike
                    for name, (handler, folder, path) in (("hello", hello_process),
                                                          ("skill", skill_process)):
                        samples[name].append(run_process(handler, folder, path, requests_,
                                                         per_kind, api, table, counter))
                figures[configuration] = {name: _summary(found)
                                          for name, found in samples.items()}
                figures[configuration]["skill"]["first_answer"] = \
                    samples["skill"][0]["first_answer"]
        figures["cold starts"] = cold_starts(
            cold_pairs, {"hello": hello_process, "skill": skill_process}, requests_, api)
        # The lever for on-demand cold starts, measured by its absence: the same artifact with
        # nothing primed at init (skill/app.py primes only when Lambda names the init type).
        figures["not primed in init"] = _summary([
            run_process(*skill_process, requests_, per_kind, api, primed=False)
            for _ in range(max(1, runs // 2))])
        snap = [run_process(*skill_process, requests_, per_kind, api, snap_start=True)
                for _ in range(max(1, runs // 2))]
        figures["snap-start"] = _summary(snap)
        figures["snap-start"]["hooks_ran"] = {
            "before snapshot": all("snapstart: primed" in run["log"] for run in snap),
            "after restore": all("snapstart: restored" in run["log"] for run in snap)}
    return figures


@contextmanager
def _nothing():
    yield None
