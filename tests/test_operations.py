"""What a team running the skill on AWS gets from template.yaml: alarms on errors, throttles and
duration near the timeout, sent to the clinic's address only when there is one; and one metric per
kind of answer, counted from the request log line that skill/logs.py writes."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from tests.moto_server import ROOT, template
from tests.test_deploy import run, sam_env  # noqa: F401  (sam_env is a fixture)
from tests.lambda_build import SAM

ALARMS = ("ErrorsAlarm", "ThrottlesAlarm", "DurationAlarm", "ErrorAnswersAlarm",
          "LastResortAlarm")


def resources() -> dict:
    return template()["Resources"]


def test_the_lambda_alarms_watch_the_function_for_errors_throttles_and_slowness():
    function = resources()["SkillFunction"]["Properties"]
    watched = {}
    for name in ("ErrorsAlarm", "ThrottlesAlarm", "DurationAlarm"):
        alarm = resources()[name]["Properties"]
        assert alarm["Namespace"] == "AWS/Lambda"
        assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": "SkillFunction"}]
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["TreatMissingData"] == "notBreaching"  # no traffic is no alarm
        watched[alarm["MetricName"]] = (alarm["Statistic"], alarm["Threshold"])
    assert watched["Errors"] == ("Sum", 1) and watched["Throttles"] == ("Sum", 1)
    # Near the timeout: 80 % of it, in the metric's milliseconds.
    assert watched["Duration"] == ("Maximum", function["Timeout"] * 1000 * 4 // 5)


def test_without_an_address_there_is_no_topic_and_the_alarms_notify_no_one():
    parameter = template()["Parameters"]["AlarmEmail"]
    assert parameter["Default"] == ""
    assert template()["Conditions"]["AlarmsEmailed"] == [["AlarmEmail", ""]]  # Not(Equals)
    topic = resources()["AlarmTopic"]
    assert topic["Condition"] == "AlarmsEmailed"
    assert topic["Properties"]["Subscription"] == [{"Protocol": "email",
                                                    "Endpoint": "AlarmEmail"}]
    for name in ALARMS:
        alarm = resources()[name]["Properties"]
        for actions in ("AlarmActions", "OKActions"):
            assert alarm[actions] == ["AlarmsEmailed", ["AlarmTopic"], "AWS::NoValue"], name
    # Nothing else may name the topic outside the condition.
    for name, resource in resources().items():
        if name != "AlarmTopic" and "AlarmTopic" in json.dumps(resource):
            assert name in ALARMS, name
    assert template()["Outputs"]["AlarmTopicArn"]["Condition"] == "AlarmsEmailed"
    pattern = re.compile(parameter["AllowedPattern"])
    assert pattern.fullmatch("") and pattern.fullmatch("ops@clinic.example")
    assert not pattern.fullmatch("not an address")


def with_an_alarm_address(folder: Path) -> Path:
    """template.yaml as a clinic deploying with AlarmEmail set sees it (linters judge the
    defaults, so the copy's default is an address)."""
    text = (ROOT / "template.yaml").read_text(encoding="utf-8")
    marker = "  AlarmEmail:\n    Type: String\n    Default: \"\"\n"
    assert marker in text
    path = folder / "template.yaml"
    path.write_text(text.replace(marker, marker.replace('""', "ops@clinic.example")),
                    encoding="utf-8")
    return path


def test_with_an_alarm_address_cfn_lint_and_sam_validate_pass(tmp_path, sam_env):  # noqa: F811
    emailed = with_an_alarm_address(tmp_path)
    run([Path(sys.executable).parent / "cfn-lint", emailed])
    run([SAM, "validate", "--lint", "--template-file", emailed], env=sam_env)


# --- the metric of answers ---------------------------------------------------------------

FIELD = re.compile(r'\$\.(\w+)\s*=\s*("(?:[^"\\]|\\.)*"|\*)')


def matches(pattern: str, line: dict) -> bool:
    """Whether a CloudWatch Logs JSON filter pattern of `$.field = "value"` and `$.field = *`
    terms joined by && matches a log line (the only forms the template uses)."""
    body = pattern.strip()
    assert body.startswith("{") and body.endswith("}")
    terms = [term.strip() for term in body[1:-1].split("&&")]
    for term in terms:
        found = FIELD.fullmatch(term)
        assert found, f"a filter form this check does not read: {term}"
        field, value = found.groups()
        if field not in line:
            return False
        if value != "*" and line[field] != json.loads(value):
            return False
    return True


def test_one_metric_per_kind_of_answer_comes_from_the_request_log_line(talk, capsys):
    metric_filter = resources()["AnswersMetricFilter"]["Properties"]
    assert metric_filter["LogGroupName"] == "SkillLogGroup"
    [transformation] = metric_filter["MetricTransformations"]
    assert transformation["MetricName"] == "Answers" and transformation["MetricValue"] == "1"
    [dimension] = transformation["Dimensions"]
    assert dimension == {"Key": "Answer", "Value": "$.answer"}
    talk.say("i have chest pain")
    talk.end("USER_INITIATED")
    spoken, silent = (json.loads(line) for line in capsys.readouterr().err.splitlines())
    assert matches(metric_filter["FilterPattern"], spoken)
    assert spoken[dimension["Value"].removeprefix("$.")] == "emergency"
    assert not matches(metric_filter["FilterPattern"], silent)  # nothing said, nothing counted


def test_the_answer_alarms_watch_the_metric_the_filter_makes():
    [transformation] = resources()["AnswersMetricFilter"]["Properties"]["MetricTransformations"]
    for name, kind in (("ErrorAnswersAlarm", "error"), ("LastResortAlarm", "last_resort")):
        alarm = resources()[name]["Properties"]
        assert alarm["Namespace"] == transformation["MetricNamespace"]
        assert alarm["MetricName"] == transformation["MetricName"]
        assert alarm["Dimensions"] == [{"Name": "Answer", "Value": kind}]
