"""The renderer keeps what it rendered: the same words, with the same data and wording, come
back without rendering again, and every wording is still said."""

import pytest

from skill.speech import Speech
from tests.test_speech import SAMPLES, TEXT_SAMPLES


@pytest.mark.parametrize("key", sorted(SAMPLES))
def test_a_kept_render_is_exactly_a_fresh_one(key):
    for wording in range(3):
        choose = lambda n, wording=wording: min(wording, n - 1)  # noqa: E731
        kept = Speech(choose=choose)
        for data in SAMPLES[key]:
            first = kept.render("en-US", key, **data)
            assert kept.render("en-US", key, **data) == first
            assert Speech(choose=choose).render("en-US", key, **data) == first


def test_every_wording_is_still_said_once_renders_are_kept():
    speech = Speech()
    said = {speech.render("en-US", "relief/answer", muscle="calf") for _ in range(200)}
    assert len(said) == 3


def test_the_same_request_is_not_rendered_twice(monkeypatch):
    speech = Speech(choose=lambda n: 0)
    first = speech.render("en-US", "walkthrough/step_reprompt")
    monkeypatch.setattr(speech.env, "get_template", lambda name: pytest.fail("rendered again"))
    assert speech.render("en-US", "walkthrough/step_reprompt") == first


def test_data_that_cannot_be_a_key_is_rendered_every_time():
    speech = Speech(choose=lambda n: 0)
    said = speech.render("en-US", "goodbye", topic="cramp", extra=["unhashable"])
    assert said == speech.render("en-US", "goodbye", topic="cramp", extra=["unhashable"])
    assert not speech._memo


def test_equal_but_different_data_is_kept_apart():
    speech = Speech(choose=lambda n: 0)
    assert "a 1 to" in speech.render("en-US", "no_question", answer=1)
    assert "a True to" in speech.render("en-US", "no_question", answer=True)


def test_what_is_kept_is_bounded():
    speech = Speech(choose=lambda n: 0)
    speech.MEMO_SIZE = 10
    for number in range(25):
        speech.render("en-US", "goodbye", topic=f"topic {number}")
    assert len(speech._memo) <= 10


def test_kept_card_text_is_a_fresh_copy_each_time():
    speech = Speech(choose=lambda n: 0)
    first = speech.fields("en-US", "cards/prevent")
    first["title"] = "changed by a caller"
    assert speech.fields("en-US", "cards/prevent")["title"] != "changed by a caller"


@pytest.mark.parametrize("key", sorted(TEXT_SAMPLES))
def test_kept_plain_text_is_exactly_fresh_text(key):
    kept = Speech(choose=lambda n: 0)
    for data in TEXT_SAMPLES[key]:
        first = kept.fields("en-US", key, **data)
        assert kept.fields("en-US", key, **data) == first
        assert Speech(choose=lambda n: 0).fields("en-US", key, **data) == first
