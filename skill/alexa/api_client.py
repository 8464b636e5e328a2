"""The client the SDK's service clients (Settings, Reminders) call Alexa's APIs through.

The SDK's DefaultApiClient waits forever and imports `requests`; on the mid-cramp path an API
call must give up quickly. This one uses the standard library (`http.client`), with a short
timeout, and keeps the connection to each host open between requests. It speaks HTTPS only,
except to a loopback address, where the tests run local stand-ins for Alexa's APIs.
"""

from __future__ import annotations

import json
import os
import threading
from urllib.parse import urlsplit

from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClient, ApiClientResponse

DEFAULT_TIMEOUT_SECONDS = 1.0
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def configured_timeout() -> float:
    """`ALEXA_API_TIMEOUT` in seconds, read when the skill is built; a bad value is ignored
    rather than allowed to stop the skill from building."""
    try:
        seconds = float(os.environ.get("ALEXA_API_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
    except ValueError:
        return DEFAULT_TIMEOUT_SECONDS
    return seconds if 0 < seconds <= 5 else DEFAULT_TIMEOUT_SECONDS


def _stale(error: Exception) -> bool:
    """Whether a kept connection had been closed by the server while idle: the request never
    reached it, so it is sent once more on a new connection. A timeout is not retried."""
    import http.client

    return isinstance(error, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
                              http.client.RemoteDisconnected))


class TimeoutApiClient(ApiClient):
    """Keeps one connection per host open between requests (HTTP keep-alive): a one-shot request
    on a warm container then pays no TCP or TLS handshake. Each connection is used by one request
    at a time; a request that finds it in use opens another."""

    def __init__(self, timeout: float | None = None):
        self.timeout = configured_timeout() if timeout is None else timeout
        self._tls = None
        self._idle: dict[tuple, object] = {}  # (scheme, host, port) -> an idle HTTPConnection
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
        # cold start, and only a device's first request in the hour calls an API.
        import http.client

        scheme, host, port = key
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout,
                                               context=self._tls_context()), True
        return http.client.HTTPConnection(host, port, timeout=self.timeout), True

    def _keep(self, key: tuple, connection) -> None:
        with self._lock:
            extra = self._idle.get(key)
            self._idle[key] = connection
        if extra is not None:
            extra.close()

    def invoke(self, request):
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
                connection.request(request.method, target, body=body, headers=headers)
                answer = connection.getresponse()
                payload = answer.read()
            except Exception as error:  # timeouts, refused or dropped connections
                connection.close()
                if may_retry and not new and _stale(error):
                    may_retry = False
                    continue
                raise ApiClientException(f"Error executing the request: {error}") from error
            if answer.will_close:
                connection.close()
            else:
                self._keep(key, connection)
            # An HTTP error is still an answer: the service client turns it into a
            # ServiceException.
            return ApiClientResponse(headers=answer.getheaders(), status_code=answer.status,
                                     body=payload.decode("utf-8", "replace"))
