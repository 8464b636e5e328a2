"""One structured JSON log line per request, as CloudWatch Logs Insights reads them.

The line says what came in (request id, type, intent, locale), how it went (outcome) and how long
it took, and never who asked: the user id appears only as a keyed hash, and only when the
deployment sets a salt (`LOG_SALT`), so requests of one person can be told apart without naming
them. No slot values, no speech, nothing about anyone's health.

A small standard-library formatter rather than Powertools for AWS Lambda's Logger: importing that
adds about 11 ms to every cold start, which the mid-cramp answer cannot spare (see README,
"Figures").
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any

REQUEST_LOGGER = "leg_cramp_helper.requests"


class JsonLines(logging.Formatter):
    """A record as one JSON object: level, message, time, and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"level": record.levelname, "message": record.getMessage(),
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
                + f".{int(record.msecs):03d}Z",
                **getattr(record, "fields", {})}
        return json.dumps(line, ensure_ascii=False, default=str)


class StdoutLines(logging.Handler):
    """Writes to whatever `sys.stdout` is now (Lambda sends stdout to CloudWatch as it is)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
        except Exception:  # a log line must never take a request down with it
            self.handleError(record)


def request_logger() -> logging.Logger:
    logger = logging.getLogger(REQUEST_LOGGER)
    if not logger.handlers:
        handler = StdoutLines()
        handler.setFormatter(JsonLines())
        logger.addHandler(handler)
        # Its own line, not wrapped in the Lambda runtime's text prefix by the root logger.
        logger.propagate = False
        logger.setLevel(logging.INFO)
    return logger


def _text(node: Any, *path: str) -> str | None:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) else None


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
        "request_id": _text(event, "request", "requestId"),
        "request_type": _text(event, "request", "type"),
        "intent": _text(event, "request", "intent", "name"),
        "locale": _text(event, "request", "locale"),
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
    """The request's one line. `started` is a `time.perf_counter()` reading from its start."""
    fields = request_fields(event, context)
    fields["outcome"] = outcome
    fields["latency_ms"] = round((time.perf_counter() - started) * 1000, 3)
    fields.update(extra)
    logger = request_logger()
    logger.log(logging.WARNING if outcome in ("refused", "failed") else logging.INFO, "request",
               extra={"fields": fields})
