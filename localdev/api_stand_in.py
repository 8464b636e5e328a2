"""A local stand-in for the Alexa APIs the skill calls, served on loopback.

A request names its API endpoint (`context.System.apiEndpoint`); point it at `AlexaApiStandIn.url`
and the skill's service clients talk to this instead of Amazon. It answers the Settings API's
device time zone (`GET /v2/devices/{deviceId}/settings/System.timeZone`), and can be told to
fail (`status`) or to be slow (`delay`); and the Reminders API's create
(`POST /v1/alerts/reminders`), keeping each reminder it accepts in `reminders`, and failing with
`reminder_status`. Every request it gets is kept in `requests`.

Used by the tests (one server per test session, reset between tests) and by `make chat`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

TIME_ZONE_PATH = re.compile(r"/v2/devices/([^/]+)/settings/System\.timeZone")
REMINDERS_PATH = "/v1/alerts/reminders"
DEFAULT_TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    authorization: str | None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    # Keep-alive, as Alexa's APIs allow: the skill's client reuses its connection. Headers and
    # body are separate writes: without this, on a kept connection the body would wait for the
    # client's delayed ACK (Nagle's algorithm), 40 ms a call.
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def do_GET(self):
        stand_in = self.server.stand_in
        stand_in.requests.append(Seen("GET", self.path, self.headers.get("Authorization")))
        if stand_in.delay:
            # Woken early by reset(), so a test that outlived its client's timeout ends quickly.
            stand_in.released.wait(stand_in.delay)
        match = TIME_ZONE_PATH.fullmatch(urlsplit(self.path).path)
        if match is None:
            return self.answer(404, {"type": "NOT_FOUND", "message": "No such API here."})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.answer(401, {"type": "INVALID_TOKEN", "message": "No token."})
        if stand_in.status != 200:
            return self.answer(stand_in.status, {"type": "ERROR", "message": "Told to fail."})
        stand_in.devices_asked.append(unquote(match.group(1)))
        return self.answer(200, stand_in.time_zone)

    def do_POST(self):
        stand_in = self.server.stand_in
        stand_in.requests.append(Seen("POST", self.path, self.headers.get("Authorization")))
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        if urlsplit(self.path).path != REMINDERS_PATH:
            return self.answer(404, {"type": "NOT_FOUND", "message": "No such API here."})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.answer(401, {"type": "INVALID_TOKEN", "message": "No token."})
        if not 200 <= stand_in.reminder_status < 300:
            return self.answer(stand_in.reminder_status,
                               {"code": "ERROR", "message": "Told to fail."})
        stand_in.reminders.append(body)
        token = f"stand-in-reminder-{len(stand_in.reminders)}"
        return self.answer(stand_in.reminder_status, {
            "alertToken": token, "createdTime": "2024-01-01T00:00:00.000Z",
            "updatedTime": "2024-01-01T00:00:00.000Z", "status": "ON", "version": "1",
            "href": f"{REMINDERS_PATH}/{token}"})

    def answer(self, status: int, body) -> None:
        payload = json.dumps(body).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except ConnectionError:
            pass  # the client gave up waiting, as it should

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)
    stand_in: AlexaApiStandIn


class AlexaApiStandIn:
    def __init__(self, time_zone: str = DEFAULT_TIME_ZONE):
        self.default_time_zone = time_zone
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stand_in = self
        # A short poll interval: shutting down waits for one.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name="alexa-api-stand-in")
        self.reset()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def reset(self, time_zone: str | None = None) -> None:
        """Back to answering at once with the default time zone, and nothing seen yet."""
        released = getattr(self, "released", None)
        if released is not None:
            released.set()
        self.released = threading.Event()
        self.time_zone = time_zone or self.default_time_zone
        self.status = 200
        self.reminder_status = 201
        self.delay = 0.0
        self.requests: list[Seen] = []
        self.devices_asked: list[str] = []
        self.reminders: list[dict] = []

    def start(self) -> AlexaApiStandIn:
        self._thread.start()
        return self

    def close(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> AlexaApiStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
