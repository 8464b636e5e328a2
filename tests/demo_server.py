"""The demo page's server (demo/server.py) on a free loopback port, for the tests, answering
through the real Lambda entry point."""

from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from demo.server import DemoServer


@contextlib.contextmanager
def running_demo() -> Iterator[DemoServer]:
    from skill.app import handler

    server = DemoServer(0, handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
