"""The WSGI app, `webservice.app:application`: Alexa's checks, then the skill as Lambda runs it.

Alexa requires a web service to check every request before acting on it, and so does this,
cheapest first: the skill id (`SKILL_ID`, required: without it the service refuses to start), the
timestamp (webservice/checks.py), then the signature (webservice/signature.py). A request that
fails any of them is refused with 400 before the skill sees it; so is every request that cannot
be read as JSON. A request that passes is answered by `skill.app.answer`, the Lambda handler's
own path, so that the web service answers exactly what Lambda would (a request the SDK cannot
model gets the same calm answer there and here). The service speaks plain HTTP: put it behind
the clinic's HTTPS terminator (Alexa calls only HTTPS on port 443, with a trusted certificate).

For local development only, `LOCAL_DEV_SKIP_VERIFICATION=1` turns the checks off. That is logged
as a warning when the app starts and marked on every request's log line, and then the app answers
only clients on this machine (loopback) that came through no proxy (no `Forwarded`,
`X-Forwarded-For`, `X-Real-Ip` or the like: behind a terminator on the same host every client
looks local), so a forgotten switch does not open the skill to anyone.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import threading
import time
from typing import Any, Callable, Iterable

from ask_sdk_webservice_support.verifier import VerificationException

from skill.app import RequestRefused, answer, skill
from skill import answers
from skill.logs import bounded, log_request
from webservice.checks import NotThisSkill, check_timestamp, this_skill_only
from webservice.signature import SignatureVerifier

SKIP_VERIFICATION_ENV = "LOCAL_DEV_SKIP_VERIFICATION"
# An Alexa request is a few kilobytes; anything far larger is not one.
MAX_BODY_BYTES = 128 * 1024
# An Alexa envelope nests about ten deep; the SDK's (de)serialisers recurse, so a body nested
# hundreds deep would end in RecursionError rather than an answer.
MAX_NESTING = 64
# Headers a proxy adds: a request carrying one did not start on this machine, whatever its
# address says.
PROXY_HEADERS = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST",
                 "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP", "HTTP_X_CLIENT_IP",
                 "HTTP_TRUE_CLIENT_IP", "HTTP_CF_CONNECTING_IP", "HTTP_VIA")

logger = logging.getLogger("leg_cramp_helper.web")

StartResponse = Callable[[str, list], Any]
_STATUS = {200: "200 OK", 400: "400 Bad Request", 403: "403 Forbidden",
           405: "405 Method Not Allowed", 411: "411 Length Required",
           413: "413 Content Too Large", 500: "500 Internal Server Error"}


def verification_skipped(environ: dict | None = None) -> bool:
    return (environ if environ is not None else os.environ).get(SKIP_VERIFICATION_ENV) == "1"


class ConfigurationError(RuntimeError):
    """The service cannot start as configured; the message says what to set."""


NO_SKILL_ID = (
    "SKILL_ID is not set. With Alexa's request verification on, the web service answers only "
    "its own skill, so it needs the skill's id (the developer console, Build > Endpoint, or "
    "`ask smapi list-skills-for-vendor`): SKILL_ID=amzn1.ask.skill.xxxxxxxx-xxxx-xxxx-xxxx-"
    "xxxxxxxxxxxx make serve. For unsigned local requests only: "
    f"{SKIP_VERIFICATION_ENV}=1 make serve.")


def _nesting(value: Any) -> int:
    """How deep a parsed JSON value nests (counted without recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                break
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return deepest


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _headers(environ: dict) -> dict[str, str]:
    """The request's HTTP headers by name; the verifiers match names case-insensitively."""
    return {key[5:].replace("_", "-").title(): value
            for key, value in environ.items() if key.startswith("HTTP_")}


class SkillWebService:
    """The WSGI app. `verify=None` takes the choice from the environment: on unless
    LOCAL_DEV_SKIP_VERIFICATION=1; `skill_id=None` takes SKILL_ID. With verification on and no
    skill id it raises ConfigurationError."""

    def __init__(self, verify: bool | None = None, skill_id: str | None = None):
        self.verify = not verification_skipped() if verify is None else verify
        self.skill_id = skill_id or os.environ.get("SKILL_ID") or None
        if self.verify and not self.skill_id:
            raise ConfigurationError(NO_SKILL_ID)
        self.signatures = SignatureVerifier()
        skill()  # built now, not while the first request waits
        if not self.verify:
            logger.warning(
                "ALEXA REQUEST VERIFICATION IS OFF (%s=1). Anyone who can reach this app can "
                "pose as Alexa. For local development only: answering loopback clients only.",
                SKIP_VERIFICATION_ENV)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        with answers.recorded() as said:
            try:
                status, body, event, outcome = self._answer(environ)
            except Exception:  # never out of the app without an answer and a log line
                logger.exception("request failed outside the skill")
                status, body, event, outcome = 500, _error("The skill failed."), None, "failed"
        if 400 <= status < 500:
            logger.warning("refused with %d: %s", status, json.loads(body)["error"])
        # What kind of answer was said (skill.answers), as on Lambda.
        kind = {"answer": said.kind} if said.kind is not None else {}
        log_request(event, None, outcome, started, transport="web", http_status=status,
                    verified=self.verify, **kind)
        payload = body.encode("utf-8")
        start_response(_STATUS[status], [("Content-Type", "application/json;charset=UTF-8"),
                                         ("Content-Length", str(len(payload)))])
        return [payload]

    def _answer(self, environ: dict) -> tuple[int, str, Any, str]:
        """(HTTP status, body, the event as far as it could be read, outcome for the log)."""
        if environ.get("REQUEST_METHOD") != "POST":
            return 405, _error("Alexa sends POST requests only."), None, "refused"
        if not self.verify and not _loopback(environ.get("REMOTE_ADDR")):
            return 403, _error("Verification is off: only local clients are served."), None, \
                "refused"
        if not self.verify and any(name in environ for name in PROXY_HEADERS):
            return 403, _error("Verification is off: requests through a proxy are not served."), \
                None, "refused"
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return 411, _error("A Content-Length is required."), None, "refused"
        if not 0 <= length <= MAX_BODY_BYTES:
            return 413, _error("The request is too large to be from Alexa."), None, "refused"
        raw = environ["wsgi.input"].read(length)
        try:
            text = raw.decode("utf-8")
            event = json.loads(text)
        except (ValueError, RecursionError):
            return 400, _error("The body is not JSON."), None, "unreadable"
        if not isinstance(event, dict) or _nesting(event) > MAX_NESTING:
            return 400, _error("The body is not an Alexa request."), None, "unreadable"
        if self.verify:
            try:
                this_skill_only(event, self.skill_id)
                check_timestamp(event)
                self.signatures.verify(_headers(environ), text)
            except NotThisSkill as error:
                logger.warning("refused a request for another skill: %s", bounded(str(error)))
                return 400, _error("The request is not for this skill."), event, "refused"
            except VerificationException as error:
                logger.warning("refused a request that failed verification: %s",
                               bounded(str(error)))
                return 400, _error("The request failed Alexa's signature or timestamp check."), \
                    event, "unverified"
        try:
            response, outcome = answer(event, None)
        except RequestRefused:  # SKILL_ID set with verification off: another skill's request
            return 400, _error("The request is not for this skill."), event, "refused"
        return 200, json.dumps(response), event, outcome


def _error(message: str) -> str:
    return json.dumps({"error": message})


_APP: SkillWebService | None = None
_BUILDING = threading.Lock()


def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    """`webservice.app:application` for any WSGI server; built on its first request."""
    global _APP
    if _APP is None:
        with _BUILDING:
            if _APP is None:
                _APP = SkillWebService()
    return _APP(environ, start_response)
