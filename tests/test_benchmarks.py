"""The benchmark's parts keep working, and what they count holds (no timings asserted here:
speed is measured by `make bench` only)."""

from benchmarks import __main__ as bench
from benchmarks import fuzz, hello, outbound
from localdev.envelopes import Conversation


def test_the_mid_cramp_path_calls_no_dynamodb_and_the_settings_api_once_a_session():
    rows = outbound.count()
    cramp = [row for row in rows if not row["turn"].startswith("control")]
    assert all(row["dynamodb"] == 0 and row["other"] == 0 for row in cramp)
    assert not any(row["boto3_imported"] for row in cramp)
    assert [row["alexa_api"] for row in cramp] == [1, 0, 0, 0, 1]
    # The control shows that a DynamoDB call would have been seen.
    control = rows[-1]
    assert control["dynamodb"] >= 1 and control["boto3_imported"]
    assert bench.outbound_table(rows)[1] is True


def test_the_fuzz_run_counts_what_it_tried_and_what_failed():
    result = fuzz.run(examples=30, seed=4)
    assert result["tried"] == 30 and result["failed"] == 0


def test_the_hello_world_skill_answers(tmp_path):
    handler = hello.load(hello.write(tmp_path)).handler
    reply = Conversation(handler).intent("LegCrampIntent")
    assert "Hello world" in reply.text


def test_the_figures_replace_only_their_part_of_the_readme(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n## Figures\n\n<!-- figures:start -->\nold\n<!-- figures:end -->\n"
                      "\nafter\n")
    bench.write_readme("| new | table |", readme)
    assert readme.read_text() == ("# x\n\n## Figures\n\n<!-- figures:start -->\n| new | table |"
                                  "\n<!-- figures:end -->\n\nafter\n")
