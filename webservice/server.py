"""The development server of `make serve`: the standard library's WSGI server, one thread per
connection, each connection's socket given a timeout, so that a client that connects and then
says nothing (a half-open connection, a slow or stalled client) holds only its own thread, and
that only for a while. For production traffic use a production WSGI server
(docs/web-service.md)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from webservice.app import ConfigurationError, SkillWebService

# Seconds a connection may wait for each read or write. Alexa sends a request of a few kilobytes
# at once; a client silent this long has gone or never meant to speak.
SOCKET_TIMEOUT_SECONDS = 10

logger = logging.getLogger("leg_cramp_helper.web")


class _Handler(WSGIRequestHandler):
    timeout = SOCKET_TIMEOUT_SECONDS  # set on the connection's socket before it is read

    def log_message(self, *args):  # every request already has its JSON line
        pass


class DevelopmentServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # Stopping does not wait for stalled clients: each gives up at its timeout anyway.
    block_on_close = False

    def handle_error(self, request, client_address):
        """A client that timed out or hung up: one line, not a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            logger.info("a connection ended before its request did: %s", error)
        else:
            super().handle_error(request, client_address)


def make_server(host: str, port: int, app) -> DevelopmentServer:
    server = DevelopmentServer((host, port), _Handler)
    server.set_app(app)
    return server


def main(argv: list[str] | None = None) -> None:
    """`python -m webservice` (`make serve`)."""
    parser = argparse.ArgumentParser(
        prog="python -m webservice",
        description="The skill as a web service on the development server (make serve).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    options = parser.parse_args(argv)
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        app = SkillWebService()
    except ConfigurationError as error:
        parser.exit(2, f"{error}\n")
    with make_server(options.host, options.port, app) as server:
        logger.info("serving the skill on http://%s:%d/ (verification %s)", options.host,
                    server.server_port, "on" if app.verify else "OFF")
        server.serve_forever()

