"""Every English locale, and every other: the same conversation, in the words people use there."""

import pytest

from tests.locales import DOCTOR, EMERGENCY
from tests.words import STRETCH


def urgent(talk):
    """The triage's "yes" to a swollen calf."""
    talk.say("should i see a doctor")
    talk.say("yes")  # to the short check
    talk.say("no")   # no chest pain
    return talk.say("yes")


def test_the_doctor_has_the_local_name(talk):
    reply = talk.say("open leg cramp helper")
    assert f"when to see a {DOCTOR[talk.locale]}" in reply.text
    talk.say("should i see a doctor")
    talk.say("yes")
    for _ in range(3):
        reply = talk.say("no")
    booked = talk.say("yes")
    assert f"book an appointment with your {DOCTOR[talk.locale]}" in booked.text


def test_a_serious_red_flag_gives_the_local_emergency_number(talk):
    reply = urgent(talk)
    assert reply.text.startswith("Please get medical help now.")
    assert f"call {EMERGENCY[talk.locale]}." in reply.text
    for number in set(EMERGENCY.values()) - {EMERGENCY[talk.locale]}:
        assert number not in reply.text


def test_the_emergency_number_is_read_as_people_say_it(new_talk):
    assert '<say-as interpret-as="digits">999</say-as>' in urgent(new_talk(locale="en-GB")).ssml
    assert '<sub alias="triple zero">000</sub>' in urgent(new_talk(locale="en-AU")).ssml


def test_in_the_uk_urgent_help_includes_nhs_111(new_talk):
    reply = urgent(new_talk(locale="en-GB"))
    assert "Call 111, or ask your GP surgery for an urgent appointment today." in reply.text


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-IN"])
def test_asking_about_a_gp_starts_the_triage(new_talk, locale):
    reply = new_talk(locale=locale).say("should i see a gp")
    assert "I can't diagnose" in reply.text


def test_british_cramp_without_an_article_is_understood(new_talk):
    reply = new_talk(locale="en-GB").say("i've got cramp in my foot")
    assert reply.text.startswith("Pull your toes up toward your shin")


@pytest.mark.parametrize("locale", ["de-DE", "fr-FR", "ja-JP", "es-US", "en-NZ", "", "x" * 300,
                                    "../../etc/passwd", "<b>&"])
def test_any_other_locale_is_answered_in_english_never_an_error(new_talk, locale):
    talk = new_talk(locale=locale)
    assert talk.say("i have a cramp in my calf").text.startswith(STRETCH)
    reply = urgent(talk)
    assert reply.text.startswith("Please get medical help now.")
    # No country is assumed: 911 would be wrong in Berlin.
    assert "call your local emergency number." in reply.text
    assert "Sorry, something went wrong" not in reply.text


def test_the_skill_is_published_in_every_locale_it_has_a_model_for():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    manifest = json.loads((root / "skill.json").read_text(encoding="utf-8"))["manifest"]
    models = sorted(path.stem for path in (root / "interaction_models").glob("*.json"))
    assert sorted(manifest["publishingInformation"]["locales"]) == models
    assert sorted(manifest["privacyAndCompliance"]["locales"]) == models
    assert sorted(manifest["publishingInformation"]["distributionCountries"]) == [
        "AU", "CA", "GB", "IN", "US"]
