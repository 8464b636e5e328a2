""""Should I see a doctor": the answer first, then a short yes/no check that ends in where to
get care. "Not sure" takes the cautious path; a red-flag question is never a loop."""

import pytest

from localdev.envelopes import SlotFill
from tests.locales import DOCTOR, EMERGENCY

URGENT = "should be checked by a doctor today, urgently"
BOOK = "book an appointment"
HOME = "home care sounds reasonable"


def emergency_first(reply, locale) -> bool:
    return reply.text.startswith(f"Call {EMERGENCY[locale]} now")


def test_the_answer_comes_first_in_one_breath_then_the_offer(talk):
    reply = talk.say("should i see a doctor")
    text = reply.text
    # When to book, from the article.
    # The emergency signs first, then the signs that mean today, then when to book.
    assert text.startswith(f"Call {EMERGENCY[talk.locale]} for chest pain, trouble breathing, or "
                           "a face, arm or leg that suddenly goes weak or numb.")
    for sign in ("swollen, red, warm or throbbing", "won't ease after ten minutes"):
        assert sign in text.split("See a")[0]
    for criterion in (f"See a {DOCTOR[talk.locale]} if your cramps are severe", "very frequent",
                      "regularly disturb your sleep", "come with numbness or swelling",
                      "don't get better with stretching"):
        assert criterion in text
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
    assert reply.text.startswith("Okay. First: Do you have chest pain or pressure, trouble "
                                 "breathing")
    return reply


# The check's questions, in order, and what a first "yes" to each means.
QUESTIONS = ["breathing", "stroke", "swelling", "lasting", "new_medicine", "troubling"]
EMERGENCY_NOW = "Call 911 now."


@pytest.mark.parametrize("answers, outcome", [
    (["yes"], EMERGENCY_NOW),
    (["no", "yes"], EMERGENCY_NOW),
    (["no", "no", "yes"], URGENT),
    (["no", "no", "no", "yes"], URGENT),
    (["no", "no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "no", "yes"], BOOK),
    (["no", "no", "no", "no", "no", "no"], HOME),
])
def test_every_path_ends_in_one_outcome(talk, answers, outcome):
    start_check(talk)
    for answer in answers:
        reply = talk.say(answer)
    assert outcome in reply.text
    for other in {EMERGENCY_NOW, URGENT, BOOK, HOME} - {outcome}:
        assert other not in reply.text


def test_yes_to_an_emergency_question_gives_the_number_first(talk):
    start_check(talk)
    reply = talk.say("yes")
    assert emergency_first(reply, talk.locale)
    assert reply.ends_session


def test_care_today_says_where_to_go_and_closes(talk):
    start_check(talk)
    talk.say("no")
    talk.say("no")
    reply = talk.say("yes")
    assert reply.text.startswith(f"These signs {URGENT}.")
    assert "Call your doctor's office for an urgent appointment today" in reply.text
    assert f"chest pain or trouble breathing, call {EMERGENCY[talk.locale]}" in reply.text
    assert reply.ends_session


def test_a_new_medicine_means_an_appointment_without_stopping_it_alone(talk):
    start_check(talk)
    for _ in range(4):
        talk.say("no")
    reply = talk.say("yes")
    assert "don't stop a prescribed medicine on your own" in reply.text
    assert reply.ends_session


def test_home_care_keeps_one_safety_line_and_offers_the_bedtime_stretch(talk):
    start_check(talk)
    for _ in range(6):
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


def test_not_sure_to_a_question_about_today_is_care_today_said_kindly(talk):
    start_check(talk)
    talk.say("no")  # no chest pain or breathing trouble
    talk.say("no")  # nothing sudden
    # "not sure", "maybe", "i don't know", "a bit", "kind of" (UnsureIntent's samples), to "is a
    # calf swollen...?": never beyond what the sign warrants.
    reply = talk.intent("UnsureIntent")
    assert reply.text.startswith("That's okay. When you're not sure, it's safest to have it "
                                 f"checked. These signs {URGENT}.")
    assert "Call 911 now" not in reply.text
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
    for _ in range(5):
        talk.say("no")
    reply = talk.intent("UnsureIntent")
    assert "That's okay. To be safe" in reply.text and BOOK in reply.text


def test_not_heard_to_a_red_flag_question_says_what_to_do_then_asks_again(talk):
    start_check(talk)
    talk.say("no")
    talk.say("no")
    for _ in range(2):  # never a loop of "I need a yes or a no"
        reply = talk.intent("AMAZON.FallbackIntent")
        assert reply.text.startswith("I didn't quite catch that, so to be safe: if a calf or leg "
                                     "is swollen, red or darker, warm, or throbbing, get medical "
                                     "help today.")
        assert "yes or a no" not in reply.text and "Sorry" not in reply.text
        assert reply.text.endswith("Is a calf or leg swollen, red or darker, warm, or throbbing, "
                                   "above all on one side?")
        assert not reply.ends_session
    assert talk.say("no").text.endswith("a cut or wound that might have got dirty?")


def test_not_heard_to_an_emergency_question_gives_the_number(talk):
    start_check(talk)
    reply = talk.intent("AMAZON.FallbackIntent")
    assert f"call {EMERGENCY[talk.locale]} now" in reply.text
    assert reply.text.endswith("or are you coughing up blood?")


def test_not_heard_to_an_appointment_question_asks_again_gently(talk):
    start_check(talk)
    for _ in range(4):
        talk.say("no")
    reply = talk.intent("AMAZON.FallbackIntent")
    # Never a bare "I need a yes or no": the emergency line first, as in every fallback.
    assert reply.text.startswith("If you have chest pain or trouble breathing, call 911 now. "
                                 "Just say yes, no, or not sure.")
    assert reply.text.endswith("new medicine?")


def test_my_calf_is_a_bit_swollen_when_asked_about_swelling_is_care_today(talk):
    start_check(talk)
    talk.say("no")
    talk.say("no")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("a bit swollen", "SWOLLEN"),
                        Muscle=SlotFill("calf", "CALF"))
    assert URGENT in reply.text and reply.ends_session
    assert "Call 911 now" not in reply.text


def test_a_red_flag_said_at_any_question_is_honoured(talk):
    start_check(talk)
    for _ in range(3):
        talk.say("no")
    reply = talk.intent("SymptomIntent", Symptom=SlotFill("i can't breathe", "BREATHLESS"))
    assert emergency_first(reply, talk.locale)


def test_help_inside_triage_repeats_the_question(talk):
    start_check(talk)
    talk.say("no")
    talk.say("no")
    help_ = talk.say("help")
    assert "yes or no questions" in help_.text and "not sure" in help_.text
    assert help_.text.endswith("Is a calf or leg swollen, red or darker, warm, or throbbing, "
                               "above all on one side?")
    assert URGENT in talk.say("yes").text


@pytest.mark.parametrize("words", ["stop", "cancel"])
def test_stop_inside_triage_keeps_the_safety_line(talk, words):
    start_check(talk)
    reply = talk.say(words)
    assert reply.ends_session
    assert reply.text.startswith("Okay. If a cramp lasts more than ten minutes or your leg "
                                 "swells, get medical help.")
