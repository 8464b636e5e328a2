"""`http.client` connections whose every step ends by one deadline (a `time.monotonic()` reading).

A socket timeout bounds one blocking operation, not a call: a server that sends its answer a byte
every 0.3 s satisfies a 1 s read timeout forever. Here each step gets only the time left before
the deadline: the TCP connect, the TLS handshake (CPython bounds a whole handshake by the socket's
timeout), the send, and every read of the answer. Past the deadline a step raises `Spent`.

The skill imports it only when an Alexa API is first called: http.client (with ssl and email)
adds about 15 ms to a cold start. The web service's certificate download uses it too.
"""

from __future__ import annotations

import http.client
import io
import time


class Spent(TimeoutError):
    """The call's deadline has passed."""


def left(deadline: float) -> float:
    """Seconds until `deadline`; Spent if none are left."""
    seconds = deadline - time.monotonic()
    if seconds <= 0:
        raise Spent("timed out: the call's budget is spent")
    return seconds


class _BoundedReader(io.RawIOBase):
    """The socket's bytes, each read allowed only the time left before the deadline."""

    def __init__(self, sock, deadline: float):
        self._sock = sock
        self._deadline = deadline
        self._raw = sock.makefile("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _BoundedResponse(http.client.HTTPResponse):
    def __init__(self, sock, *args, deadline: float, **kwargs):
        super().__init__(sock, *args, **kwargs)
        self.fp.close()  # the plain reader made by HTTPResponse, never read from
        self.fp = io.BufferedReader(_BoundedReader(sock, deadline))


class _Bounded:
    """What both connection classes share: `deadline` bounds the next request and its answer."""

    deadline = float("inf")

    @property
    def response_class(self):
        return lambda sock, *args, **kwargs: _BoundedResponse(sock, *args,
                                                              deadline=self.deadline, **kwargs)

    def begin(self, deadline: float) -> None:
        """Bound the next request by `deadline`, the kept connection's socket included."""
        self.deadline = deadline
        if self.sock is not None:
            self.sock.settimeout(left(deadline))


class BoundedHTTPConnection(_Bounded, http.client.HTTPConnection):
    def connect(self) -> None:
        self.timeout = left(self.deadline)
        super().connect()


class BoundedHTTPSConnection(_Bounded, http.client.HTTPSConnection):
    def connect(self) -> None:
        # TCP first, then the handshake with what is left (HTTPSConnection.connect would give the
        # handshake the connect's whole timeout again).
        self.timeout = left(self.deadline)
        http.client.HTTPConnection.connect(self)
        self.sock.settimeout(left(self.deadline))
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)
