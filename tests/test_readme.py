"""The README is for a person who has never seen an Alexa skill: short, its two commands the ones
CI runs, and every page it (or a page of docs/) points to really there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = [README, *sorted((ROOT / "docs").rglob("*.md"))]
# [text](target) with a relative target; an anchor after '#' is checked against the page's headings.
LINK = re.compile(r"\]\((?!https?://|mailto:)([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to dashes."""
    headings = re.findall(r"^#+\s+(.*)$", page.read_text(), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_readme_is_short_enough_to_read():
    assert len(README.read_text().splitlines()) <= 250


def test_the_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    text = README.read_text()
    assert "make chat" in text and "make test" in text
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert [line for line in ci if line.strip() and not line.startswith(("#", "set ", "cd "))] \
        == ["make test"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_to_a_page_of_the_project_leads_somewhere(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"
