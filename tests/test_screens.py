"""Screens (Echo Show, Fire TV): one APL document, rendered from data, only where there is a screen."""

import json
import re
from datetime import datetime, timezone

import pytest

from localdev.envelopes import Device, SlotFill
from skill import timeline
from skill.display import APL_DOCUMENT

RENDER = "Alexa.Presentation.APL.RenderDocument"
EXPRESSION = re.compile(r"\$\{([^}]*)\}")
# Names APL itself puts in every data-binding context.
APL_NAMES = {"Math", "viewport", "environment", "elapsedTime", "localTime", "utcTime", "true",
             "false", "null", "data"}


@pytest.fixture
def show(new_talk, alexa_api):
    """A person talking to an Echo Show."""
    return new_talk(device=Device(screen=True, api_endpoint=alexa_api.url))


def rendered(reply) -> dict:
    documents = [d for d in reply.directives if d["type"] == RENDER]
    assert len(documents) == 1, reply.directives
    return documents[0]


def properties(reply) -> dict:
    return rendered(reply)["datasources"]["screen"]["properties"]


def strings(node):
    """Every (key, string) in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield key, value
            else:
                yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


# ------------------------------------------------------------------------------ the document


def test_the_document_is_valid_apl_json_with_one_datasource_parameter():
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    assert document["type"] == "APL" and document["version"]
    assert document["mainTemplate"]["parameters"] == ["screen"]


def test_the_document_has_no_words_of_its_own():
    # Every visible text is a data-binding expression: the words come from templates.
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    texts = [value for key, value in strings(document["mainTemplate"]) if key == "text"]
    assert texts
    for text in texts:
        assert EXPRESSION.fullmatch(text), f"literal text on screen: {text!r}"


def test_every_name_the_document_uses_is_bound_or_apls_own():
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    problems = []

    def walk(node, bound):
        if isinstance(node, list):
            for item in node:
                walk(item, bound)
            return
        if not isinstance(node, dict):
            return
        bound = set(bound)
        for binding in node.get("bind", []):
            check(binding["value"], bound)
            bound.add(binding["name"])
        for key, value in node.items():
            if key == "bind":
                continue
            if isinstance(value, str):
                check(value, bound)
            else:
                walk(value, bound)

    def check(text, bound):
        for expression in EXPRESSION.findall(text):
            code = re.sub(r"'[^']*'", "", expression)
            for name in re.findall(r"(?<![.\w])([A-Za-z_]\w*)", code):
                if name not in bound | APL_NAMES:
                    problems.append(f"{name} in {expression!r}")

    walk(document["mainTemplate"]["item"], set(document["mainTemplate"]["parameters"]))
    assert not problems, problems


def test_every_datasource_property_the_document_uses_is_sent(show):
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    used = set(re.findall(r"screen\.properties\.(\w+)", json.dumps(document)))
    assert {"title", "instruction", "holdSeconds", "night"} <= used
    cramp = rendered(show.say("i have a cramp in my calf"))
    step = rendered(show.say("yes"))
    for reply in (cramp, step):
        assert set(reply["datasources"]) == set(document["mainTemplate"]["parameters"])
        missing = used - set(reply["datasources"]["screen"]["properties"])
        assert not missing, missing
        assert reply["document"] == document


# ------------------------------------------------------------------------------ who gets it


def test_a_device_without_a_screen_never_gets_apl(talk):
    replies = [talk.say("i have a cramp in my calf"), talk.say("yes"), talk.say("next"),
               talk.say("walk me through a bedtime stretch"), talk.say("next")]
    for reply in replies:
        assert not [d for d in reply.directives if d["type"].startswith("Alexa.Presentation")]


def test_the_mid_cramp_answer_shows_what_to_do_in_large_type(show):
    reply = show.intent("LegCrampIntent", Muscle=SlotFill("foot", "FOOT"))
    screen = properties(reply)
    assert screen["instruction"].startswith("Pull your toes up toward your shin")
    assert reply.text.startswith(screen["instruction"].split(",")[0])
    assert screen["holdSeconds"] == 0 and screen["progress"] == ""
    assert screen["night"] is False


def test_each_walkthrough_step_shows_the_step_number_and_its_hold(show):
    first = properties(show.say("walk me through a bedtime stretch"))
    assert first["progress"] == "Step 1 of 4" and first["title"] == "Left calf stretch"
    assert (first["holdSeconds"], first["restSeconds"], first["repetitions"]) == (10, 10, 3)
    assert first["hold"].startswith("seconds: hold") and first["rest"]
    # The countdown waits for the introduction and the cue before the first hold.
    assert first["startsAfterMs"] > 5000
    second = properties(show.say("next"))
    assert second["progress"] == "Step 2 of 4" and second["title"] == "Right calf stretch"
    assert second["startsAfterMs"] < first["startsAfterMs"]
    show.say("next")
    last = show.say("next")
    assert properties(last)["progress"] == "Step 4 of 4"


def test_the_guided_relief_counts_down_its_thirty_second_stretch(show):
    show.say("i have a cramp in my calf")
    screen = properties(show.say("yes"))
    assert screen["title"] == "Stretch it" and screen["holdSeconds"] == 30
    assert screen["repetitions"] == 1 and screen["progress"] == "Step 1 of 3"


def test_at_night_the_screen_is_dark_and_dim(new_talk, alexa_api):
    # Midnight in the stand-in's time zone (London): the voice is soft, the screen dim.
    midnight = datetime(2024, 6, 14, 23, 0, tzinfo=timezone.utc)
    reply = new_talk(device=Device(screen=True, api_endpoint=alexa_api.url), locale="en-GB",
                     now=lambda: midnight).say("i have a cramp in my calf")
    assert properties(reply)["night"] is True
    document = json.loads(APL_DOCUMENT.read_text(encoding="utf-8"))
    colours = {b["name"]: b["value"] for b in document["mainTemplate"]["item"]["bind"]}
    assert colours["paper"].startswith("${night ? '#000000'")


def test_the_countdown_follows_the_voice_through_the_last_repetition(show):
    from skill.routines import BEDTIME

    for number, reply in enumerate([show.say("walk me through a bedtime stretch"),
                                    show.say("next")]):
        step = BEDTIME.steps[number]
        screen = properties(reply)
        countdown = screen["countdown"]
        # One segment after another from the first word, with nothing between them.
        assert countdown[0]["fromMs"] == 0
        assert all(a["toMs"] == b["fromMs"] for a, b in zip(countdown, countdown[1:]))
        # It counts only while the voice is silent (the breaks), every timed second once...
        counted = [s for s in countdown if s["counting"]]
        assert sum(s["toMs"] - s["fromMs"] for s in counted) == step.seconds * 1000
        # ...and waits while a cue is said: "5 more seconds" is said while it shows 5.
        holds = [s for s in countdown if not s["counting"] and not s["resting"] and s["left"] == 5]
        assert len(holds) == step.repetitions
        # It starts when the voice says "hold", after the pause to get into position...
        first_hold = timeline.first_hold(reply.ssml, step.hold_seconds, step.rest_seconds,
                                         step.repetitions)
        assert screen["startsAfterMs"] == round(first_hold * 1000) == counted[0]["fromMs"]
        assert first_hold > step.settle_seconds
        # ...and reaches zero when the voice says "and relax", after the last repetition.
        relax = timeline.hold_ends(reply.ssml, step.hold_seconds, step.rest_seconds,
                                   step.repetitions)[-1]
        assert countdown[-1]["left"] == 0 and countdown[-1]["fromMs"] == round(relax * 1000)
        rests = [s for s in counted if s["resting"]]
        assert sum(s["toMs"] - s["fromMs"] for s in rests) == (
            step.rest_seconds * (step.repetitions - 1) * 1000)


def test_the_timeline_reads_breaks_and_words_from_the_ssml():
    said, _ = timeline.said_seconds("five more seconds")
    assert said == pytest.approx(4 * timeline.SYLLABLE_SECONDS)
    ssml = '<speak>five more seconds <break time="2s"/> and rest</speak>'
    [pause], total = timeline.breaks(ssml)
    assert pause.start == pytest.approx(said) and pause.seconds == 2
    assert total == pytest.approx(said + 2 + 2 * timeline.SYLLABLE_SECONDS)
    # Slower inside the night voice's prosody; a break keeps its length.
    [slow], _ = timeline.breaks(f'<speak><prosody rate="90%">five more seconds <break time="2s"/>'
                                f'</prosody></speak>')
    assert slow.start == pytest.approx(said / 0.9) and slow.seconds == 2
    # A break where a sentence ends takes the place of the sentence's own pause.
    [after], _ = timeline.breaks('<speak>Hold. <break time="5s"/></speak>')
    assert after.start == pytest.approx(timeline.SYLLABLE_SECONDS)
    # Half seconds, and speech that holds none of a step's breaks, time nothing.
    [half], _ = timeline.breaks('<speak>one <break time="500ms"/></speak>')
    assert half.seconds == 0.5
    assert timeline.countdown("<speak>no breaks</speak>", 10, 10, 3) == []


def test_the_mid_cramp_answer_has_no_countdown(show):
    assert properties(show.say("i have a cramp in my calf"))["countdown"] == []


def test_the_manifest_declares_apl():
    manifest = json.loads((APL_DOCUMENT.parents[2] / "skill.json").read_text(encoding="utf-8"))
    interfaces = manifest["manifest"]["apis"]["custom"]["interfaces"]
    assert "ALEXA_PRESENTATION_APL" in [interface["type"] for interface in interfaces]
