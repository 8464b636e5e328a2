"""One structured JSON log line per request, as CloudWatch Logs Insights reads them.

The line says what came in (request id, type, intent, locale), how it went (outcome), what kind of
answer was said (`answer`, from skill.answers: template.yaml counts it into one metric per kind)
and how long it took, and never who asked: the user id appears only as a keyed hash, and only when the
deployment sets a salt (`LOG_SALT`), so requests of one person can be told apart without naming
them. No slot values, no speech, nothing about anyone's health.

A few lines of standard library rather than Powertools for AWS Lambda's Logger: importing that
adds about 18 ms (median, measured) to every cold start, which the mid-cramp answer cannot spare
(docs/performance.md).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

# The line's level, against LOG_LEVEL (INFO by default): at WARNING only refusals and failures
# are logged.
_LEVELS = {"DEBUG": 10, "INFO": 20, "WARNING": 30, "ERROR": 40, "CRITICAL": 50}
# A field quotes at most this much of the request: Alexa's ids and names are far shorter, and a
# request that is not Alexa's (refused by the web service) may carry 128 KB in any of them.
MAX_FIELD_CHARS = 200


def _threshold() -> int:
    return _LEVELS.get(os.environ.get("LOG_LEVEL", "INFO").upper(), 20)


def _text(node: Any, *path: str) -> str | None:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


def bounded(text: Any) -> Any:
    """`text` cut to MAX_FIELD_CHARS, saying how long it was; anything else as it is."""
    if not isinstance(text, str) or len(text) <= MAX_FIELD_CHARS:
        return text
    return f"{text[:MAX_FIELD_CHARS]}... ({len(text)} characters)"


def user_hash(user_id: str | None, salt: str | None = None) -> str | None:
    """A keyed hash of the user id, or None without a salt: never the id itself."""
    salt = os.environ.get("LOG_SALT") if salt is None else salt
    if not salt or not user_id:
        return None
    from hashlib import blake2b

    return blake2b(user_id.encode("utf-8"), key=salt.encode("utf-8")[:64],
                   digest_size=8).hexdigest()


def request_fields(event: Any, context: Any = None) -> dict:
    """What a request log line says about the request, read tolerantly from the raw event."""
    fields = {
        "request_id": bounded(_text(event, "request", "requestId")),
        "request_type": bounded(_text(event, "request", "type")),
        "intent": bounded(_text(event, "request", "intent", "name")),
        "locale": bounded(_text(event, "request", "locale")),
    }
    user = user_hash(_text(event, "context", "System", "user", "userId")
                     or _text(event, "session", "user", "userId"))
    if user:
        fields["user"] = user
    lambda_request = getattr(context, "aws_request_id", None)
    if isinstance(lambda_request, str):
        fields["lambda_request_id"] = lambda_request
    return fields


def log_request(event: Any, context: Any, outcome: str, started: float, **extra: Any) -> None:
    """The request's one line. `started` is a `time.perf_counter()` reading from its start.

    Written straight to stderr, which Lambda sends to CloudWatch as it is (stdout stays free for
    whatever runs the handler locally): the `logging` module's records and handlers would double
    the line's cost on a warm request, and the line must not wear the Lambda runtime's text
    prefix, or Logs Insights cannot read its fields."""
    level = "WARNING" if outcome in ("refused", "unverified", "failed") else "INFO"
    if _LEVELS[level] < _threshold():
        return
    now = time.time()
    fields = {"level": level, "message": "request",
              "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
              + f".{int(now * 1000) % 1000:03d}Z",
              **request_fields(event, context),
              "outcome": outcome,
              "latency_ms": round((time.perf_counter() - started) * 1000, 3),
              **extra}
    try:
        # ASCII, escaped: a hostile request id with a lone surrogate must not break the line.
        sys.stderr.write(json.dumps(fields, default=str) + "\n")
    except (OSError, ValueError):  # a closed or broken stderr must not take the answer with it
        pass
