"""The benchmark's parts keep working, and what they count holds (no timings asserted here:
speed is measured by `make bench` only)."""

import pytest

from benchmarks import __main__ as bench
from benchmarks import fuzz, hello, outbound, remembering, runtime
from localdev.envelopes import Conversation
from tests import lambda_build


def test_the_mid_cramp_path_calls_neither_dynamodb_nor_alexas_apis():
    rows = outbound.count()
    cramp = [row for row in rows if not row["turn"].startswith("control")]
    assert all(row["dynamodb"] == 0 and row["other"] == 0 for row in cramp)
    assert not any(row["boto3_imported"] for row in cramp)
    assert [row["alexa_api"] for row in cramp] == [0, 0, 0, 0, 0]
    # The control shows that a DynamoDB call would have been seen.
    control = rows[-1]
    assert control["dynamodb"] >= 1 and control["boto3_imported"]
    assert outbound.outbound_table(rows)[1] is True


def test_with_alexas_apis_trickling_no_answer_waits_past_its_budgets(monkeypatch):
    monkeypatch.setenv("ALEXA_API_BUDGET", "0.2")
    rows = outbound.deadlines(trickle=0.05)
    assert all(row["answered"] for row in rows)
    assert [row["calls"] for row in rows] == [0, 0, 0, 1, 2]
    text, ok = outbound.deadline_table(rows, trickle=0.05)
    assert text.count("\n") == len(rows) + 1 and ok


def test_the_dynamodb_calls_of_each_request_are_the_ones_docs_remembering_quotes():
    rows = remembering.count()
    assert [len(row["calls"]) for row in rows] == [2, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 3, 1, 2, 0, 2]
    assert "| SkillDisabled | 1 | DeleteItem |" in remembering.table(rows)


def test_the_fuzz_run_counts_what_it_tried_and_what_failed():
    result = fuzz.run(examples=30, seed=4)
    assert result["tried"] == 30 and result["failed"] == 0


def test_the_hello_world_skill_answers(tmp_path):
    handler = hello.load(hello.write(tmp_path)).handler
    reply = Conversation(handler).intent("LegCrampIntent")
    assert "Hello world" in reply.text


def test_the_figures_replace_only_their_part_of_the_page(tmp_path):
    page = tmp_path / "performance.md"
    page.write_text("# x\n\n## Figures\n\n<!-- figures:start -->\nold\n<!-- figures:end -->\n"
                    "\nafter\n")
    bench.write_figures("| new | table |", page)
    assert page.read_text() == ("# x\n\n## Figures\n\n<!-- figures:start -->\n| new | table |"
                                "\n<!-- figures:end -->\n\nafter\n")


@pytest.fixture(scope="module")
def built():
    try:
        folder = lambda_build.build()  # the deploy tests' build, made once a run
    except LookupError as why:
        pytest.skip(str(why))
    why_not = runtime.missing(folder)
    if why_not:
        pytest.skip(why_not)
    return folder


def test_the_built_artifact_runs_under_the_lambda_runtime_client_and_is_counted(built):
    """The runtime harness once, a few invocations a container: every answer came back, the
    calls were counted, and SnapStart's hooks ran (what it measures is for `make bench`)."""
    figures = runtime.measure(runs=1, per_kind=3, artifact=built, cold_pairs=1)
    first = figures["no table"]["skill"]["first_answer"]
    assert first["response"]["outputSpeech"]["ssml"].startswith("<speak>")
    for configuration, dynamodb_on in (("no table", False), ("TABLE_NAME", True)):
        calls = figures[configuration]["skill"]["calls"]
        assert calls[runtime.CRAMP_KNOWN] == {"alexa_api": 0, "dynamodb": 0}
        assert calls[runtime.CRAMP_NEW] == {"alexa_api": 0, "dynamodb": 0}
        assert (calls[runtime.LAUNCH]["dynamodb"] > 0) is dynamodb_on
        assert set(figures[configuration]["hello"]["warm"]) == set(runtime.KINDS)
    assert figures["snap-start"]["hooks_ran"] == {"before snapshot": True, "after restore": True}
    cold = figures["cold starts"]
    assert cold["skill"]["containers"] == 1 and cold["skill"]["cpu_ms"] > 0
    text, targets = bench.runtime_tables(figures, runs=1)
    assert "SnapStart" in text and len(targets) == 5
