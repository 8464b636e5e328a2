""""Should I see a doctor": the answer first, then a short yes/no check that ends in where to
get care. "Not sure" takes the cautious path; a red-flag question is never a loop."""

import pytest

from localdev.envelopes import SlotFill
from tests.locales import DOCTOR, EMERGENCY

URGENT = "Please get medical help now"
BOOK = "book an appointment"
HOME = "home care sounds reasonable"


def emergency_first(reply, locale) -> bool:
    return reply.text.startswith(f"Call {EMERGENCY[locale]} now")


def test_the_answer_comes_first_in_one_breath_then_the_offer(talk):
    reply = talk.say("should i see a doctor")
    text = reply.text
    # When to book, from the article.
    for criterion in (f"See a {DOCTOR[talk.locale]} if your cramps are severe", "very frequent",
                      "regularly disturb your sleep", "don't get better with stretching"):
        assert criterion in text
    # The signs that mean now, the most serious with the emergency number.
    for sign in ("swollen, red, warm or painful", "ten minutes", "cold or pale"):
        assert sign in text
    assert (f"Call {EMERGENCY[talk.locale]} for chest pain, trouble breathing, or a leg that "
            "suddenly goes weak or numb") in text
    assert "I can't diagnose" in text
    assert text.endswith("Shall we do them?")
    assert reply.attributes["question"] == "offer_triage"


def test_no_to_the_check_still_keeps_the_safety_line(talk):
    talk.say("should i see a doctor")
    reply = talk.say("no")
    assert "get medical help" in reply.text and reply.ends_session


def start_check(talk):
    talk.say("should i see a doctor")
    reply = talk.say("yes")
    assert reply.text.startswith("Okay. First: Do you have chest pain or trouble breathing")
    return reply


@pytest.mark.parametrize("answers, outcome", [
    (["no", "yes"], URGENT),
    (["no", "no", "yes"], URGENT),
    (["no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "no"], HOME),
])
def test_every_path_ends_in_one_outcome(talk, answers, outcome):
    start_check(talk)
    for answer in answers:
        reply = talk.say(answer)
    assert outcome in reply.text
    for other in {URGENT, BOOK, HOME} - {outcome}:
        assert other not in reply.text


def test_yes_to_the_emergency_question_gives_the_number_first(talk):
    start_check(talk)
    reply = talk.say("yes")
    assert emergency_first(reply, talk.locale)
    assert reply.ends_session


def test_urgent_says_now_where_to_go_and_closes(talk):
    start_check(talk)
    talk.say("no")
    reply = talk.say("yes")
    assert reply.text.startswith("Please get medical help now")
    assert f"chest pain or trouble breathing, call {EMERGENCY[talk.locale]}" in reply.text
    assert reply.ends_session


def test_a_new_medicine_means_an_appointment_without_stopping_it_alone(talk):
    start_check(talk)
    for _ in range(3):
        talk.say("no")
    reply = talk.say("yes")
    assert "don't stop a prescribed medicine on your own" in reply.text
    assert reply.ends_session


def test_home_care_keeps_one_safety_line_and_offers_the_bedtime_stretch(talk):
    start_check(talk)
    for _ in range(5):
        reply = talk.say("no")
    assert reply.text.count("get medical help") == 1
    assert not reply.ends_session
    assert "Left calf" in talk.say("yes").text


def test_triage_answers_are_not_kept_only_the_open_question(talk):
    start_check(talk)
    talk.say("no")
    reply = talk.say("no")
    kept = reply.attributes
    assert kept["question"] == "triage" and kept["triage_step"] == 2
    assert "swelling" not in str(kept) and "answers" not in kept


def test_not_sure_to_a_red_flag_is_the_cautious_path_said_kindly(talk):
    start_check(talk)
    talk.say("no")  # no chest pain
    # "not sure", "maybe", "i don't know", "a bit", "kind of" (UnsureIntent's samples), to "is
    # your calf swollen...?"
    reply = talk.intent("UnsureIntent")
    assert reply.text.startswith("That's okay. When you're not sure, it's safest to have it "
                                 "checked. Please get medical help now")
    assert "yes or a no" not in reply.text and reply.ends_session


def test_not_sure_about_chest_pain_calls_for_help_first(talk):
    start_check(talk)
    reply = talk.intent("UnsureIntent")
    assert emergency_first(reply, talk.locale)
    assert "when you're not sure, it's safest to call" in reply.text


def test_not_sure_to_the_offer_starts_the_check(talk):
    talk.say("should i see a doctor")
    assert "First: Do you have chest pain" in talk.intent("UnsureIntent").text


def test_not_sure_to_an_appointment_question_books_one(talk):
    start_check(talk)
    for _ in range(4):
        talk.say("no")
    reply = talk.intent("UnsureIntent")
    assert "That's okay. To be safe" in reply.text and BOOK in reply.text


def test_not_heard_to_a_red_flag_question_says_what_to_do_then_asks_again(talk):
    start_check(talk)
    talk.say("no")
    for _ in range(2):  # never a loop of "I need a yes or a no"
        reply = talk.intent("AMAZON.FallbackIntent")
        assert reply.text.startswith("I didn't quite catch that, so to be safe: if your calf is "
                                     "swollen, red, warm or painful to touch, please get medical "
                                     "help now.")
        assert "yes or a no" not in reply.text and "Sorry" not in reply.text
        assert reply.text.endswith("Is your calf swollen, red, warm, or painful to touch?")
        assert not reply.ends_session
    assert talk.say("no").text.endswith("or is your leg cold or pale?")


def test_not_heard_to_the_emergency_question_gives_the_number(talk):
    start_check(talk)
    reply = talk.intent("AMAZON.FallbackIntent")
    assert f"call {EMERGENCY[talk.locale]} now" in reply.text
    assert reply.text.endswith("has your leg suddenly gone weak or numb?")


def test_not_heard_to_an_appointment_question_asks_again_gently(talk):
    start_check(talk)
    for _ in range(3):
        talk.say("no")
    reply = talk.intent("AMAZON.FallbackIntent")
    assert reply.text.startswith("Just say yes, no, or not sure.")
    assert reply.text.endswith("new medicine?")


def test_my_calf_is_a_bit_swollen_when_asked_about_swelling_counts_as_yes(talk):
    start_check(talk)
    talk.say("no")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("a bit swollen", "SWOLLEN"),
                        Muscle=SlotFill("calf", "CALF"))
    assert reply.text.startswith(URGENT) and reply.ends_session


def test_a_red_flag_said_at_any_question_is_honoured(talk):
    start_check(talk)
    for _ in range(3):
        talk.say("no")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("i can't breathe", "BREATHLESS"))
    assert emergency_first(reply, talk.locale)


def test_help_inside_triage_repeats_the_question(talk):
    start_check(talk)
    talk.say("no")
    help_ = talk.say("help")
    assert "yes or no questions" in help_.text and "not sure" in help_.text
    assert help_.text.endswith("Is your calf swollen, red, warm, or painful to touch?")
    assert talk.say("yes").text.startswith(URGENT)


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_inside_triage_keeps_the_safety_line(talk, words):
    start_check(talk)
    reply = talk.say(words)
    assert reply.ends_session
    assert reply.text.startswith("Okay. If a cramp lasts more than ten minutes or your leg "
                                 "swells, get medical help.")
