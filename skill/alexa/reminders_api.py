"""Daily stretch reminders, through the Alexa Reminders API and the SDK's service clients.

What a reminder says is only "time to stretch" (`reminder/text.txt.j2`): a reminder is heard by
whoever is in the room and shown in the Alexa app, so it carries no health information.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from skill import local_time

logger = logging.getLogger(__name__)

PERMISSION = "alexa::alerts:reminders:skill:readwrite"
# AMAZON.TIME sends a part of the day for "at night" or "in the evening": what a bedtime reminder
# means by them. Morning and afternoon are no bedtime: the person is asked for a clock time.
PARTS_OF_DAY = {"NI": (21, 0), "EV": (20, 0)}
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
# The reminder's words are English whatever the request's locale; so is the voice that says them.
_ENGLISH = re.compile(r"^en-[A-Z]{2}$")


@dataclass(frozen=True)
class ClockTime:
    hour: int
    minute: int

    @property
    def token(self) -> str:
        """"21:00": how the time travels through Alexa's permission request and back."""
        return f"{self.hour:02d}:{self.minute:02d}"


def parse_time(value) -> ClockTime | None:
    """An AMAZON.TIME value ("21:00", "NI") as a clock time, or None if it is not one."""
    if not isinstance(value, str):
        return None
    match = _CLOCK.match(value.strip())
    if match:
        return ClockTime(int(match.group(1)), int(match.group(2)))
    if value.strip() in PARTS_OF_DAY:
        return ClockTime(*PARTS_OF_DAY[value.strip()])
    return None


class NotPermitted(Exception):
    """The Reminders API refused for want of the person's permission (401 or 403)."""


class ReminderFailed(Exception):
    """The Reminders API refused the call for another reason: it was not carried out."""


class Unclear(ReminderFailed):
    """No clear answer (a server error, the budget spent, a dropped connection, an answer that
    cannot be read): the call may have been carried out all the same."""


class Gone(Exception):
    """The Reminders API holds no reminder by that token (404): deleted in the Alexa app."""


def permitted(handler_input) -> bool:
    """Whether the person has granted the reminders permission, as the request says."""
    try:
        permissions = handler_input.request_envelope.context.system.user.permissions
    except AttributeError:
        return False
    if permissions is None:
        return False
    if permissions.consent_token:
        return True
    scope = (permissions.scopes or {}).get(PERMISSION)
    return getattr(getattr(scope, "status", None), "value", None) == "GRANTED"


def ask_for_permission(at: ClockTime):
    """Alexa's own voice request for the permission; the time comes back in its answer."""
    from ask_sdk_model.interfaces.connections import SendRequestDirective

    return SendRequestDirective(name="AskFor", token=at.token, payload={
        "@type": "AskForPermissionsConsentRequest",
        "@version": "2",
        "permissionScopes": [{"permissionScope": PERMISSION, "consentLevel": "ACCOUNT"}],
    })


def consent_card():
    """The card in the Alexa app where the person can grant the permission."""
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    return AskForPermissionsConsentCard(permissions=[PERMISSION])


def first_time(now: datetime, at: ClockTime, zone: str | None) -> datetime:
    """When the daily reminder first rings: the next `at` in the person's time zone, as the local
    time without an offset that the Reminders API wants."""
    where = local_time.zone(zone)
    known = where is not None
    local = now.astimezone(where if known else timezone.utc)
    first = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if first <= local or not known:
        # Without the local time, "today" may already be past there: start tomorrow.
        first += timedelta(days=1)
    return first.replace(tzinfo=None)


def _service(handler_input):
    return handler_input.service_client_factory.get_reminder_management_service()


def _call(what: str, call):
    """One Reminders API call: 401/403 as NotPermitted, 404 as Gone, another refusal (4xx) as
    ReminderFailed, and anything that is no clear answer as Unclear: a server error (the SDK
    reports a call that failed in transit as one too) or an answer it cannot read. Each logged."""
    from ask_sdk_model.services import ServiceException

    try:
        return call()
    except ServiceException as error:
        if error.status_code in (401, 403):
            raise NotPermitted(str(error)) from error
        if error.status_code == 404:
            raise Gone(str(error)) from error
        logger.error("reminder not %s: %s %s", what, error.status_code, error)
        if isinstance(error.status_code, int) and 400 <= error.status_code < 500:
            raise ReminderFailed(str(error)) from error
        raise Unclear(str(error)) from error
    except Exception as error:
        logger.error("reminder not %s: %s", what, error)
        raise Unclear(str(error)) from error


def daily_request(handler_input, at: ClockTime, text: str, zone: str | None):
    """The Reminders API's request for a reminder that rings every day at `at` in time zone
    `zone` (the device's own when None) and says `text`."""
    from ask_sdk_model.services.reminder_management import (
        AlertInfo, PushNotification, PushNotificationStatus, Recurrence, ReminderRequest,
        SpokenInfo, SpokenText, Trigger, TriggerType)

    request = handler_input.request_envelope.request
    now = request.timestamp if isinstance(request.timestamp, datetime) else datetime.now(
        timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    locale = request.locale if isinstance(request.locale, str) and _ENGLISH.match(
        request.locale) else "en-US"
    first = first_time(now, at, zone)
    return ReminderRequest(
        request_time=now.astimezone(timezone.utc).replace(tzinfo=None),
        trigger=Trigger(
            object_type=TriggerType.SCHEDULED_ABSOLUTE,
            scheduled_time=first,
            time_zone_id=zone,
            recurrence=Recurrence(
                start_date_time=first,
                recurrence_rules=[f"FREQ=DAILY;BYHOUR={at.hour};BYMINUTE={at.minute};BYSECOND=0"],
            ),
        ),
        alert_info=AlertInfo(spoken_info=SpokenInfo(content=[SpokenText(locale=locale,
                                                                         text=text)])),
        push_notification=PushNotification(status=PushNotificationStatus.ENABLED),
    )


def create(handler_input, reminder) -> str:
    """Create `reminder` (a `daily_request`): its alert token. Unclear if the answer holds none."""
    created = _call("created", lambda: _service(handler_input).create_reminder(reminder))
    token = getattr(created, "alert_token", None)
    if not isinstance(token, str) or not token:
        logger.error("reminder created with no alert token in the answer")
        raise Unclear("no alert token in the answer")
    return token


def update(handler_input, token: str, reminder) -> None:
    """Change the reminder `token` to `reminder`; Gone if it no longer exists."""
    _call("updated", lambda: _service(handler_input).update_reminder(token, reminder))


def delete(handler_input, token: str) -> None:
    """Delete the reminder `token`; Gone if it no longer exists."""
    _call("deleted", lambda: _service(handler_input).delete_reminder(token))


@dataclass(frozen=True)
class Held:
    """One of the skill's reminders as the API holds it: its token, and when it rings each day
    (None if that cannot be read)."""
    token: str
    at: ClockTime | None


def listed(handler_input) -> list[Held]:
    """Every reminder this skill has made for the person, as the Reminders API holds them now
    (GET /v1/alerts/reminders lists only the calling skill's). The skill makes only stretch
    reminders, so each is one."""
    _readable()
    found = _call("read", _service(handler_input).get_reminders)
    return [Held(alert.alert_token, _rings_at(alert))
            for alert in getattr(found, "alerts", None) or []
            if isinstance(getattr(alert, "alert_token", None), str) and alert.alert_token]


def _readable() -> None:
    """ask-sdk-model (1.82 and earlier) names a module that does not exist for a reminder's
    spoken words (`alert_info_spoken_info`), so the SDK cannot read back any reminder that has
    them (every one): point its table at the module that does exist, only while it is wrong."""
    import importlib

    from ask_sdk_model.services.reminder_management import AlertInfo

    named = AlertInfo.deserialized_types.get("spoken_info", "")
    try:
        importlib.import_module(named.rsplit(".", 1)[0])
    except ImportError:
        AlertInfo.deserialized_types["spoken_info"] = (
            "ask_sdk_model.services.reminder_management.spoken_info.SpokenInfo")


def ours(handler_input, token: str | None) -> tuple[str, ClockTime | None] | None:
    """The skill's stretch reminder as the Reminders API holds it now: its token and the time it
    rings, or None if there is none. By `token` when it is known; otherwise (set before the
    skill kept tokens, or forgotten) the first of the reminders this skill made for the person,
    which are only ever stretch reminders."""
    _readable()
    if token:
        try:
            return token, _rings_at(_call(
                "read", lambda: _service(handler_input).get_reminder(token)))
        except Gone:
            pass
    first = next(iter(listed(handler_input)), None)
    return (first.token, first.at) if first is not None else None


_RULE = re.compile(r"BYHOUR=(\d+);BYMINUTE=(\d+)")


def _rings_at(reminder) -> ClockTime | None:
    """When a reminder from the API rings each day: from its daily rule, else its first time."""
    trigger = getattr(reminder, "trigger", None)
    rules = getattr(getattr(trigger, "recurrence", None), "recurrence_rules", None) or []
    for rule in rules:
        match = _RULE.search(rule if isinstance(rule, str) else "")
        if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
            return ClockTime(int(match.group(1)), int(match.group(2)))
    first = getattr(trigger, "scheduled_time", None)
    return ClockTime(first.hour, first.minute) if isinstance(first, datetime) else None
