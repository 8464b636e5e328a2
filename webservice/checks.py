"""Alexa's checks that need no network, made on the request as it arrived (the raw JSON), before
the signature check downloads anything.

They read the raw event rather than the SDK's model of it: the model refuses any value it does
not know (a new enum member, a timestamp without a zone), and such a request, once signed by
Alexa, is answered by the skill as Lambda answers it, not refused here.

Each failure raises the SDK's `VerificationException`, which the web service answers with 400.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ask_sdk_webservice_support.verifier import VerificationException
from ask_sdk_webservice_support.verifier_constants import ALEXA_SKILL_EVENT_LIST
from dateutil.parser import isoparse

from skill.app import for_this_skill

# Alexa's limits, as the SDK's TimestampVerifier keeps them: 150 s for a request, an hour for a
# skill event (Alexa may deliver SkillDisabled and the like late). Stated here so that no change
# in the SDK can widen them.
REQUEST_TOLERANCE_SECONDS = 150
SKILL_EVENT_TOLERANCE_SECONDS = 3600


class NotThisSkill(VerificationException):
    """The request is for another skill (or names none)."""


def this_skill_only(event: dict, skill_id: str) -> None:
    if not for_this_skill(event, skill_id):
        raise NotThisSkill("the request names another skill's id, or none")


def _request(event: dict) -> dict:
    request = event.get("request")
    return request if isinstance(request, dict) else {}


def check_timestamp(event: dict, now: datetime | None = None) -> None:
    """The request's timestamp is an ISO 8601 time with its zone, at most 150 s from `now` (an
    hour for a skill event)."""
    request = _request(event)
    text = request.get("timestamp")
    if not isinstance(text, str):
        raise VerificationException("the request has no timestamp")
    try:
        moment = isoparse(text)
    except (ValueError, OverflowError):
        raise VerificationException("the timestamp is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        # Alexa's are in UTC with a Z; a time without a zone is some other sender's.
        raise VerificationException("the timestamp has no time zone")
    now = now or datetime.now(timezone.utc)
    try:
        difference = abs((now - moment).total_seconds())
    except OverflowError:  # a time in year 1 or 9999 against now
        raise VerificationException("the timestamp is too far from now") from None
    tolerance = SKILL_EVENT_TOLERANCE_SECONDS if request.get("type") in ALEXA_SKILL_EVENT_LIST \
        else REQUEST_TOLERANCE_SECONDS
    if difference > tolerance:
        raise VerificationException(f"the timestamp is over {tolerance:.0f} s from now")

