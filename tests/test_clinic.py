"""The clinic: when the triage ends in "book an appointment", an offer of the clinic's details;
and "book an appointment", "what's the clinic's phone number", "how do I contact the clinic"
(ClinicIntent) answered with them whenever they are asked."""

import pytest

CLINIC = {"CLINIC_NAME": "Riverside Leg Clinic", "CLINIC_PHONE": "+1 555 010 0199",
          "CLINIC_BOOKING_URL": "https://riverside.example/book"}


@pytest.fixture
def clinic(monkeypatch):
    for name, value in CLINIC.items():
        monkeypatch.setenv(name, value)
    return CLINIC


@pytest.fixture(autouse=True)
def no_clinic_unless_asked(monkeypatch):
    for name in CLINIC:
        monkeypatch.delenv(name, raising=False)


def to_booking(talk):
    talk.say("should i see a doctor")
    for answer in ("yes", "no", "no", "no", "no"):
        talk.say(answer)
    return talk.say("yes")


def test_with_a_clinic_the_booking_advice_offers_its_details(talk, clinic):
    reply = to_booking(talk)
    assert "book an appointment" in reply.text
    assert reply.text.endswith("Would you like me to send Riverside Leg Clinic's phone number "
                               "and booking details to your Alexa app?")
    assert not reply.ends_session and reply.card is None


def test_yes_sends_the_clinics_card_and_says_the_number(talk, clinic):
    to_booking(talk)
    reply = talk.say("yes")
    assert reply.card["title"] == "Book an appointment: Riverside Leg Clinic"
    assert reply.card["content"].splitlines() == [
        "Riverside Leg Clinic", "Phone: +1 555 010 0199", "Book online: https://riverside.example/book"]
    assert "Riverside Leg Clinic's details are in your Alexa app" in reply.text
    assert '<say-as interpret-as="telephone">+1 555 010 0199</say-as>' in reply.ssml
    assert reply.ends_session


def test_no_sends_nothing(talk, clinic):
    to_booking(talk)
    reply = talk.say("no")
    assert reply.card is None and reply.ends_session


def test_anything_else_asks_for_a_yes_or_no(talk, clinic):
    to_booking(talk)
    reply = talk.intent("AMAZON.FallbackIntent")
    assert "say yes or no" in reply.text and not reply.ends_session
    assert talk.say("yes").card["title"].endswith("Riverside Leg Clinic")


def test_without_a_clinic_it_speaks_general_advice_and_sends_no_card(talk):
    reply = to_booking(talk)
    assert "book an appointment" in reply.text and reply.text.endswith("Take care.")
    assert reply.card is None and reply.ends_session


@pytest.mark.parametrize("settings", [
    {"CLINIC_NAME": "Riverside Leg Clinic"},
    {"CLINIC_PHONE": "+1 555 010 0199", "CLINIC_BOOKING_URL": "https://riverside.example/"},
    {"CLINIC_NAME": "   ", "CLINIC_PHONE": "+1 555 010 0199"},
])
def test_a_clinic_without_a_name_or_a_way_to_reach_it_is_not_offered(new_talk, monkeypatch,
                                                                       settings):
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    reply = to_booking(new_talk())
    assert reply.ends_session and reply.card is None


def test_a_clinic_name_with_markup_is_spoken_safely_and_shown_as_written(new_talk, monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", 'Smith & Jones <Leg> "Clinic"')
    monkeypatch.setenv("CLINIC_PHONE", "555 & 0199")
    talk = new_talk()
    offer = to_booking(talk)
    assert "Smith &amp; Jones &lt;Leg&gt;" in offer.ssml
    reply = talk.say("yes")
    assert reply.card["title"] == 'Book an appointment: Smith & Jones <Leg> "Clinic"'
    assert "555 &amp; 0199" in reply.ssml


def test_the_urgent_outcome_never_waits_for_a_card(talk, clinic):
    talk.say("should i see a doctor")
    talk.say("yes")
    reply = talk.say("yes")
    assert reply.ends_session and reply.card is None


# --- asked for at any moment (ClinicIntent) -----------------------------------------------------

CARD_LINES = ["Riverside Leg Clinic", "Phone: +1 555 010 0199",
              "Book online: https://riverside.example/book"]


def test_asked_for_it_says_how_to_reach_the_clinic_and_sends_its_card(talk, clinic):
    reply = talk.intent("ClinicIntent")
    assert reply.text.startswith("You can call Riverside Leg Clinic on +1 555 010 0199, or book "
                                 "with them online. I've sent their details to your Alexa app.")
    assert '<say-as interpret-as="telephone">+1 555 010 0199</say-as>' in reply.ssml
    assert reply.card["content"].splitlines() == CARD_LINES
    assert reply.ends_session


def test_a_clinic_with_only_a_booking_address_is_booked_online(talk, monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", "Riverside Leg Clinic")
    monkeypatch.setenv("CLINIC_BOOKING_URL", "https://riverside.example/book")
    reply = talk.intent("ClinicIntent")
    assert reply.text.startswith("You can book with Riverside Leg Clinic online.")
    assert "https" not in reply.text                   # an address is shown, never read out
    assert reply.card["content"].splitlines() == ["Riverside Leg Clinic",
                                                  "Book online: https://riverside.example/book"]


def test_without_a_clinic_it_says_so_honestly_and_sends_no_card(talk):
    reply = talk.intent("ClinicIntent")
    assert reply.text.startswith("I don't have a clinic's details to give you. To book an "
                                 "appointment, please contact your doctor directly.")
    assert reply.card is None and reply.ends_session


def test_in_the_uk_without_a_clinic_it_is_the_gp(new_talk):
    reply = new_talk(locale="en-GB").intent("ClinicIntent")
    assert "please contact your GP directly" in reply.text and reply.card is None


def test_mid_routine_it_answers_and_the_routine_waits_where_it_was(talk, clinic):
    talk.say("walk me through a bedtime stretch")
    reply = talk.intent("ClinicIntent")
    assert reply.card is not None and reply.text.endswith("Shall we carry on?")
    assert not reply.ends_session and reply.attributes["walk"]["step"] == 0
    assert "Left calf" in talk.say("yes").text          # asked as the first hold began


def test_mid_check_it_answers_and_asks_the_question_again(talk, clinic):
    talk.say("should i see a doctor")
    question = talk.say("yes")
    reply = talk.intent("ClinicIntent")
    assert reply.card is not None and not reply.ends_session
    assert reply.text.endswith(question.text.split("First: ")[-1])
    assert reply.attributes["question"] == "triage"


def test_at_night_the_clinic_is_still_there_softly(new_talk, alexa_api, clinic):
    from datetime import datetime, timezone

    alexa_api.time_zone = "Europe/London"
    reply = new_talk(now=lambda: datetime(2024, 1, 15, 3, tzinfo=timezone.utc)).intent(
        "ClinicIntent")
    assert reply.ssml.startswith('<speak><prosody volume="soft"') and reply.card is not None
    assert reply.text.endswith("Sleep well.")


def test_a_clinic_with_markup_is_spoken_safely_when_asked_for(new_talk, monkeypatch):
    monkeypatch.setenv("CLINIC_NAME", 'Smith & Jones <Leg> "Clinic"')
    monkeypatch.setenv("CLINIC_PHONE", "555 & 0199")
    reply = new_talk().intent("ClinicIntent")
    assert "Smith &amp; Jones &lt;Leg&gt;" in reply.ssml and "555 &amp; 0199" in reply.ssml
    assert reply.card["title"] == 'Book an appointment: Smith & Jones <Leg> "Clinic"'


def test_the_deployment_template_passes_the_clinic_parameters_as_environment():
    from pathlib import Path

    from cfnlint.decode import decode

    template, problems = decode(str(Path(__file__).resolve().parent.parent / "template.yaml"))
    assert not problems
    functions = [resource for resource in template["Resources"].values()
                 if resource["Type"] == "AWS::Serverless::Function"]
    variables = functions[0]["Properties"]["Environment"]["Variables"]
    for variable, parameter in (("CLINIC_NAME", "ClinicName"), ("CLINIC_PHONE", "ClinicPhone"),
                                ("CLINIC_BOOKING_URL", "ClinicBookingUrl")):
        assert variables[variable] == {"Ref": parameter}
        # Optional: a deployment without a clinic gives general advice.
        assert template["Parameters"][parameter]["Default"] == ""
