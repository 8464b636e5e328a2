"""A loopback TCP proxy between boto3 and moto that can spoil DynamoDB's answers, for the tests.

Requests go through untouched; what comes back depends on `mode`, read when each answer starts:

- "pass": as it came;
- "trickle": one byte every `interval` seconds, as from a network that keeps a connection alive
  but hardly moves (every read gets a byte in time, so botocore's read timeout never fires);
- "junk": bytes that are not HTTP, then the connection is closed.

Every loop is bounded: a trickle gives up after `trickle_for` seconds, each connection after
`lifetime`, and `stop()` (or leaving the `with` block) closes everything and ends every thread.
`trickling` counts the answers being trickled right now, so a test can see that the skill answered
while DynamoDB's answer was still on its way, without timing anything.
"""

from __future__ import annotations

import select
import socket
import threading
import time

from tests.moto_server import free_port

JUNK = b"\x00\xffnot http at all\r\n\r\n" * 8


class FaultProxy:
    def __init__(self, upstream_port: int, interval: float = 0.25, trickle_for: float = 6.0,
                 lifetime: float = 30.0):
        self.upstream_port = upstream_port
        self.interval = interval
        self.trickle_for = trickle_for
        self.lifetime = lifetime
        self.mode = "pass"
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.trickling = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._listener.settimeout(0.1)
        self._threads = [threading.Thread(target=self._accept, daemon=True)]
        self._threads[0].start()

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=2)
            with self._lock:
                self._sockets += [client, upstream]
            thread = threading.Thread(target=self._relay, args=(client, upstream), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        ends = time.monotonic() + self.lifetime
        try:
            while not self._stopped.is_set() and time.monotonic() < ends:
                ready, _, _ = select.select([client, upstream], [], [], 0.1)
                if client in ready:
                    data = client.recv(65536)
                    if not data:
                        return
                    upstream.sendall(data)
                if upstream in ready:
                    data = upstream.recv(65536)
                    if not data:
                        return
                    if not self._answer(client, data):
                        return
        except OSError:
            return
        finally:
            for end in (client, upstream):
                end.close()

    def _answer(self, client: socket.socket, data: bytes) -> bool:
        """Passes one chunk of an answer on, as the mode says. False: the connection is done."""
        mode = self.mode
        if mode == "pass":
            client.sendall(data)
            return True
        if mode == "junk":
            client.sendall(JUNK)
            return False
        with self._lock:
            self.trickling += 1
        try:
            gives_up = time.monotonic() + self.trickle_for
            for byte in range(len(data)):
                if self._stopped.wait(self.interval) or time.monotonic() > gives_up:
                    return False
                client.sendall(data[byte:byte + 1])
            return True
        finally:
            with self._lock:
                self.trickling -= 1

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for end in self._sockets:
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        for thread in list(self._threads):
            thread.join(timeout=2)
