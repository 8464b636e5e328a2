"""The screen, checked by Amazon's own APL tooling (npm apl-suggester): the APL document, and
every RenderDocument directive the skill sends to a device with a screen, day and night, in each
English locale, with its datasources."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from localdev.envelopes import Device
from skill.display import APL_DOCUMENT
from skill.routines import BEDTIME
from tests.apl_tools import check_apl, unknown_components
from tests.conftest import DAYTIME
from tests.locales import LOCALES

RENDER = "Alexa.Presentation.APL.RenderDocument"
MIDNIGHT_IN_LONDON = datetime(2024, 6, 14, 23, 0, tzinfo=timezone.utc)
# What a person says on an Echo Show: the cramp answer, the guided relief, the whole bedtime
# walkthrough, and what comes between.
SAID = (["i have a cramp in my calf", "yes", "next", "walk me through a bedtime stretch"]
        + ["next"] * len(BEDTIME.steps) + ["help"])


def document() -> dict:
    return json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))


def render_directives(new_talk, alexa_api) -> list[dict]:
    sent = []
    for locale in LOCALES:
        for moment in (DAYTIME, MIDNIGHT_IN_LONDON):
            show = new_talk(locale=locale, now=lambda moment=moment: moment,
                            device=Device(screen=True, api_endpoint=alexa_api.url))
            for words in SAID:
                sent += [d for d in show.say(words).directives if d["type"] == RENDER]
    return sent


def test_the_apl_document_is_valid_for_apl_suggester():
    [found] = check_apl([(document(), None)])
    assert found == {"document": [], "datasources": [], "channel": []}
    assert unknown_components(document()) == []


def test_every_render_document_the_skill_sends_is_valid_for_apl_suggester(new_talk, alexa_api):
    sent = render_directives(new_talk, alexa_api)
    # Day and night, the relief and each walkthrough step, in every locale.
    assert len(sent) >= 2 * len(LOCALES) * (2 + len(BEDTIME.steps))
    assert {d["datasources"]["screen"]["properties"]["night"] for d in sent} == {True, False}
    results = check_apl([(d["document"], d["datasources"]) for d in sent])
    for directive, found in zip(sent, results):
        assert found == {"document": [], "datasources": [], "channel": []}, \
            (directive["datasources"], found)
        assert unknown_components(directive["document"]) == []


def test_the_check_catches_what_apl_suggester_would_keep_to_itself():
    misspelt, stray, unknown = copy.deepcopy(document()), copy.deepcopy(document()), \
        copy.deepcopy(document())
    texts = misspelt["mainTemplate"]["item"]["item"]["items"]
    texts[1]["colour"] = "#FFFFFF"
    stray["mainTemplate"]["item"]["item"]["items"][0]["type"] = "Txet"
    unknown["version"] = "1999.1"
    spelling, component, version, sources = check_apl([
        (misspelt, None), (stray, None), (unknown, None), (document(), {"screen": 5})])
    assert any("colour" in e["errorMessage"] for e in spelling["document"])
    # An unknown component type goes only to apl-suggester's discarded channel ...
    assert component["document"] == [] and component["channel"]
    # ... which is why the type is checked here too.
    assert unknown_components(stray) == [
        "mainTemplate.item.item.items[0]: 'Txet' is not an APL component or a layout"]
    assert version["document"]
    assert any("screen" in e["errorMessage"] for e in sources["datasources"])


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two colours."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("night", [False, True])
def test_every_colour_of_text_meets_wcag_aa_on_the_background_day_and_night(night):
    """Dim at night, but readable: at least 4.5:1 for every text colour (WCAG 2.1 AA)."""
    import re

    colours = {}
    for bound in document()["mainTemplate"]["item"]["bind"]:
        found = re.fullmatch(r"\$\{night \? '(#\w{6})' : '(#\w{6})'\}", str(bound["value"]))
        if found:
            colours[bound["name"]] = found.group(2 if not night else 1)
    paper = colours.pop("paper")
    assert set(colours) == {"ink", "soft", "accent"}
    for name, colour in colours.items():
        assert contrast(colour, paper) >= 4.5, (name, colour, round(contrast(colour, paper), 2))
