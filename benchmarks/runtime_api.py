"""A loopback stand-in for the Lambda Runtime API, which `awslambdaric` polls as it polls Lambda's.

The runtime client asks for the next invocation (`GET /2018-06-01/runtime/invocation/next`, a
long poll) and posts each answer (`.../invocation/{id}/response` or `.../{id}/error`); an init
failure goes to `/runtime/init/error`. Under SnapStart (`AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`)
the client runs the before-snapshot hooks, then waits on `/runtime/restore/next` until the
"restore" (here: `restore()`), then runs the after-restore hooks.

Every moment is stamped with `time.perf_counter()` in this process, so the benchmark can tell
process start, ready, and each invocation's time from the event handed over to its answer.
"""

from __future__ import annotations

import json
import queue
import threading
import time
import uuid

from localdev.loopback import KeptAliveHandler, LoopbackServer

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:leg-cramp-helper:live"


class _Handler(KeptAliveHandler):
    server: LoopbackServer

    def do_GET(self):
        stand_in = self.server.stand_in
        if self.path == f"{PREFIX}/invocation/next":
            return stand_in._next(self)
        if self.path == f"{PREFIX}/restore/next":
            stand_in.restore_asked_at = time.perf_counter()
            stand_in.restore_asked.set()
            stand_in._restored.wait()
            return self.answer(200, b"")
        return self.answer(404, b"{}")

    def do_POST(self):
        arrived = time.perf_counter()
        stand_in = self.server.stand_in
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(202, b"{}")
        parts = self.path[len(PREFIX):].strip("/").split("/")
        if parts[:1] == ["invocation"] and len(parts) == 3:
            stand_in._answers.put((parts[1], parts[2], body, arrived))
        elif parts in (["init", "error"], ["restore", "error"]):
            stand_in.errors.append((self.path, body.decode("utf-8", "replace")))
            stand_in._answers.put((None, "error", body, arrived))

    def answer(self, status: int, body: bytes, headers: dict | None = None) -> None:
        self.send(status, body, headers)


class RuntimeApiStandIn:
    def __init__(self):
        self._server = LoopbackServer(_Handler, self, "runtime-api-stand-in")
        self._thread = self._server.thread
        self._events: queue.Queue = queue.Queue()
        self._answers: queue.Queue = queue.Queue()
        self._sent: dict[str, float] = {}
        self._restored = threading.Event()
        self.ready = threading.Event()  # the first GET .../invocation/next
        self.ready_at: float | None = None
        self.restore_asked = threading.Event()
        self.restore_asked_at: float | None = None
        self.restored_at: float | None = None
        self.errors: list[tuple[str, str]] = []

    @property
    def address(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def _next(self, request: _Handler) -> None:
        if self.ready_at is None:
            self.ready_at = time.perf_counter()
            self.ready.set()
        event = self._events.get()
        if event is None:  # closing: the runtime client gets an error and its process ends
            return request.answer(500, b"{}")
        invoke_id = str(uuid.uuid4())
        body = json.dumps(event).encode("utf-8")
        deadline = int((time.time() + 7) * 1000)
        headers = {"Content-Type": "application/json",
                   "Lambda-Runtime-Aws-Request-Id": invoke_id,
                   "Lambda-Runtime-Deadline-Ms": str(deadline),
                   "Lambda-Runtime-Invoked-Function-Arn": FUNCTION_ARN,
                   "Lambda-Runtime-Trace-Id": f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]}"}
        self._sent[invoke_id] = time.perf_counter()
        request.answer(200, body, headers)

    def restore(self) -> None:
        """Let a SnapStart client go on from `/restore/next`: the snapshot is "restored"."""
        self.restored_at = time.perf_counter()
        self._restored.set()

    def invoke(self, event: dict, timeout: float = 30) -> tuple[dict, float]:
        """Hand `event` to the function; its answer and the milliseconds from the event handed
        over to the answer posted. Raises RuntimeError for an error answer."""
        self._events.put(event)
        invoke_id, kind, body, arrived = self._answers.get(timeout=timeout)
        if kind != "response":
            raise RuntimeError(f"the function failed: {body.decode('utf-8', 'replace')}")
        return json.loads(body), (arrived - self._sent.pop(invoke_id)) * 1000

    def start(self) -> RuntimeApiStandIn:
        self._thread.start()
        return self

    def close(self) -> None:
        self._restored.set()
        self._events.put(None)
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> RuntimeApiStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
