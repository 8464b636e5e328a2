"""The conversation: one handler per intent or request type, each in the module of its topic.

Every handler but the two catch-alls answers exactly one intent or request type, so their order
does not matter; what a handler does depends on where the person is, and reads in its `handle`.
The yes/no questions the skill asks are rows of `questions.py`.
"""


def request_handlers():
    from skill.conversation import (advice, appointments, builtins, doctor, events, name_free,
                                    questions, relief, reminders, symptoms, walkthrough, welcome)

    return [
        name_free.CanFulfillHandler(),
        welcome.LaunchHandler(),
        relief.LegCrampHandler(),
        relief.CrampEasedHandler(),
        relief.EaseIdeasHandler(),
        symptoms.SymptomHandler(),
        symptoms.CallForHelpHandler(),
        advice.PreventCrampsHandler(),
        advice.CausesHandler(),
        advice.TakingSomethingHandler(),
        doctor.SeeDoctorHandler(),
        appointments.ClinicHandler(),
        walkthrough.BedtimeStretchHandler(),
        walkthrough.NextHandler(),
        walkthrough.PreviousHandler(),
        walkthrough.PauseHandler(),
        walkthrough.ResumeHandler(),
        reminders.StretchReminderHandler(),
        reminders.CancelReminderHandler(),
        reminders.ReminderStatusHandler(),
        reminders.PermissionAnswerHandler(),
        questions.YesNoHandler(),
        builtins.HelpHandler(),
        builtins.StopHandler(),
        builtins.RepeatHandler(),
        builtins.StartOverHandler(),
        builtins.UnsureHandler(),
        builtins.SessionEndedHandler(),
        events.SkillDisabledHandler(),
        # The catch-alls, last and in this order.
        builtins.FallbackHandler(),   # any other IntentRequest, AMAZON.FallbackIntent too
        builtins.SilentHandler(),     # any other request type
    ]


def exception_handlers():
    from skill.conversation import errors

    return [errors.CatchAllExceptionHandler()]
