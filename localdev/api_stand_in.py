"""A local stand-in for the Alexa APIs the skill calls, served on loopback.

A request names its API endpoint (`context.System.apiEndpoint`); point it at `AlexaApiStandIn.url`
and the skill's service clients talk to this instead of Amazon. It answers the Settings API's
device time zone (`GET /v2/devices/{deviceId}/settings/System.timeZone`), and can be told to
fail (`status`), to be slow (`delay`: the whole answer late), or to trickle every answer a byte at a
time (`trickle`: seconds between bytes, as a network that keeps a connection alive but hardly
moves; `trickled` then tells, per answer, whether all of it was sent before the client hung
up); and the Reminders API as the skill uses it: create
(`POST /v1/alerts/reminders`), update (`PUT .../{alertToken}`), delete (`DELETE .../{alertToken}`),
get one (`GET .../{alertToken}`) and get all (`GET /v1/alerts/reminders`), keeping the reminders
it holds in `alerts` (by alert token; `reminders` lists them), answering 404 for a token it does
not hold, and failing every reminder call with `reminder_status`, or one kind of call with
`reminder_failures` (`{"DELETE": 500}`). Every request it gets is kept in `requests`.

Used by the tests (one server per test session, reset between tests) and by `make chat`.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from localdev.loopback import KeptAliveHandler, LoopbackServer

TIME_ZONE_PATH = re.compile(r"/v2/devices/([^/]+)/settings/System\.timeZone")
REMINDERS_PATH = "/v1/alerts/reminders"
REMINDER_PATH = re.compile(r"/v1/alerts/reminders/([^/]+)")
DEFAULT_TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    authorization: str | None


class _Handler(KeptAliveHandler):
    server: LoopbackServer

    def do_GET(self):
        stand_in = self.server.stand_in
        stand_in.requests.append(Seen("GET", self.path, self.headers.get("Authorization")))
        if stand_in.delay:
            # Woken early by reset(), so a test that outlived its client's timeout ends quickly.
            stand_in.released.wait(stand_in.delay)
        path = urlsplit(self.path).path
        if path == REMINDERS_PATH or REMINDER_PATH.fullmatch(path):
            return self.reminder_call("GET", path, None)
        match = TIME_ZONE_PATH.fullmatch(path)
        if match is None:
            return self.answer(404, {"type": "NOT_FOUND", "message": "No such API here."})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.answer(401, {"type": "INVALID_TOKEN", "message": "No token."})
        if stand_in.status != 200:
            return self.answer(stand_in.status, {"type": "ERROR", "message": "Told to fail."})
        stand_in.devices_asked.append(unquote(match.group(1)))
        return self.answer(200, stand_in.time_zone)

    def do_POST(self):
        self.with_body("POST")

    def do_PUT(self):
        self.with_body("PUT")

    def do_DELETE(self):
        stand_in = self.server.stand_in
        stand_in.requests.append(Seen("DELETE", self.path, self.headers.get("Authorization")))
        self.reminder_call("DELETE", urlsplit(self.path).path, None)

    def with_body(self, method: str) -> None:
        stand_in = self.server.stand_in
        stand_in.requests.append(Seen(method, self.path, self.headers.get("Authorization")))
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            body = None
        self.reminder_call(method, urlsplit(self.path).path, body)

    def reminder_call(self, method: str, path: str, body) -> None:
        """The Reminders API: create, update, delete, get one, get all."""
        stand_in = self.server.stand_in
        one = REMINDER_PATH.fullmatch(path)
        if not (path == REMINDERS_PATH and method in ("POST", "GET")
                or one is not None and method in ("PUT", "DELETE", "GET")):
            return self.answer(404, {"type": "NOT_FOUND", "message": "No such API here."})
        if not (self.headers.get("Authorization") or "").startswith("Bearer "):
            return self.answer(401, {"code": "INVALID_TOKEN", "message": "No token."})
        status = stand_in.reminder_failures.get(method, stand_in.reminder_status)
        if not 200 <= status < 300:
            return self.answer(status, {"code": "ERROR", "message": "Told to fail."})
        if one is None and method == "GET":
            alerts = [stand_in.alert(token) for token in stand_in.alerts]
            return self.answer(200, {"totalCount": str(len(alerts)), "alerts": alerts,
                                     "links": None})
        if one is None:
            stand_in.created += 1
            token = f"stand-in-reminder-{stand_in.created}"
            stand_in.alerts[token] = body
            return self.answer(status, stand_in.receipt(token))
        token = unquote(one.group(1))
        if token not in stand_in.alerts:
            return self.answer(404, {"code": "NOT_FOUND", "message": "No such reminder."})
        if method == "DELETE":
            del stand_in.alerts[token]
            return self.answer(200, {})
        if method == "PUT":
            stand_in.alerts[token] = body
            return self.answer(200, stand_in.receipt(token))
        return self.answer(200, stand_in.alert(token))

    def answer(self, status: int, body) -> None:
        payload = json.dumps(body).encode("utf-8")
        if self.server.stand_in.trickle:
            return self.trickle(status, payload)
        self.send(status, payload, {"Content-Type": "application/json"})

    def trickle(self, status: int, payload: bytes) -> None:
        """The whole answer, status line to last byte, one byte every `trickle` seconds, until
        it is all sent, the client hangs up, or the stand-in is reset."""
        stand_in = self.server.stand_in
        whole = (f"HTTP/1.1 {status} {self.responses[status][0]}\r\n"
                 f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
                 ).encode("ascii") + payload
        sent = 0
        try:
            while sent < len(whole) and not stand_in.released.is_set():
                # A sleep, not a timed wait on `released`: under libfaketime (the suite is run at
                # 03:00 that way) a timed wait overruns while another thread reads a socket.
                time.sleep(stand_in.trickle)
                self.wfile.write(whole[sent:sent + 1])
                sent += 1
        except OSError:
            pass  # the client hung up
        self.close_connection = sent < len(whole)
        stand_in.trickled.put(sent == len(whole))


class AlexaApiStandIn:
    def __init__(self, time_zone: str = DEFAULT_TIME_ZONE):
        self.default_time_zone = time_zone
        self._server = LoopbackServer(_Handler, self, "alexa-api-stand-in")
        self._thread = self._server.thread
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
        self.reminder_failures: dict[str, int] = {}
        self.delay = 0.0
        self.trickle = 0.0
        self.trickled: queue.Queue[bool] = queue.Queue()
        self.requests: list[Seen] = []
        self.devices_asked: list[str] = []
        # The reminders it holds, by alert token, as the skill sent them.
        self.alerts: dict[str, dict] = {}
        self.created = 0

    @property
    def reminders(self) -> list[dict]:
        """The reminders it holds now, oldest first."""
        return list(self.alerts.values())

    def receipt(self, token: str) -> dict:
        return {"alertToken": token, "createdTime": "2024-01-01T00:00:00.000Z",
                "updatedTime": "2024-01-01T00:00:00.000Z", "status": "ON", "version": "1",
                "href": f"{REMINDERS_PATH}/{token}"}

    def alert(self, token: str) -> dict:
        """A reminder as the get calls return it: what was sent, with its token and status."""
        body = self.alerts[token] or {}
        return {**self.receipt(token), "trigger": body.get("trigger"),
                "alertInfo": body.get("alertInfo"),
                "pushNotification": body.get("pushNotification")}

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
