"""Whether it is night where the person is, so the skill can speak softly and briefly.

Local time is the request's timestamp in the device's time zone. The time zone comes from the
Alexa Settings API through the SDK's service client, at most once a session, and is kept in the
session state; the container remembers it for an hour (skill.time_zones), so a request from a
device heard lately makes no call.

An answer that may be what to do for a cramp never waits for that call (the caller says so:
`may_wait=False`). When the device's zone is not known already, it takes the likely answer for
the request's locale instead (`likely_night`): night if it is night anywhere most of the locale's
country lives, because a soft voice by day costs little and a loud one at 3 a.m. wakes a partner,
and a night fallback says what to do for a cramp first. Every other answer may wait for the call
(within the API client's budget); whatever goes wrong there (no device id or token, an error, the
budget spent, a zone this machine does not know) means "speak as in the day" and a log line: the
answer never fails for it.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

from skill.time_zones import TIME_ZONES

logger = logging.getLogger(__name__)

NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(7, 0)
# Asked this session and got no usable answer: don't ask again until the next session.
UNKNOWN = ""
# Where most of the people of each locale's country live, as time zones: for an answer that
# cannot wait to ask the device's own. Places far from the rest and with few people (Alaska,
# Hawaii, Newfoundland, the Atlantic provinces) are left out: each zone added widens the hours
# taken for night everywhere else in the country.
LIKELY_ZONES = {
    "US": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "CA": ("America/Toronto", "America/Winnipeg", "America/Edmonton", "America/Vancouver"),
    "GB": ("Europe/London",),
    "AU": ("Australia/Sydney", "Australia/Brisbane", "Australia/Adelaide", "Australia/Perth"),
    "IN": ("Asia/Kolkata",),
}


def is_night_at(moment: datetime) -> bool:
    return not NIGHT_ENDS <= moment.time() < NIGHT_STARTS


def zone(name: str | None) -> ZoneInfo | None:
    """The named zone, or None for no name or one that isn't a zone (the name may come back from
    session attributes, so it is never trusted)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, and ValueError for names that look like paths
        return None


def likely_night(locale: object, moment: datetime) -> bool:
    """Whether it is night anywhere most of the people of `locale`'s country live (LIKELY_ZONES);
    for a locale of a country not listed, yes."""
    country = locale.rpartition("-")[2] if isinstance(locale, str) else ""
    zones = LIKELY_ZONES.get(country)
    if not zones:
        return True
    return any(is_night_at(moment.astimezone(ZoneInfo(name))) for name in zones)


def _device_id(handler_input) -> str | None:
    system = getattr(handler_input.request_envelope.context, "system", None)
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    return device_id if isinstance(device_id, str) and device_id else None


def kept_time_zone(handler_input) -> str | None:
    """The device's time zone as this container heard it within the hour, with no call: a
    name, UNKNOWN if its lookup failed a moment ago, None if not heard."""
    device_id = _device_id(handler_input)
    return TIME_ZONES.get(device_id) if device_id else None


def ask_time_zone(handler_input) -> str:
    """The device's time zone from the Settings API, or UNKNOWN."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    device_id = _device_id(handler_input)
    factory = handler_input.service_client_factory
    if not device_id or not getattr(system, "api_access_token", None) or factory is None:
        logger.warning("time zone not asked: no device id or API token; speaking as in the day")
        return UNKNOWN
    name = _looked_up(factory, device_id)
    TIME_ZONES.put(device_id, name)
    return name


def _looked_up(factory, device_id: str) -> str:
    try:
        name = factory.get_ups_service().get_system_time_zone(device_id)
    except Exception as error:  # the SDK's ServiceException, for HTTP errors and timeouts alike
        logger.warning("time zone lookup failed (status %s: %s); speaking as in the day",
                       getattr(error, "status_code", None), error)
        return UNKNOWN
    if not isinstance(name, str) or zone(name) is None:
        logger.warning("time zone lookup gave an unknown zone %r; speaking as in the day", name)
        return UNKNOWN
    return name


def time_zone(handler_input, current, may_ask: bool = True) -> str | None:
    """The device's time zone name; None if it is not known. Known from the session, else from
    the container's memory; else asked of the Settings API (at most once a session) if
    `may_ask`."""
    if current.time_zone is None:
        kept = kept_time_zone(handler_input)
        if kept is not None:
            current.time_zone = kept
        elif may_ask:
            current.time_zone = ask_time_zone(handler_input)
    return current.time_zone or None


def is_night(handler_input, current, may_wait: bool = True) -> bool:
    """Whether it is night where the device is. With `may_wait` False no call is made: a zone
    not known already is guessed from the request's locale (see the module's docstring)."""
    request = handler_input.request_envelope.request
    when = getattr(request, "timestamp", None)
    if not isinstance(when, datetime):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    where = zone(time_zone(handler_input, current, may_ask=may_wait))
    if where is not None:
        return is_night_at(when.astimezone(where))
    return False if may_wait else likely_night(getattr(request, "locale", None), when)
