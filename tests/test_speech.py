"""The renderer: autoescaping, StrictUndefined, compile once, holds that add up, and every
template with every wording through Alexa's SSML validator (npm ssml-check-core)."""

import itertools

import jinja2
import pytest

from localdev.measure import words, words_before_instruction
from skill.speech import MAX_BREAK_SECONDS, Speech, split_hold, split_rest
from tests.alexa_rules import ssml_problems
from tests.node_tools import check_ssml

HOSTILE = '<b>& "quoted" \'single\' </speak>'

# Plain data for every response key, including hostile text wherever a template shows text.
STEP = dict(routine="bedtime", step_key="calf_stretch", side="left", muscle="general",
            hold_seconds=10, rest_seconds=10, repetitions=3, number=1, total=4, last=False,
            starting=True)
RELIEF_STEP = dict(STEP, routine="relief", step_key="relief_stretch", side="", hold_seconds=30,
                   rest_seconds=0, repetitions=1, total=3)
MUSCLES = ["calf", "foot", "front_thigh", "back_thigh", "other", "general", HOSTILE]
QUESTIONS = ["swelling", "long_or_numb", "new_medicine", "troubling", "persistent"]

SAMPLES = {
    "launch": [{"welcome": w} for w in ("returning", "again", "first", "fresh")],
    "launch_reprompt": [{}],
    "welcome/resume": [{"number": 3, "total": 4}], "welcome/resume_reprompt": [{"number": 3}],
    "welcome/resume_bedtime": [{"number": 2, "total": 4}],
    "relief/answer": [{"muscle": m} for m in MUSCLES],
    "relief/answer_reprompt": [{"muscle": m} for m in MUSCLES],
    "relief/decline": [{}],
    "prevent": [{}], "prevent_reprompt": [{}], "causes": [{}], "causes_reprompt": [{}],
    "doctor/start": [{"asking": q} for q in QUESTIONS],
    "doctor/next": [{"asking": q} for q in QUESTIONS],
    "doctor/reprompt": [{"asking": q} for q in QUESTIONS],
    "doctor/urgent": [{}], "doctor/book": [{"medicine": True}, {"medicine": False}],
    "doctor/home": [{}],
    "help/top": [{}], "help/cramp": [{"muscle": m} for m in MUSCLES],
    "help/triage": [{"asking": q} for q in QUESTIONS],
    "help/walkthrough": [STEP, RELIEF_STEP], "help/walkthrough_reprompt": [{}],
    "fallback/top": [{}], "fallback/triage": [{"asking": q} for q in QUESTIONS],
    "fallback/walkthrough": [{}], "fallback/offer": [{}],
    "no_question": [{"answer": "yes"}, {"answer": HOSTILE}],
    "not_in_walkthrough": [{}],
    "goodbye": [{"topic": t} for t in ("", "cramp", "relief", "bedtime", HOSTILE)],
    "declined": [{}],
    "error": [{"cramp": c, "closing": e} for c in (True, False) for e in (True, False)], "error_reprompt": [{}],
    "reminder/unavailable": [{}],
    "walkthrough/step": [
        dict(STEP, step_key=key, side=side, last=last, starting=starting)
        for key in ("calf_stretch", "hamstring_stretch") for side in ("left", "right", HOSTILE)
        for last in (False, True) for starting in (False, True)
    ] + [dict(RELIEF_STEP, step_key=key, hold_seconds=hold, muscle=muscle, last=last)
         for key, hold, last in (("relief_stretch", 30, False), ("relief_massage", 20, False),
                                 ("relief_ease", 0, True)) for muscle in MUSCLES],
    "walkthrough/step_reprompt": [{}],
    "walkthrough/paused": [STEP], "walkthrough/paused_reprompt": [{}],
    "walkthrough/first_step": [STEP, RELIEF_STEP], "walkthrough/declined": [{}],
    "walkthrough/resumed": [dict(STEP, number=3, side="left", step_key="hamstring_stretch")],
    "steps/calf_stretch": [{"side": "left"}, {"side": HOSTILE}],
    "steps/hamstring_stretch": [{"side": "right"}],
    "steps/relief_stretch": [{"muscle": m} for m in MUSCLES],
    "steps/relief_massage": [{}], "steps/relief_ease": [{}],
}
MOST_VARIANTS = 4


SPEAKERS = [Speech(choose=lambda n, k=k: k % n) for k in range(MOST_VARIANTS)]


def render(k: int, key: str, night: bool, data: dict) -> str:
    return "<speak>" + SPEAKERS[k].render("en-US", key, night=night, **data) + "</speak>"


def every_rendering():
    """Each key with each sample, once per wording (choosing variant k of every choice), by day
    and by night."""
    for key, samples in SAMPLES.items():
        for data, k, night in itertools.product(samples, range(MOST_VARIANTS), (False, True)):
            yield key, dict(data, night=night), render(k, key, night, data)


def test_every_template_has_samples():
    assert sorted(Speech().keys()) == sorted(SAMPLES)


def test_every_template_and_variant_is_valid_alexa_ssml():
    renderings = list(every_rendering())
    errors = check_ssml([ssml for _, _, ssml in renderings])
    failed = [(key, data, ssml, error) for (key, data, ssml), error in zip(renderings, errors)
              if error]
    assert not failed, failed[:3]
    for key, data, ssml in renderings:
        assert ssml_problems(ssml) == [], (key, data)


def test_hostile_text_is_escaped_not_spoken_as_markup():
    ssml = Speech(choose=lambda n: 0).render("en-US", "no_question", answer=HOSTILE)
    assert "&lt;b&gt;&amp;" in ssml and "</speak>" not in ssml


def test_a_missing_variable_is_an_error_not_silence():
    with pytest.raises(jinja2.UndefinedError):
        Speech().render("en-US", "doctor/start")


def test_templates_compile_once_per_container(monkeypatch):
    speech = Speech()
    speech.render("en-US", "launch", welcome="first")
    loads = []
    original = speech.env.loader.get_source
    monkeypatch.setattr(speech.env.loader, "get_source",
                        lambda *args: loads.append(args) or original(*args))
    for _ in range(3):
        speech.render("en-US", "launch", welcome="first")
    assert loads == []


def test_other_locales_fall_back_to_the_default_words():
    assert Speech().render("de-DE", "launch_reprompt") == Speech().render(
        "en-US", "launch_reprompt")


@pytest.mark.parametrize("seconds", range(0, 61))
def test_holds_and_rests_split_into_legal_breaks_that_add_up(seconds):
    for parts in (split_hold(seconds), split_rest(seconds)):
        assert sum(parts) == seconds
        assert all(0 < part <= MAX_BREAK_SECONDS for part in parts)


def test_wording_varies_where_it_is_heard_often():
    for key in ("relief/answer", "goodbye", "walkthrough/step", "launch"):
        data = SAMPLES[key][0]
        wordings = {Speech(choose=lambda n, k=k: k % n).render("en-US", key, **data)
                    for k in range(MOST_VARIANTS)}
        assert len(wordings) > 1, key


def test_at_night_every_answer_is_soft_and_slower_once_around_the_whole():
    for key, data, ssml in every_rendering():
        if data["night"]:
            assert ssml.startswith('<speak><prosody volume="soft" rate="90%">'), key
            assert ssml.endswith("</prosody></speak>") and ssml.count("<prosody") == 1, key
        else:
            assert "<prosody" not in ssml, key


# Where the night voice leaves out a sentence someone half asleep can do without.
SHORTER_AT_NIGHT = [
    ("relief/answer", {"muscle": "calf"}), ("relief/decline", {}), ("launch", {"welcome": "returning"}),
    ("help/cramp", {"muscle": "foot"}), ("prevent", {}),
    ("walkthrough/step", STEP),
    ("walkthrough/step", dict(STEP, step_key="hamstring_stretch", number=4, last=True,
                              starting=False)),
]


def test_at_night_nothing_is_longer():
    for key, samples in SAMPLES.items():
        for data, k in itertools.product(samples, range(MOST_VARIANTS)):
            day, night = (words(render(k, key, n, data)) for n in (False, True))
            assert len(night) <= len(day), (key, data)


@pytest.mark.parametrize("key, data", SHORTER_AT_NIGHT)
def test_at_night_the_optional_sentences_go(key, data):
    for k in range(MOST_VARIANTS):
        day, night = (words(render(k, key, n, data)) for n in (False, True))
        assert len(night) < len(day), (key, k)


def test_at_night_the_cramp_answer_still_starts_with_what_to_do():
    for data in SAMPLES["relief/answer"]:
        ssml = Speech().render("en-US", "relief/answer", night=True, **data)
        assert words_before_instruction(ssml) == 0
