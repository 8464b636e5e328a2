"""The licence, and the privacy policy and terms of use a clinic fills in: the policy says what the
code keeps, for as long as the code keeps it, so a change to either fails here until both agree."""

from dataclasses import fields

from skill import memory, stores, time_zones
from tests.moto_server import ROOT, template

LEGAL = ROOT / "docs" / "legal"
# Each remembered field, and the words the privacy policy describes it with.
DESCRIBED = {
    "disclaimer_heard": "whether you have heard its short disclaimer",
    "walk": "where you stopped in the bedtime stretch routine",
    "reminder_time": "the time of your daily stretch reminder",
    "reminder_token": "the identifier Amazon gives that reminder",
}


def page(name: str) -> str:
    return " ".join((LEGAL / name).read_text(encoding="utf-8").split())


def test_the_licence_is_apache_2():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in licence


def test_the_privacy_policy_describes_everything_remembered_and_nothing_else():
    policy = page("privacy-policy.md")
    assert {each.name for each in fields(memory.Memory)} == set(DESCRIBED), \
        "a remembered field changed: describe it in docs/legal/privacy-policy.md"
    for words in DESCRIBED.values():
        assert words in policy


def test_the_privacy_policy_gives_the_periods_the_code_and_template_keep_things():
    policy = page("privacy-policy.md")
    assert stores.ONE_YEAR_SECONDS == 365 * 24 * 3600
    assert "deleted automatically one year after the skill last changed it" in policy
    assert time_zones.KEPT_SECONDS == 3600 and "for up to one hour" in policy
    resources, parameters = template()["Resources"], template()["Parameters"]
    assert f"[LOG RETENTION: {parameters['LogRetentionInDays']['Default']}] days" in policy
    table = resources["MemoryTable"]["Properties"]
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert "point-in-time backups for up to 35 days" in policy
    assert table["SSESpecification"]["SSEEnabled"] is True and "encrypted at rest" in policy


def test_both_pages_are_templates_with_the_disclaimer():
    for name in ("privacy-policy.md", "terms-of-use.md"):
        text = page(name)
        assert "[CLINIC NAME]" in text and "[CONTACT EMAIL]" in text and "[DATE]" in text
        assert "not a substitute for professional medical advice" in text
