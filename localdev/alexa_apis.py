"""A local stand-in for the Alexa APIs the skill calls: Reminders (`POST /v1/alerts/reminders`)
and the device's time zone from Settings (`GET /v2/devices/{id}/settings/System.timeZone`).

Standard library only, on a loopback port, in a thread. Point a request at it with
`Device(api_endpoint=apis.url)`; the skill's API client allows plain HTTP only on loopback.
It records what it was sent and answers as it is told to (a status, a time zone).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_TIME_ZONE_PATH = re.compile(r"^/v2/devices/([^/]+)/settings/System\.timeZone$")


@dataclass
class Call:
    method: str
    path: str
    authorization: str | None
    body: dict | None


@dataclass
class AlexaApis:
    # What to answer. A status other than 2xx answers with an error body, as Alexa's APIs do.
    reminder_status: int = 201
    time_zone: str = "America/New_York"
    time_zone_status: int = 200
    calls: list[Call] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def reminders(self) -> list[dict]:
        """The reminders created (the bodies of successful POSTs)."""
        return [call.body for call in self.calls
                if call.method == "POST" and call.path == "/v1/alerts/reminders"
                and 200 <= self.reminder_status < 300]

    def reset(self) -> None:
        self.reminder_status, self.time_zone, self.time_zone_status = 201, "America/New_York", 200
        self.calls.clear()

    def start(self) -> "AlexaApis":
        apis = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the tests read `calls` instead
                pass

            def _answer(self, status: int, body) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self, body=None) -> None:
                apis.calls.append(Call(self.command, self.path,
                                       self.headers.get("Authorization"), body))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"null")
                except ValueError:
                    body = None
                self._record(body)
                if self.path != "/v1/alerts/reminders":
                    return self._answer(404, {"code": "NOT_FOUND", "message": self.path})
                if not 200 <= apis.reminder_status < 300:
                    return self._answer(apis.reminder_status,
                                        {"code": "ERROR", "message": "stand-in refused"})
                token = str(uuid.uuid4())
                self._answer(apis.reminder_status, {
                    "alertToken": token, "createdTime": "2024-01-01T00:00:00.000Z",
                    "updatedTime": "2024-01-01T00:00:00.000Z", "status": "ON", "version": "1",
                    "href": f"/v1/alerts/reminders/{token}"})

            def do_GET(self):
                self._record()
                if not _TIME_ZONE_PATH.match(self.path):
                    return self._answer(404, {"code": "NOT_FOUND", "message": self.path})
                if apis.time_zone_status != 200:
                    return self._answer(apis.time_zone_status, {"message": "stand-in refused"})
                self._answer(200, apis.time_zone)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
