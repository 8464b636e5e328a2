"""Request handlers, in the order the dispatcher tries them: the first that can handle wins, so
the specific (inside a walkthrough) comes before the general."""


def request_handlers():
    from skill.handlers import (advice, answers, builtins, doctor, name_free, relief, reminders,
                                walkthrough)

    return [
        name_free.CanFulfillHandler(),
        builtins.SessionEndedHandler(),
        relief.LegCrampHandler(),
        *walkthrough.HANDLERS,
        answers.YesNoHandler(),
        advice.PreventCrampsHandler(),
        advice.CausesHandler(),
        reminders.StretchReminderHandler(),
        reminders.PermissionAnswerHandler(),
        doctor.SeeDoctorHandler(),
        walkthrough.BedtimeStretchHandler(),
        builtins.LaunchHandler(),
        builtins.HelpHandler(),
        builtins.StopHandler(),
        builtins.RepeatHandler(),
        builtins.StartOverHandler(),
        builtins.NotInWalkthroughHandler(),
        builtins.FallbackHandler(),   # any other IntentRequest
        builtins.SilentHandler(),     # any other request type
    ]


def exception_handlers():
    from skill.handlers import errors

    return [errors.CatchAllExceptionHandler()]
