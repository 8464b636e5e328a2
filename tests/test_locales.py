"""What differs from one locale to another, as facts, each checked in every locale: the
emergency number and how it is read, the name people use for their doctor, where to get care at
this hour, the reminder's language. Every other conversation is tested once, in en-US; each
model's own phrasings are routed per locale in tests/test_phrasings.py."""

import pytest

from localdev.envelopes import SlotFill
from tests.locales import DOCTOR, EMERGENCY, LOCALES
from tests.words import STRETCH

# How each number is written in the SSML, so that it is read as people say it.
SPOKEN_NUMBER = {"en-US": '<say-as interpret-as="digits">911</say-as>',
                 "en-GB": '<say-as interpret-as="digits">999</say-as>',
                 "en-CA": '<say-as interpret-as="digits">911</say-as>',
                 "en-AU": '<sub alias="triple zero">000</sub>',
                 "en-IN": '<say-as interpret-as="digits">112</say-as>'}


URGENT = "These signs should be checked by a doctor today, urgently."


def urgent(talk):
    """The check's "yes" to a swollen calf."""
    talk.say("should i see a doctor")
    talk.say("yes")  # to the short check
    talk.say("no")   # no chest pain or trouble breathing
    talk.say("no")   # nothing sudden
    return talk.say("yes")


@pytest.mark.parametrize("locale", LOCALES)
def test_chest_pain_gets_the_local_emergency_number_read_as_people_say_it(new_talk, locale):
    reply = new_talk(locale=locale).intent("SymptomIntent",
                                           Symptom=SlotFill("chest pain", "CHEST_PAIN"))
    assert reply.text.startswith(f"Call {EMERGENCY[locale]} now.")
    assert SPOKEN_NUMBER[locale] in reply.ssml
    for number in set(EMERGENCY.values()) - {EMERGENCY[locale]}:
        assert number not in reply.text


@pytest.mark.parametrize("locale", LOCALES)
def test_a_red_flag_names_only_the_local_emergency_number(new_talk, locale):
    reply = urgent(new_talk(locale=locale))
    assert reply.text.startswith(URGENT)
    assert f"call {EMERGENCY[locale]}." in reply.text
    for number in set(EMERGENCY.values()) - {EMERGENCY[locale]}:
        assert number not in reply.text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_doctor_has_the_local_name_wherever_it_is_named(new_talk, locale):
    talk = new_talk(locale=locale)
    doctor, emergency = DOCTOR[locale], EMERGENCY[locale]
    assert f"when to see a {doctor}" in talk.say("open leg cramp helper").text
    assert f"should I see a {doctor}" in talk.say("help").text
    assert f"and when to see a {doctor}. What would you like?" in talk.intent(
        "AMAZON.FallbackIntent").text
    start = talk.say("should i see a doctor")
    assert f"See a {doctor} if your cramps are severe" in start.text
    assert start.text.startswith(f"Call {emergency} for chest pain, trouble breathing, or a "
                                 "face, arm or leg that suddenly goes weak or numb.")
    assert start.card["title"] == f"When to see a {doctor} about leg cramps"
    assert f"Call {emergency} now if you have:" in start.card["content"]
    talk.say("yes")
    for _ in range(4):
        talk.say("no")
    booked = talk.say("yes")
    assert f"book an appointment with your {doctor}" in booked.text


def test_in_the_uk_urgent_help_includes_nhs_111(new_talk):
    reply = urgent(new_talk(locale="en-GB"))
    assert "Ask your GP surgery for an urgent appointment today, or call 111." in reply.text


@pytest.mark.parametrize("locale", LOCALES)
def test_the_reminder_speaks_the_locale_it_was_set_in(new_talk, alexa_api, locale):
    talk = new_talk(locale=locale)
    talk.consent_token = "consent-granted"
    talk.say("remind me to stretch at ten p m")
    [reminder] = alexa_api.reminders
    assert reminder["alertInfo"] == {"spokenInfo": {"content": [
        {"locale": locale, "text": "Time to stretch."}]}}


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
    assert reply.text.startswith(URGENT)
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
