"""Whether it is night where the person is, so the skill can speak softly and briefly.

Local time is the request's timestamp in the device's time zone. The time zone comes from the
Alexa Settings API through the SDK's service client, at most once a session, and is kept in the
session state; the container remembers it for an hour (skill.time_zones), so a one-shot request
from a device heard lately makes no call. Whatever goes wrong (no device id or token, an error, a
timeout, a zone this machine does not know) means "speak as in the day" and a log line: the
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


def ask_time_zone(handler_input) -> str:
    """The device's time zone from the Settings API, or UNKNOWN."""
    system = getattr(handler_input.request_envelope.context, "system", None)
    device_id = getattr(getattr(system, "device", None), "device_id", None)
    factory = handler_input.service_client_factory
    if not device_id or not getattr(system, "api_access_token", None) or factory is None:
        logger.warning("time zone not asked: no device id or API token; speaking as in the day")
        return UNKNOWN
    # Heard from this device within the hour (or failed a moment ago): no call.
    kept = TIME_ZONES.get(device_id)
    if kept is not None:
        return kept
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


def time_zone(handler_input, current) -> str | None:
    """The device's time zone name, asked at most once a session; None if it is not known."""
    if current.time_zone is None:
        current.time_zone = ask_time_zone(handler_input)
    return current.time_zone or None


def is_night(handler_input, current) -> bool:
    where = zone(time_zone(handler_input, current))
    when = getattr(handler_input.request_envelope.request, "timestamp", None)
    if where is None or not isinstance(when, datetime):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return is_night_at(when.astimezone(where))
