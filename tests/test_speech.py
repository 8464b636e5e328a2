"""The renderer: autoescaping, StrictUndefined, compile once, holds that add up, and every
template with every wording through Alexa's SSML validator (npm ssml-check-core)."""

import itertools
import re

import jinja2
import pytest

from localdev.measure import words, words_before_instruction
from localdev.samples import (HOSTILE, MOST_VARIANTS, SAMPLES, SCREEN_STEP, STEP, TEXT_FIELDS, TEXT_SAMPLES)
from skill.conversation import relief
from skill.routines import STRETCHES
from skill.speech import MAX_BREAK_SECONDS, Speech, split_hold, split_rest
from skill.speech import DEFAULT_LOCALE, RESPONSES_DIR, TEXT_SUFFIX
from localdev.alexa_rules import ssml_problems
from tests.locales import LOCALES
from tests.node_tools import check_ssml

# Every English locale, and one that has no folder of its own (answered from `en/`).
RENDERED_LOCALES = LOCALES + ["de-DE"]


SPEAKERS = [Speech(choose=lambda n, k=k: k % n) for k in range(MOST_VARIANTS)]


def render(k: int, key: str, night: bool, data: dict, locale: str = "en-US") -> str:
    return "<speak>" + SPEAKERS[k].render(locale, key, night=night, **data) + "</speak>"


def every_rendering():
    """Each key with each sample, once per wording (choosing variant k of every choice), by day
    and by night, in every locale: a locale's overrides are checked wherever they are used."""
    for locale, (key, samples) in itertools.product(RENDERED_LOCALES, SAMPLES.items()):
        for data, k, night in itertools.product(samples, range(MOST_VARIANTS), (False, True)):
            yield key, dict(data, night=night), render(k, key, night, data, locale)


def test_every_template_has_samples():
    assert sorted(Speech().keys()) == sorted(SAMPLES)


def test_every_stretch_the_skill_can_choose_has_words():
    from skill.symptom_table import parts

    assert {part.stretch for part in parts().values()} <= set(STRETCHES)


@pytest.mark.parametrize("key, data", [("relief/answer", {"muscle": HOSTILE}),
                                       ("relief/answer", {"muscle": "neck"}),
                                       ("doctor/next", {"asking": "swollen_typo"})])
def test_a_name_without_words_of_its_own_raises_rather_than_saying_another(key, data):
    with pytest.raises(jinja2.TemplateNotFound):
        Speech().render("en-US", key, **data)


def test_every_template_and_variant_is_valid_alexa_ssml():
    renderings = list(every_rendering())
    errors = check_ssml([ssml for _, _, ssml in renderings])
    failed = [(key, data, ssml, error) for (key, data, ssml), error in zip(renderings, errors)
              if error]
    assert not failed, failed[:3]
    for key, data, ssml in renderings:
        assert ssml_problems(ssml) == [], (key, data)


def test_each_locales_last_resort_is_valid_alexa_ssml_and_says_what_the_error_answer_says():
    """responses/<locale>/_last_resort.ssml, said when rendering fails, is checked like every
    other response, and kept in step with the templates it was written from."""
    speech = Speech()
    said = {locale: speech.last_resort(locale) for locale in RENDERED_LOCALES}
    for locale, ssml in said.items():
        assert ssml == speech.render(locale, "error", cramp=True, closing=True), \
            f"{locale}: the last resort has drifted: run python -m localdev.last_resort"
        assert ssml_problems(f"<speak>{ssml}</speak>") == [], locale
    assert check_ssml([f"<speak>{ssml}</speak>" for ssml in said.values()]) == [None] * len(said)


def test_hostile_text_is_escaped_not_spoken_as_markup():
    ssml = Speech(choose=lambda n: 0).render("en-US", "no_question", answer=HOSTILE)
    assert "&lt;b&gt;&amp;" in ssml and "</speak>" not in ssml


def test_a_missing_variable_is_an_error_not_silence():
    with pytest.raises(jinja2.UndefinedError):
        Speech().render("en-US", "doctor/first", cautious=False)


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


@pytest.mark.parametrize("locale, folder", [
    ("en-US", "en-US"), ("en-GB", "en-GB"), ("en-IN", "en-IN"), ("de-DE", "en"), ("fr-CA", "en"),
    ("en-NZ", "en"), ("", "en"), (None, "en"), ("../../etc", "en"), ("en-GB/../x", "en"),
])
def test_each_locale_is_spoken_from_its_own_folder_or_shared_english(locale, folder):
    assert Speech().folder(locale) == folder


def test_a_locale_folder_overrides_only_templates_the_default_has():
    default = {p.relative_to(RESPONSES_DIR / DEFAULT_LOCALE).as_posix()
               for p in (RESPONSES_DIR / DEFAULT_LOCALE).rglob("*.j2")}
    for folder in RESPONSES_DIR.iterdir():
        if folder.is_dir() and folder.name != DEFAULT_LOCALE and folder.name != "apl":
            extra = {p.relative_to(folder).as_posix() for p in folder.rglob("*.j2")} - default
            assert not extra, f"{folder.name} has templates en-US lacks: {sorted(extra)}"


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


def test_every_text_template_has_samples():
    assert sorted(Speech().keys(TEXT_SUFFIX)) == sorted(TEXT_SAMPLES)


@pytest.mark.parametrize("locale", RENDERED_LOCALES)
def test_every_text_template_renders_plain_text_in_every_locale(locale):
    speech = Speech()
    for key, samples in TEXT_SAMPLES.items():
        for data in samples:
            fields = speech.fields(locale, key, **data)
            assert set(fields) >= TEXT_FIELDS.get(key, {"title", "text"}), key
            for name, text in fields.items():
                assert text and text == text.strip(), (key, name)
                assert "{" not in text and "<say-as" not in text and "&amp;" not in text, (key, text)


def test_plain_text_is_not_escaped_for_ssml():
    fields = Speech().fields("en-US", "screen/step", **dict(SCREEN_STEP, side="<b>&"))
    assert "<b>& foot back" in fields["instruction"]


def test_a_card_keeps_one_item_a_line():
    text = Speech().fields("en-US", "cards/prevent")["text"]
    assert text.splitlines()[0] == "- Drink enough water through the day."


# A line about getting care now, inside a soft night answer: said in the normal voice.
ALOUD = re.compile(r'<prosody volume="medium" rate="100%">[^<]*(<(?!/?prosody)[^>]*>[^<]*)*'
                   r'</prosody>')


def test_at_night_every_answer_is_soft_and_slower_once_around_the_whole():
    for key, data, ssml in every_rendering():
        if data["night"]:
            assert ssml.startswith('<speak><prosody volume="soft" rate="90%">'), key
            assert ssml.endswith("</prosody></speak>"), key
            # Only the care-now lines change the voice again, back to normal.
            assert ALOUD.sub("", ssml).count("<prosody") == 1, (key, ssml)
        else:
            assert "<prosody" not in ssml, key


def test_an_answer_that_sends_someone_to_care_is_never_whispered():
    night = Speech().render("en-US", "symptom/emergency", night=True, aloud=True, sign="",
                            cautious="")
    assert night.startswith("Call") and "<prosody" not in night


# Where the night voice leaves out a sentence someone half asleep can do without.
SHORTER_AT_NIGHT = [
    ("relief/answer", {"muscle": "calf"}), ("relief/decline", {}), ("launch", {"welcome": "returning"}),
    ("help/cramp", {"muscle": "foot"}), ("prevent", {}),
    ("walkthrough/step", STEP),
    ("walkthrough/step", dict(STEP, step_key="hamstring_stretch", number=4, last=True,
                              starting=False)),
]


def test_at_night_nothing_is_longer():
    """...but for the emergency line a night fallback adds (Alexa sends no words with a fallback:
    at night the person may be describing anything)."""
    for key, samples in SAMPLES.items():
        for data, k in itertools.product(samples, range(MOST_VARIANTS)):
            day_ssml, night_ssml = (render(k, key, n, data) for n in (False, True))
            added = [line for line in ALOUD.findall(night_ssml) or ()]
            night_ssml = ALOUD.sub(lambda found: "" if words(found.group(0)) and " ".join(
                words(found.group(0))) not in " ".join(words(day_ssml)) else found.group(0),
                night_ssml)
            assert len(words(night_ssml)) <= len(words(day_ssml)), (key, data, added)


@pytest.mark.parametrize("key, data", SHORTER_AT_NIGHT)
def test_at_night_the_optional_sentences_go(key, data):
    for k in range(MOST_VARIANTS):
        day, night = (words(render(k, key, n, data)) for n in (False, True))
        assert len(night) < len(day), (key, k)


def test_at_night_the_cramp_answer_still_starts_with_what_to_do():
    for data in SAMPLES["relief/answer"]:
        ssml = Speech().render("en-US", "relief/answer", night=True, **data)
        assert words_before_instruction(ssml) == 0


def test_sleep_well_and_good_night_are_said_only_at_night():
    for key, data, ssml in every_rendering():
        if not data["night"]:
            said = ssml.lower()
            assert "sleep well" not in said and "good night" not in said, (key, data)
