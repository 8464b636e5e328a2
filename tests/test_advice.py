"""Prevention and causes: spoken naturally, each with a way on."""

import re


def test_prevention_advice_from_the_article(talk):
    reply = talk.say("how do i prevent cramps")
    for advice in ("Drink enough water through the day", "before and after exercise",
                   "calves before bed", "walking, swimming or cycling", "supportive shoes"):
        assert advice in reply.text
    # Spoken, not a list read aloud.
    assert not re.search(r"\b(first|second|third|number one|bullet)\b", reply.text, re.I)
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
    for cause in ("fluids", "overworked muscles", "one position",
                  "potassium, calcium or magnesium", "medical conditions"):
        assert cause in reply.text
    assert "Drink enough water" in talk.say("yes").text
