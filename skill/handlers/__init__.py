"""Request handlers, in the order the dispatcher tries them: the first that can handle wins, so
the specific (inside a walkthrough) comes before the general."""


def request_handlers():
    from skill.handlers import (advice, answers, builtins, doctor, events, name_free, relief,
                                reminders, walkthrough, welcome)

    return [
        name_free.CanFulfillHandler(),
        builtins.SessionEndedHandler(),
        relief.LegCrampHandler(),
        *walkthrough.HANDLERS,
        answers.YesNoHandler(),
        welcome.CarryOnHandler(),
        advice.PreventCrampsHandler(),
        advice.CausesHandler(),
        reminders.StretchReminderHandler(),
        reminders.PermissionAnswerHandler(),
        doctor.SeeDoctorHandler(),
        welcome.BedtimeResumeOfferHandler(),
        walkthrough.BedtimeStretchHandler(),
        welcome.ResumeOfferHandler(),
        welcome.LaunchHandler(),
        builtins.HelpHandler(),
        builtins.StopHandler(),
        builtins.RepeatHandler(),
        builtins.StartOverHandler(),
        welcome.ResumeNudgeHandler(),
        builtins.NotInWalkthroughHandler(),
        builtins.FallbackHandler(),   # any other IntentRequest
        events.SkillDisabledHandler(),
        builtins.SilentHandler(),     # any other request type
    ]


def exception_handlers():
    from skill.handlers import errors

    return [errors.CatchAllExceptionHandler()]
