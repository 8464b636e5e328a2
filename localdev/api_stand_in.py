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
it holds in `alerts` (by alert token; `reminders` lists them, `hold_daily` adds one as the skill
would have made it), answering 404 for a token it does not hold, and failing every reminder call
with `reminder_status`, or some with `reminder_failures`: one kind of call (`{"DELETE": 500}`),
the n-th call of a kind since the reset (`{"GET#2": 503}`), or a call on one reminder
(`{"DELETE stand-in-reminder-2": 500}`). A reminder call can also be carried out and then
answered badly, as a network or a busy service may: late (`reminder_delays`, `{"POST": 2.0}`: the
seconds before the answer) or garbled (`reminder_garbled`, `{"POST"}`: a success whose body is
cut short), each named the same ways. Every request it gets is kept in `requests`.

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
        token = unquote(one.group(1)) if one is not None else None
        stand_in.calls[method] = stand_in.calls.get(method, 0) + 1
        # The ways a test names this call, the most particular first.
        names = (f"{method}#{stand_in.calls[method]}", f"{method} {token}", method)
        status = next((stand_in.reminder_failures[name] for name in names
                       if name in stand_in.reminder_failures), stand_in.reminder_status)
        if not 200 <= status < 300:
            return self.answer(status, {"code": "ERROR", "message": "Told to fail."})
        if one is None and method == "GET":
            alerts = [stand_in.alert(token) for token in list(stand_in.alerts)]
            return self.carried_out(names, 200, {"totalCount": str(len(alerts)),
                                                  "alerts": alerts, "links": None})
        if one is None:
            token = stand_in.hold(body)
            return self.carried_out(names, status, stand_in.receipt(token))
        if token not in stand_in.alerts:
            return self.answer(404, {"code": "NOT_FOUND", "message": "No such reminder."})
        if method == "DELETE":
            del stand_in.alerts[token]
            return self.carried_out(names, 200, {})
        if method == "PUT":
            stand_in.alerts[token] = body
            return self.carried_out(names, 200, stand_in.receipt(token))
        return self.carried_out(names, 200, stand_in.alert(token))

    def carried_out(self, names: tuple[str, ...], status: int, body) -> None:
        """The answer to a call already carried out: late, garbled, or as it should be."""
        stand_in = self.server.stand_in
        delay = next((stand_in.reminder_delays[name] for name in names
                      if name in stand_in.reminder_delays), 0.0)
        ends = time.monotonic() + delay
        # Short sleeps, not a timed wait on `released` (see `trickle`), ended early by reset().
        while time.monotonic() < ends and not stand_in.released.is_set():
            time.sleep(min(0.02, max(ends - time.monotonic(), 0)))
        if stand_in.reminder_garbled.intersection(names):
            whole = json.dumps(body).encode("utf-8")
            return self.send(status, whole[:max(len(whole) // 2, 1)],
                             {"Content-Type": "application/json"})
        self.answer(status, body)

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
        self.reminder_delays: dict[str, float] = {}
        self.reminder_garbled: set[str] = set()
        self.calls: dict[str, int] = {}  # reminder calls by method, since the reset
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

    def hold(self, body) -> str:
        """Hold a reminder (as created): its new alert token."""
        self.created += 1
        token = f"stand-in-reminder-{self.created}"
        self.alerts[token] = body
        return token

    def hold_daily(self, hour: int, minute: int = 0) -> str:
        """Hold a daily reminder at hour:minute, as the skill makes them (made in another session,
        or by a create whose answer never arrived): its alert token."""
        first = f"2024-01-01T{hour:02d}:{minute:02d}:00"
        return self.hold({
            "trigger": {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": first, "recurrence": {
                "startDateTime": first,
                "recurrenceRules": [f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};BYSECOND=0"]}},
            "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US",
                                                       "text": "Time to stretch."}]}},
            "pushNotification": {"status": "ENABLED"}})

    def rings_at(self) -> list[tuple[int, int]]:
        """When each reminder it holds rings, (hour, minute), oldest first."""
        found = []
        for body in self.alerts.values():
            recurrence = ((body or {}).get("trigger") or {}).get("recurrence") or {}
            rule = str((recurrence.get("recurrenceRules") or [""])[0])
            match = re.search(r"BYHOUR=(\d+);BYMINUTE=(\d+)", rule)
            found.append((int(match.group(1)), int(match.group(2))) if match else None)
        return found

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
