"""`python -m benchmarks` (or `make bench`): the skill's figures in one table, beside a minimal
ask-sdk-core hello-world skill built by the script.

  warm latency per request     in-process, median and p99, launch, each custom intent, a
                               walkthrough step (local store: no TABLE_NAME)
  cold start                   fresh process: import plus the first LegCrampIntent answer
  outbound calls               per turn of a mid-cramp session, with DynamoDB configured
  artifact                     the built Lambda folder, unzipped and zipped
  spoken figures               benchmarks/spoken.py, when present

`--write-docs` also puts the tables into docs/performance.md, between its figures markers. The fuzz run is its own
command: `python -m benchmarks.fuzz` (`make fuzz`).
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import platform
import re
import sys
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

from benchmarks import artifact, latency, outbound, runtime

REPO_ROOT = Path(__file__).resolve().parent.parent
FIGURES_PAGE = REPO_ROOT / "docs" / "performance.md"
WARM_RATIO, P99_MS, COLD_RATIO = 1.3, 1.0, 1.3
FIRST_RATIO, RESTORE_RATIO = 3.0, 2.0
# Packages the mid-cramp answer must not import: what it does not use. It never calls an Alexa
# API either (a request that may wait calls the Settings API, with the standard library's HTTP
# and TLS). The cold run is a checkout's, which reads the symptom table (the cramp's body parts)
# from TOML with tomllib; the artifact reads the JSON its build wrote, and tests/test_deploy.py
# holds the built handler to that.
MUST_NOT_IMPORT = ("boto3", "botocore", "sqlite3", "requests", "urllib3", "aws_lambda_powertools",
                   "ask_sdk_webservice_support", "cryptography",
                   # What a guided step's timing and the SDK's own timestamp parser need (the
                   # handler reads Alexa's timestamp with the standard library).
                   "html", "dateutil.parser")
ONLY_FOR_AN_API_CALL = ("urllib.request", "http.client", "ssl", "email")


def _mark(ok: bool) -> str:
    return "met" if ok else "**missed**"


def warm_table(rows: list[dict]) -> tuple[str, bool, bool]:
    lines = ["| request | median ms | p99 ms | hello world median ms | hello world p99 ms "
             "| median / hello world |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        ratio = row["median_ms"] / row["hello_median_ms"]
        lines.append(f"| {row['request']} | {row['median_ms']:.3f} | {row['p99_ms']:.3f} "
                     f"| {row['hello_median_ms']:.3f} | {row['hello_p99_ms']:.3f} "
                     f"| {ratio:.2f} |")
    ratio_ok = all(r["median_ms"] <= WARM_RATIO * r["hello_median_ms"] for r in rows)
    p99_ok = all(r["p99_ms"] < P99_MS for r in rows)
    return "\n".join(lines), ratio_ok, p99_ok


def _imported(name: str, modules: list[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for module in modules)


def cold_table(cold: dict) -> tuple[str, bool, bool]:
    ratio = cold["ms"] / cold["hello_ms"]
    first_ratio = cold["first_of_session_ms"] / cold["hello_ms"]
    unused = [name for name in MUST_NOT_IMPORT if _imported(name, cold["modules"])
              or _imported(name, cold["first_of_session_modules"])]
    unused += [name for name in ONLY_FOR_AN_API_CALL if _imported(name, cold["modules"])
               or _imported(name, cold["first_of_session_modules"])]
    lines = [f"| cold start: import + first LegCrampIntent answer ({cold['runs']} runs, median) "
             "| ms | / hello world |", "| --- | ---: | ---: |",
             f"| hello world | {cold['hello_ms']:.1f} | 1.00 |",
             f"| this skill, in a session that knows its time zone | {cold['ms']:.1f} "
             f"| {ratio:.2f} |",
             f"| this skill, a session's first request (time zone not known: no call, the "
             f"locale's likely hour) | {cold['first_of_session_ms']:.1f} | {first_ratio:.2f} |",
             "", "| where this skill's cold start goes (time zone known, median) | ms |",
             "| --- | ---: |"]
    lines += [f"| {stage} | {ms:.1f} |" for stage, ms in cold["stages"].items()]
    lines += ["", "Not imported on the mid-cramp path: "
              + ", ".join(f"`{name}`" for name in MUST_NOT_IMPORT if name not in unused)
              + "; nor, since the cramp answer never calls an Alexa API, "
              + ", ".join(f"`{name}`" for name in ONLY_FOR_AN_API_CALL if name not in unused)
              + (f". **Imported although unused: {', '.join(unused)}**" if unused else ".")]
    return "\n".join(lines), ratio <= COLD_RATIO, not unused


def _calls(made: dict) -> str:
    return f"{made['alexa_api']:g} / {made['dynamodb']:g}"


def runtime_tables(figures: dict, runs: int) -> tuple[str, list[tuple[str, bool]]]:
    """The runtime benchmark's tables, and its targets as (what, met)."""
    configurations = ("no table", "TABLE_NAME")
    lines = [f"| under `awslambdaric`, Python 3.13 ({runs} containers each, median) "
             + "".join(f"| {c}: ms | / hello world " for c in configurations) + "|",
             "| --- " + "| ---: | ---: " * len(configurations) + "|"]
    stages = (("init: process start to ready", "init_ms"),
              ("first invocation after init", "first_ms"),
              ("process start to first answer", "start_to_first_answer_ms"))
    targets: list[tuple[str, bool]] = []
    for label, name in stages:
        row = f"| {label} "
        for configuration in configurations:
            ours, hello_world = (figures[configuration][who][name] for who in ("skill", "hello"))
            row += f"| {ours:.1f} (hello world {hello_world:.1f}) | {ours / hello_world:.2f} "
        lines.append(row + "|")
    lines += ["", "| warm request (under `awslambdaric`) | TABLE_NAME | median ms | p99 ms "
              "| hello world median ms | hello world p99 ms | median / hello world "
              "| calls: Alexa API / DynamoDB |",
              "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    cramp_ok, p99_ok = True, True
    for configuration in configurations:
        ours, hello_world = figures[configuration]["skill"], figures[configuration]["hello"]
        for kind, warm in ours["warm"].items():
            theirs = hello_world["warm"][kind]
            ratio = warm["median_ms"] / theirs["median_ms"]
            made = ours["calls"][kind]
            lines.append(f"| {kind} | {'set' if configuration == 'TABLE_NAME' else 'unset'} "
                         f"| {warm['median_ms']:.3f} | {warm['p99_ms']:.3f} "
                         f"| {theirs['median_ms']:.3f} | {theirs['p99_ms']:.3f} | {ratio:.2f} "
                         f"| {_calls(made)} |")
            if kind == runtime.CRAMP_KNOWN:
                cramp_ok &= ratio <= WARM_RATIO and not any(made.values())
            if not any(made.values()):
                p99_ok &= warm["p99_ms"] < P99_MS
    targets.append((f"one-shot cramp answer, warm, known device: at most {WARM_RATIO}x hello "
                    "world's, 0 outbound calls", cramp_ok))
    targets.append((f"warm p99 under {P99_MS:g} ms, every request that makes no network call",
                    p99_ok))
    cold = figures["cold starts"]
    cold_ratio = cold["skill"]["wall_ms"] / cold["hello"]["wall_ms"]
    targets.append((f"process start to first answer: at most {COLD_RATIO:g}x hello world's "
                    f"(median of {cold['skill']['containers']} cold starts each)",
                    cold_ratio <= COLD_RATIO))
    ok = all(figures[c]["skill"]["first_ms"] <= FIRST_RATIO * figures[c]["hello"]["first_ms"]
             for c in configurations)
    targets.append((f"first invocation after init: at most {FIRST_RATIO:g}x hello world's "
                    "(with and without TABLE_NAME)", ok))
    lines += ["", f"| cold starts, taking turns ({cold['skill']['containers']} containers each, "
              "median; no table) | hello world | this skill | / hello world |",
              "| --- | ---: | ---: | ---: |",
              f"| process start to first answer, ms | {cold['hello']['wall_ms']:.1f} "
              f"| {cold['skill']['wall_ms']:.1f} | {cold_ratio:.2f} "
              f"(pairs: {cold['skill']['paired_ratio']:.2f}) |",
              f"| CPU time of the process (user + system, to its exit), ms "
              f"| {cold['hello']['cpu_ms']:.1f} | {cold['skill']['cpu_ms']:.1f} "
              f"| {cold['skill']['cpu_ms'] / cold['hello']['cpu_ms']:.2f} |"]
    unprimed, hello_world = figures["not primed in init"], figures["no table"]["hello"]
    lines += ["", "| lever, by its absence: nothing primed at init (skill/app.py builds the skill "
              "and answers one request in-process during Lambda's init), no table | ms "
              "| / hello world |",
              "| --- | ---: | ---: |"]
    lines += [f"| {label} | {unprimed[name]:.1f} | {unprimed[name] / hello_world[name]:.2f} |"
              for label, name in stages]
    snap = figures["snap-start"]
    warm_new = snap["warm"][runtime.CRAMP_NEW]["median_ms"]
    restore_ratio = snap["first_ms"] / warm_new
    hooks = snap["hooks_ran"]
    lines += ["", "| SnapStart, simulated (`AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`, median) "
              "| ms |", "| --- | ---: |",
              f"| process start to snapshot (init + before-snapshot priming) "
              f"| {snap['snapshot_ready_ms']:.1f} |",
              f"| restore: after-restore hooks to ready | {snap['restore_ms']:.2f} |",
              f"| first answer after the restore (cramp, a device new to the container: "
              f"no call) | {snap['first_ms']:.2f} |",
              f"| the same request warm (median) | {warm_new:.2f} |",
              f"| first after restore / warm | {restore_ratio:.2f} |",
              "", "Hooks seen in the function's log: "
              + ", ".join(f"{name}: {'ran' if ran else '**did not run**'}"
                          for name, ran in hooks.items()) + "."]
    targets.append((f"SnapStart: the hooks run, and the first answer after a restore costs at "
                    f"most {RESTORE_RATIO:g}x a warm one",
                    all(hooks.values()) and restore_ratio <= RESTORE_RATIO))
    return "\n".join(lines), targets


def artifact_text(size: dict | None) -> str:
    if size is None:
        return f"Lambda artifact: not built. Build it with `{artifact.build_command()}`, then run " \
               "the benchmark again."
    mb = 1024 * 1024
    text = (f"Lambda artifact (`{size['folder']}`, {size['files']} files): "
            f"{size['unzipped'] / mb:.1f} MB unzipped, {size['zipped'] / mb:.1f} MB zipped.")
    if size["runtime_provided"]:
        text += (f" It bundles {size['runtime_provided'] / mb:.1f} MB of boto3/botocore that the "
                 "Lambda runtime already has.")
    return text


def spoken_text() -> str | None:
    """benchmarks/spoken.py's own report, when that module exists."""
    if importlib.util.find_spec("benchmarks.spoken") is None:
        return None
    from benchmarks import spoken

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        spoken.main([])
    return buffer.getvalue().rstrip()


def runtime_part(quick: bool, artifact_folder: Path | None = None):
    """The runtime benchmark's tables and targets, or why it could not run."""
    folder = artifact_folder or runtime.ARTIFACT
    why_not = runtime.missing(folder)
    if why_not:
        return f"Under the Lambda runtime client: not run ({why_not}).", []
    runs = 1 if quick else 5
    figures = runtime.measure(runs=runs, per_kind=10 if quick else 100, artifact=folder,
                              cold_pairs=3 if quick else 30)
    return runtime_tables(figures, runs)


def report(quick: bool = False, artifact_folder: Path | None = None) -> list[str]:
    """The figures as markdown parts: targets, warm, cold, outbound, runtime, artifact."""
    runtime_text, runtime_targets = runtime_part(quick, artifact_folder)
    warm_rows = latency.warm(count=400 if quick else 4000)
    cold = latency.cold(runs=3 if quick else 9)
    warm, warm_ok, p99_ok = warm_table(warm_rows)
    cold_text, cold_ok, imports_ok = cold_table(cold)
    outbound_text, outbound_ok = outbound.outbound_table(outbound.count())
    deadline_text, deadline_ok = outbound.deadline_table(outbound.deadlines())
    targets = "\n".join([
        "| target | result |", "| --- | --- |",
        f"| warm median at most {WARM_RATIO}x hello world's, every request (time zone known) "
        f"| {_mark(warm_ok)} |",
        f"| warm p99 under {P99_MS:g} ms, every request (time zone known) | {_mark(p99_ok)} |",
        f"| cold start at most {COLD_RATIO}x hello world's (time zone known) | {_mark(cold_ok)} |",
        f"| mid-cramp path imports nothing it does not use (no boto3) | {_mark(imports_ok)} |",
        f"| mid-cramp answer: no DynamoDB call, no Alexa API call | {_mark(outbound_ok)} |",
        f"| Alexa's APIs trickling: the cramp answers never wait, the rest within their calls' "
        f"budgets | {_mark(deadline_ok)} |",
        *(f"| under the Lambda runtime client: {what} | {_mark(ok)} |"
          for what, ok in runtime_targets)])
    return [f"Measured {date.today().isoformat()} on {platform.python_implementation()} "
            f"{platform.python_version()}, {platform.machine()}, by `make bench`"
            f"{' --quick' if quick else ''}.",
            targets, "Warm, in-process, milliseconds per request:", warm, cold_text,
            "Outbound calls, counted by Python's audit hooks:", outbound_text,
            "Alexa's APIs trickling their answers (`benchmarks/outbound.py`, "
            "`python -m benchmarks.outbound`):", deadline_text,
            "The built artifact under the Lambda runtime client (`benchmarks/runtime.py`: "
            "`awslambdaric` polling a loopback Runtime API stand-in; the Settings API and "
            "DynamoDB on loopback stand-ins count their calls):", runtime_text,
            artifact_text(artifact.measure())]


def write_figures(text: str, page: Path = FIGURES_PAGE) -> None:
    """Replace what is between the figures markers of `page` with `text`."""
    content = page.read_text(encoding="utf-8")
    pattern = re.compile(r"(<!-- figures:start -->\n).*?(\n<!-- figures:end -->)", re.S)
    if not pattern.search(content):
        raise SystemExit(f"{page.name} has no <!-- figures:start --> ... <!-- figures:end --> block")
    page.write_text(pattern.sub(lambda m: m.group(1) + text + m.group(2), content),
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples, for a smoke test")
    parser.add_argument("--write-docs", action="store_true",
                        help="also put the figures into docs/performance.md")
    options = parser.parse_args(argv)
    parts = report(quick=options.quick)
    spoken = spoken_text()
    print("\n\n".join(parts + (["Spoken figures (`benchmarks/spoken.py`):",
                                 f"```text\n{spoken}\n```"] if spoken else [])))
    if options.write_docs:
        write_figures("\n\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
