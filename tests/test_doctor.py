""""Should I see a doctor": a short yes/no triage that ends in where to get care."""

import pytest

from tests.locales import EMERGENCY

URGENT = "Please get medical help now"
BOOK = "book an appointment"
HOME = "home care sounds reasonable"


def test_it_starts_with_the_red_flags_and_says_it_cannot_diagnose(talk):
    reply = talk.say("should i see a doctor")
    assert "I can't diagnose" in reply.text
    assert reply.text.endswith("Is your calf swollen, red, or warm to the touch?")
    assert "Is your calf swollen" in reply.reprompt_text


@pytest.mark.parametrize("answers, outcome", [
    (["yes"], URGENT),
    (["no", "yes"], URGENT),
    (["no", "no", "yes"], BOOK),
    (["no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "no"], HOME),
])
def test_every_path_ends_in_one_outcome(talk, answers, outcome):
    talk.say("should i see a doctor")
    for answer in answers:
        reply = talk.say(answer)
    assert outcome in reply.text
    for other in {URGENT, BOOK, HOME} - {outcome}:
        assert other not in reply.text


def test_urgent_says_now_and_closes(talk):
    talk.say("should i see a doctor")
    reply = talk.say("yes")
    assert reply.text.startswith("Please get medical help now")
    assert f"chest pain or trouble breathing, call {EMERGENCY[talk.locale]}" in reply.text
    assert reply.ends_session


def test_a_new_medicine_means_an_appointment_without_stopping_it_alone(talk):
    talk.say("should i see a doctor")
    talk.say("no")
    talk.say("no")
    reply = talk.say("yes")
    assert "don't stop a prescribed medicine on your own" in reply.text
    assert reply.ends_session


def test_home_care_offers_the_bedtime_stretch(talk):
    talk.say("should i see a doctor")
    for _ in range(5):
        reply = talk.say("no")
    assert not reply.ends_session
    assert "Left calf" in talk.say("yes").text


def test_triage_answers_are_not_kept_only_the_open_question(talk):
    talk.say("should i see a doctor")
    talk.say("no")
    reply = talk.say("no")
    kept = reply.attributes
    assert kept["question"] == "triage" and kept["triage_step"] == 2
    assert "swelling" not in str(kept) and "answers" not in kept


def test_help_and_fallback_inside_triage_repeat_the_question(talk):
    talk.say("should i see a doctor")
    talk.say("no")
    help_ = talk.say("help")
    assert "yes or no questions" in help_.text
    assert help_.text.endswith("is your leg weak or numb?")
    fallback = talk.intent("AMAZON.FallbackIntent")
    assert fallback.text.startswith("Sorry, I need a yes or a no.")
    assert talk.say("yes").text.startswith(URGENT)


def test_stop_inside_triage_closes(talk):
    talk.say("should i see a doctor")
    assert talk.say("stop").ends_session
