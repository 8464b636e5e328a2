"""The client the SDK's service clients (Settings, Reminders) call Alexa's APIs through.

The SDK's DefaultApiClient waits forever and imports `requests`; on the mid-cramp path an API
call must give up quickly. This one uses the standard library, with a short timeout. It speaks
HTTPS only, except to a loopback address, where the tests run local stand-ins for Alexa's APIs.
"""

from __future__ import annotations

import json
import os
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


class TimeoutApiClient(ApiClient):
    def __init__(self, timeout: float | None = None):
        self.timeout = configured_timeout() if timeout is None else timeout
        self._tls = None

    def _tls_context(self):
        """One TLS context for the container: without it, urllib builds one per call and reads
        the system's certificate store each time, about 20 ms before a byte is sent."""
        if self._tls is None:
            import ssl

            self._tls = ssl.create_default_context()
        return self._tls

    def invoke(self, request):
        url = urlsplit(request.url or "")
        if url.scheme != "https" and not (url.scheme == "http" and url.hostname in _LOOPBACK):
            raise ApiClientException("Requests against non-HTTPS endpoints are not allowed.")
        # Imported here, not at the top: urllib.request (with http.client, ssl and email) adds
        # about 15 ms to a cold start, and only a session's first request calls an API.
        import urllib.error
        import urllib.request

        headers = dict(request.headers or [])
        body = request.body
        if body is not None and not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode("utf-8")
        http_request = urllib.request.Request(request.url, data=body, headers=headers,
                                              method=request.method)
        try:
            context = self._tls_context() if url.scheme == "https" else None
            with urllib.request.urlopen(http_request, timeout=self.timeout,
                                        context=context) as answer:
                return ApiClientResponse(headers=list(answer.headers.items()),
                                         status_code=answer.status,
                                         body=answer.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            # An HTTP error is still an answer: the service client turns it into a ServiceException.
            return ApiClientResponse(headers=list(error.headers.items()), status_code=error.code,
                                     body=error.read().decode("utf-8", "replace"))
        except Exception as error:  # timeouts, refused connections, bad URLs
            raise ApiClientException(f"Error executing the request: {error}") from error
