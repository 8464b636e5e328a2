"""The HTTP server under the local stand-ins (Alexa's APIs, Lambda's Runtime API): loopback
only, keep-alive, quiet when a client goes away, served from a daemon thread."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class KeptAliveHandler(BaseHTTPRequestHandler):
    # Keep-alive, as the real services allow: the clients reuse their connections. Headers and
    # body are separate writes: with Nagle's algorithm, on a kept connection the body would wait
    # for the client's delayed ACK, 40 ms a call.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def send(self, status: int, body: bytes, headers: dict | None = None) -> None:
        try:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the client gave up waiting, or its process has ended

    def log_message(self, format, *args):
        pass


class LoopbackServer(ThreadingHTTPServer):
    """On 127.0.0.1 and a free port, with `stand_in` for its handlers to answer from."""

    daemon_threads = True

    def __init__(self, handler: type[KeptAliveHandler], stand_in, name: str):
        super().__init__(("127.0.0.1", 0), handler)
        self.stand_in = stand_in
        # A short poll interval: shutting down waits for one.
        self.thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True,
                                       name=name)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)
