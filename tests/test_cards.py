"""Cards in the Alexa app for the answers worth keeping: prevention, when to see a doctor, the
bedtime routine's steps."""

from tests.locales import DOCTOR, EMERGENCY


def test_prevention_advice_is_kept_as_a_card(talk):
    card = talk.say("how do i prevent cramps").card
    assert card["type"] == "Simple" and card["title"] == "Helping to prevent leg cramps"
    lines = card["content"].splitlines()
    assert "- Drink enough water through the day." in lines
    assert any("calves before bed" in line for line in lines)


def test_the_doctor_criteria_come_as_a_card_when_the_triage_starts(talk):
    card = talk.say("should i see a doctor").card
    assert card["title"] == f"When to see a {DOCTOR[talk.locale]} about leg cramps"
    content = card["content"]
    for sign in (f"Call {EMERGENCY[talk.locale]} now if you have:\n- chest pain",
                 "suddenly goes weak, numb or droopy", "cold, pale and very painful",
                 "Get medical help today, urgently, if:", "swollen, red or darker, warm or throbbing",
                 "more than ten minutes", "new medicine", "regularly wake you up",
                 "tender for up to a day"):
        assert sign in content
    assert "not a diagnosis" in content
    # The answers are not kept: later turns carry no card of them.
    assert talk.say("no").card is None


def test_the_bedtime_routine_steps_come_as_a_card_when_it_starts(talk):
    card = talk.say("walk me through a bedtime stretch").card
    assert card["title"] == "Your bedtime stretch"
    steps = [line for line in card["content"].splitlines() if line[:1].isdigit()]
    assert [step.split(":")[0] for step in steps] == [
        "1. Left calf stretch", "2. Right calf stretch", "3. Left hamstring stretch",
        "4. Right hamstring stretch"]
    assert all("Hold 10 seconds, 3 times" in step for step in steps)
    assert talk.say("next").card is None


def test_the_mid_cramp_answer_carries_no_card(talk):
    assert talk.say("i have a cramp in my calf").card is None
