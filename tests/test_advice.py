"""Prevention and causes: spoken naturally, each with a way on."""

import re

import pytest

from localdev.envelopes import SlotFill


def test_prevention_advice_from_the_article(talk):
    reply = talk.say("how do i prevent cramps")
    for advice in ("Drink enough water through the day", "before and after exercise",
                   "calves before bed", "walking, swimming or cycling", "supportive shoes"):
        assert advice in reply.text
    # Spoken, not a list read aloud.
    assert not re.search(r"\b(first|second|third|number one|bullet)\b", reply.text, re.I)
    assert reply.text.endswith("Would you like me to walk you through a bedtime stretch now?")


def test_someone_whose_cramps_come_every_night_hears_when_to_see_a_doctor(talk):
    """'I get cramps every night' is answered with prevention; cramps that come very often or keep
    waking someone are worth a doctor's visit (NHS, the article), so prevention says so too."""
    reply = talk.say("i get cramps every night")
    assert "Drink enough water" in reply.text
    assert "If cramps come very often or keep waking you, it's worth seeing your doctor." \
        in reply.text
    assert reply.text.endswith("Would you like me to walk you through a bedtime stretch now?")


def test_yes_to_the_bedtime_offer_starts_the_routine(talk):
    talk.say("how do i prevent cramps")
    reply = talk.say("yes")
    assert "Let's do your bedtime stretch" in reply.text


def test_no_to_the_bedtime_offer_closes_kindly(talk):
    talk.say("how do i prevent cramps")
    assert talk.say("no").ends_session


def test_causes_from_the_article_then_offers_prevention(talk):
    reply = talk.say("what causes leg cramps")
    # Age first, as the NHS lists it; then the article's triggers.
    assert "Cramps get more common as we get older" in reply.text
    for cause in ("fluids", "hard or long exercise", "one position", "Pregnancy, some medicines",
                  "potassium, calcium or magnesium", "medical conditions"):
        assert cause in reply.text
    assert "Drink enough water" in talk.say("yes").text


def test_does_pregnancy_cause_leg_cramps_is_answered_specifically(talk):
    from localdev.envelopes import SlotFill

    reply = talk.intent("CausesIntent", Cause=SlotFill("pregnancy", "PREGNANCY"))
    assert reply.text.startswith("Yes, pregnancy can bring on leg cramps, usually in its later "
                                 "stages.")
    assert "swollen, red, warm or painful, get medical help now" in reply.text
    assert "potassium" not in reply.text
    assert "Drink enough water" in talk.say("yes").text


def test_can_my_medicine_cause_leg_cramps_names_none_and_never_says_stop_it(talk):
    from localdev.envelopes import SlotFill

    reply = talk.intent("CausesIntent", Cause=SlotFill("my medicine", "MEDICINE"))
    assert reply.text.startswith("Some medicines can cause leg cramps.")
    assert "Don't stop a prescribed medicine on your own" in reply.text
    assert "statin" not in reply.text.lower() and "diuretic" not in reply.text.lower()


@pytest.mark.parametrize("cause, first_words, says", [
    ("AGE", "Yes, leg cramps get more common as we get older.",
     ("muscles lose some of their bulk", "Stretching your calves before bed",
      "keep waking you, it's worth seeing your doctor")),
    ("EXERCISE", "Yes, working your muscles hard or for long, like a long run, can bring on "
                 "cramps", ("more than you're used to", "Build up gradually",
                            "before and after exercise", "drink enough fluids",
                            "hurt whenever you walk and ease when you stop, see your doctor")),
    ("DEHYDRATION", "Yes, not drinking enough fluids can bring on leg cramps",
     ("sweating", "Drink enough water through the day")),
])
def test_age_exercise_and_dehydration_each_get_their_own_short_answer(talk, cause, first_words,
                                                                     says):
    from localdev.measure import spoken_seconds

    reply = talk.intent("CausesIntent", Cause=SlotFill(cause.lower(), cause))
    assert reply.text.startswith(first_words)
    for words in says:
        assert words in reply.text
    assert "potassium" not in reply.text and spoken_seconds(reply.ssml) < 25
    assert reply.text.endswith("?") and not reply.ends_session
    assert "Drink enough water" in talk.say("yes").text


def test_any_other_cause_gets_the_usual_list(talk):
    for fill in (SlotFill("cheese"), SlotFill("<b>&", "NOT_A_CAUSE"), None):
        assert "potassium" in talk.intent("CausesIntent", Cause=fill).text


def test_should_i_take_magnesium_asks_a_pharmacist_first_and_names_nothing(talk):
    reply = talk.intent("TakingSomethingIntent")
    assert reply.text.startswith("Please ask a pharmacist or your")
    assert "before taking anything for leg cramps" in reply.text
    for product in ("magnesium", "quinine", "potassium", "tonic", "mg", "tablet"):
        assert product not in reply.text.lower().split()
