"""The skill as an HTTPS web service, for those who must keep Alexa's traffic on their own servers:
a WSGI app, `skill.web:application`, on the ASK SDK's web-service support.

Alexa requires a web service to check every request before acting on it, and so does this,
cheapest first (skill/web_verify.py): the skill id (`SKILL_ID`, required: without it the service
refuses to start), the timestamp (at most 150 s from now), then the signature (the `Signature-256`
header, against the certificate chain at the `SignatureCertChainUrl` on Alexa's S3 bucket, issued
for echo-api.amazon.com, downloaded within a bounded time and cached). A request that fails any of
them is refused with 400 before any handler runs; so is every request that cannot be read. The
service itself speaks plain HTTP: put it behind the clinic's HTTPS terminator (Alexa calls only
HTTPS on port 443, with a trusted certificate).

For local development only, `LOCAL_DEV_SKIP_VERIFICATION=1` turns the checks off. That is logged
as a warning when the app starts and marked on every request's log line, and then the app answers
only clients on this machine (loopback) that came through no proxy (no `Forwarded`,
`X-Forwarded-For`, `X-Real-Ip` or the like: behind a terminator on the same host every client
looks local), so a forgotten switch does not open the skill to anyone.

Needs the optional `web` extra (`pip install 'leg-cramp-helper[web]'`); the Lambda function never
imports this module.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import time
from typing import Any, Callable, Iterable

from ask_sdk_runtime.exceptions import AskSdkException, SerializationException

from skill.app import skill
from skill.logs import log_request
from skill.web_compat import load_oscrypto

load_oscrypto()  # before the SDK's verifier, which cannot load without it on current OpenSSL

from ask_sdk_webservice_support.verifier import (TimestampVerifier,  # noqa: E402
                                                 VerificationException)
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler  # noqa: E402

from skill.web_verify import NotThisSkill, SignatureVerifier, ThisSkillOnly  # noqa: E402

SKIP_VERIFICATION_ENV = "LOCAL_DEV_SKIP_VERIFICATION"
# Alexa's limit. Also the SDK's default, but stated here so that no change there can widen it.
TIMESTAMP_TOLERANCE_SECONDS = 150
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
    """The request's HTTP headers by name; the SDK's verifiers match names case-insensitively."""
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
        # Cheapest first: no certificate is downloaded for a request that is stale or not ours.
        self.signatures = SignatureVerifier()
        verifiers = [ThisSkillOnly(self.skill_id or ""),
                     TimestampVerifier(TIMESTAMP_TOLERANCE_SECONDS * 1000), self.signatures]
        # The SDK's own flags stay off: the same two verifiers are passed explicitly instead.
        self.dispatcher = WebserviceSkillHandler(skill(), verify_signature=False,
                                                 verify_timestamp=False,
                                                 verifiers=verifiers if self.verify else [])
        if not self.verify:
            logger.warning(
                "ALEXA REQUEST VERIFICATION IS OFF (%s=1). Anyone who can reach this app can "
                "pose as Alexa. For local development only: answering loopback clients only.",
                SKIP_VERIFICATION_ENV)

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        try:
            status, body, event, outcome = self._answer(environ)
        except Exception:  # never out of the app without an answer and a log line
            logger.exception("request failed outside the skill")
            status, body, event, outcome = 500, _error("The skill failed."), None, "failed"
        if 400 <= status < 500:
            logger.warning("refused with %d: %s", status, json.loads(body)["error"])
        log_request(event, None, outcome, started, transport="web", http_status=status,
                    verified=self.verify)
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
        try:
            # The SDK's serializer gives the response as JSON-ready data, not as text.
            response = self.dispatcher.verify_request_and_dispatch(_headers(environ), text)
        except NotThisSkill as error:
            logger.warning("refused a request for another skill: %s", error)
            return 400, _error("The request is not for this skill."), event, "refused"
        except VerificationException as error:
            logger.warning("refused a request that failed verification: %s", error)
            return 400, _error("The request failed Alexa's signature or timestamp check."), \
                event, "unverified"
        except (SerializationException, RecursionError):
            return 400, _error("The body is not an Alexa request."), event, "unreadable"
        except AskSdkException:  # the SDK's skill id check: a request for another skill
            return 400, _error("The request is not for this skill."), event, "refused"
        except Exception:
            logger.exception("request failed past every handler")
            return 500, _error("The skill failed."), event, "failed"
        return 200, json.dumps(response), event, "answered"


def _error(message: str) -> str:
    return json.dumps({"error": message})


_APP: SkillWebService | None = None


def application(environ: dict, start_response: StartResponse) -> Iterable[bytes]:
    """`skill.web:application` for any WSGI server; built on its first request."""
    global _APP
    if _APP is None:
        _APP = SkillWebService()
    return _APP(environ, start_response)


def main(argv: list[str] | None = None) -> None:
    """`python -m skill.web` (`make serve`): the app on the standard library's WSGI server,
    for local development; serve production traffic with a production WSGI server."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    parser = argparse.ArgumentParser(description=main.__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(levelname)s %(name)s: %(message)s")

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):  # every request already has its JSON line
            pass

    try:
        app = SkillWebService()
    except ConfigurationError as error:
        parser.exit(2, f"{error}\n")
    with make_server(options.host, options.port, app, handler_class=QuietHandler) as server:
        logger.info("serving the skill on http://%s:%d/ (verification %s)", options.host,
                    server.server_port, "on" if app.verify else "OFF")
        server.serve_forever()


if __name__ == "__main__":
    main()
