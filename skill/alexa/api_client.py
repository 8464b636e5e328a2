"""The client the SDK's service clients (Settings, Reminders) call Alexa's APIs through.

The SDK's DefaultApiClient waits forever and imports `requests`. This one uses the standard
library (`http.client`) and keeps the connection to each host open between requests. It speaks
HTTPS only, except to a loopback address, where the tests run local stand-ins for Alexa's APIs.

Each call has a budget: a total, from its start to the answer's last byte (connecting, the TLS
handshake, sending, and every read), never a per-read timeout, which a server that trickles its
answer a byte at a time never trips. The budget is `ALEXA_API_BUDGET` seconds, cut short where
the Lambda invocation has less time left (`request_deadline`), so that a chain of calls cannot
run into Lambda's own timeout and leave the person with no answer at all.
"""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientResponse

DEFAULT_BUDGET_SECONDS = 1.0
# What an invocation keeps for itself after its last Alexa API call: saving what is remembered
# (DYNAMODB_BUDGET, 1.5 s by default) and answering. Lambda's timeout is 7 s (template.yaml).
RESERVED_SECONDS = 2.0
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# When the current invocation must be done with Alexa's APIs (a time.monotonic() reading), or
# None where nothing says (tests, the web service, SnapStart's priming).
_INVOCATION_ENDS: ContextVar[float | None] = ContextVar("alexa_api_invocation_ends",
                                                         default=None)


def configured_budget() -> float:
    """`ALEXA_API_BUDGET` in seconds, read when the skill is built; a bad value is ignored
    rather than allowed to stop the skill from building."""
    try:
        seconds = float(os.environ.get("ALEXA_API_BUDGET", DEFAULT_BUDGET_SECONDS))
    except ValueError:
        return DEFAULT_BUDGET_SECONDS
    return seconds if 0 < seconds <= 5 else DEFAULT_BUDGET_SECONDS


@contextmanager
def invocation(context):
    """Within this block, no Alexa API call runs past the Lambda invocation's remaining time
    (`context.get_remaining_time_in_millis()`) less RESERVED_SECONDS. Without such a context
    (tests, the web service) each call has its own budget only."""
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    ends = None
    if callable(remaining):
        try:
            ends = time.monotonic() + float(remaining()) / 1000 - RESERVED_SECONDS
        except (TypeError, ValueError):
            ends = None
    token = _INVOCATION_ENDS.set(ends)
    try:
        yield
    finally:
        _INVOCATION_ENDS.reset(token)


def _stale(error: Exception) -> bool:
    """Whether a kept connection had been closed by the server while idle: the request never
    reached it, so it is sent once more on a new connection. A timeout is not retried."""
    import http.client

    return isinstance(error, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
                              http.client.RemoteDisconnected))


class BoundedApiClient(ApiClient):
    """Keeps one connection per host open between requests (HTTP keep-alive): a one-shot request
    on a warm container then pays no TCP or TLS handshake. Each connection is used by one request
    at a time; a request that finds it in use opens another. Each call ends within `budget`
    seconds, whatever the server does."""

    def __init__(self, budget: float | None = None):
        self.budget = configured_budget() if budget is None else budget
        self._tls = None
        self._idle: dict[tuple, object] = {}  # (scheme, host, port) -> an idle connection
        self._lock = threading.Lock()

    def _tls_context(self):
        """One TLS context for the container: without it, each connection builds one and reads
        the system's certificate store, about 20 ms before a byte is sent."""
        if self._tls is None:
            import ssl

            self._tls = ssl.create_default_context()
        return self._tls

    def close(self) -> None:
        """Close every kept connection (after a SnapStart restore: a TLS session must never be
        shared between restored copies of one snapshot)."""
        with self._lock:
            idle, self._idle = self._idle, {}
        for connection in idle.values():
            connection.close()

    def _connection(self, key: tuple):
        """A kept connection for `key` (taken: no other request uses it meanwhile), or a new one;
        and whether it is new."""
        with self._lock:
            connection = self._idle.pop(key, None)
        if connection is not None:
            return connection, False
        # Imported here, not at the top: http.client (with ssl and email) adds about 15 ms to a
        # cold start, and only some requests call an API.
        from skill.alexa.bounded_http import BoundedHTTPConnection, BoundedHTTPSConnection

        scheme, host, port = key
        if scheme == "https":
            return BoundedHTTPSConnection(host, port, context=self._tls_context()), True
        return BoundedHTTPConnection(host, port), True

    def _keep(self, key: tuple, connection) -> None:
        with self._lock:
            extra = self._idle.get(key)
            self._idle[key] = connection
        if extra is not None:
            extra.close()

    def _deadline(self) -> float:
        """When this call must be over: its budget, or the invocation's end if that is sooner."""
        ends = time.monotonic() + self.budget
        invocation_ends = _INVOCATION_ENDS.get()
        return ends if invocation_ends is None else min(ends, invocation_ends)

    def invoke(self, request):
        deadline = self._deadline()
        url = urlsplit(request.url or "")
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in _LOOPBACK):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        headers = dict(request.headers or [])
        body = request.body
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            key = (url.scheme, url.hostname, url.port)
            target = url.path or "/"
            if url.query:
                target += "?" + url.query
        except ValueError as error:  # a port that is not a number
            raise ApiClientException(f"Error executing the request: {error}") from error
        if not url.hostname:
            raise ApiClientException("Error executing the request: no host in the URL")
        may_retry = True
        while True:
            connection, new = self._connection(key)
            try:
                connection.begin(deadline)
                connection.request(request.method, target, body=body, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
            except Exception as error:  # the budget spent, refused or dropped connections
                connection.close()
                if may_retry and not new and _stale(error):
                    may_retry = False
                    continue
                reason = error
                if isinstance(error, TimeoutError):
                    spent = time.monotonic() - (deadline - self.budget)
                    reason = f"timed out: no whole answer within its budget ({spent:.2f} s)"
                raise ApiClientException(f"Error executing the request: {reason}") from error
            if answer.will_close:
                connection.close()
            else:
                self._keep(key, connection)
            # An HTTP error is still an answer: the service client turns it into a
            # ServiceException.
            return ApiClientResponse(headers=answer.getheaders(), status_code=answer.status,
                                     body=payload.decode("utf-8", "replace"))
