"""The skill as an HTTPS web service, for those who must keep Alexa's traffic on their own servers:
a WSGI app, `skill.web:application`, on the ASK SDK's web-service support.

Alexa requires a web service to check every request before acting on it, and so does this: the
signature (the `Signature-256` header, against the certificate chain at the `SignatureCertChainUrl`
on Alexa's S3 bucket, issued for echo-api.amazon.com) and the timestamp (at most 150 s from now),
by the SDK's `RequestVerifier` and `TimestampVerifier`. A request that fails either is refused with
400 before any handler runs. The service itself speaks plain HTTP: put it behind the clinic's
HTTPS terminator (Alexa calls only HTTPS on port 443, with a trusted certificate).

For local development only, `LOCAL_DEV_SKIP_VERIFICATION=1` turns both checks off. That is logged
as a warning when the app starts and marked on every request's log line, and then the app answers
only clients on this machine (loopback), so a forgotten switch does not open the skill to anyone.

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

from ask_sdk_webservice_support.verifier import (RequestVerifier,  # noqa: E402
                                                 TimestampVerifier, VerificationException)
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler  # noqa: E402

SKIP_VERIFICATION_ENV = "LOCAL_DEV_SKIP_VERIFICATION"
# Alexa's limit. Also the SDK's default, but stated here so that no change there can widen it.
TIMESTAMP_TOLERANCE_SECONDS = 150
# An Alexa request is a few kilobytes; anything far larger is not one.
MAX_BODY_BYTES = 128 * 1024

logger = logging.getLogger("leg_cramp_helper.web")

StartResponse = Callable[[str, list], Any]
_STATUS = {200: "200 OK", 400: "400 Bad Request", 403: "403 Forbidden",
           405: "405 Method Not Allowed", 411: "411 Length Required",
           413: "413 Content Too Large", 500: "500 Internal Server Error"}


def verification_skipped(environ: dict | None = None) -> bool:
    return (environ if environ is not None else os.environ).get(SKIP_VERIFICATION_ENV) == "1"


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
    LOCAL_DEV_SKIP_VERIFICATION=1."""

    def __init__(self, verify: bool | None = None):
        self.verify = not verification_skipped() if verify is None else verify
        verifiers = [RequestVerifier(), TimestampVerifier(TIMESTAMP_TOLERANCE_SECONDS * 1000)]
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
        status, body, event, outcome = self._answer(environ)
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
        except ValueError:
            return 400, _error("The body is not JSON."), None, "unreadable"
        try:
            # The SDK's serializer gives the response as JSON-ready data, not as text.
            response = self.dispatcher.verify_request_and_dispatch(_headers(environ), text)
        except VerificationException as error:
            logger.warning("refused a request that failed verification: %s", error)
            return 400, _error("The request failed Alexa's signature or timestamp check."), \
                event, "unverified"
        except SerializationException:
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

    app = SkillWebService()
    with make_server(options.host, options.port, app, handler_class=QuietHandler) as server:
        logger.info("serving the skill on http://%s:%d/ (verification %s)", options.host,
                    server.server_port, "on" if app.verify else "OFF")
        server.serve_forever()


if __name__ == "__main__":
    main()
