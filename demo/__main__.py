"""`python -m demo [--port 8000]`: serve the demo page on http://127.0.0.1:8000/ (`make demo`)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile

from demo.talk import CLINIC_VARIABLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Try Leg Cramp Helper in a browser, as on an Echo: offline, on this machine.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000),
                        help="the port on 127.0.0.1 (default: 8000, or PORT)")
    args = parser.parse_args(argv)

    # The skill's JSON line per request is for CloudWatch, not for a demo.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # What the skill remembers lasts as long as the demo runs, unless DATA_DIR says where.
    scratch = None
    if not os.environ.get("TABLE_NAME") and not os.environ.get("DATA_DIR"):
        scratch = tempfile.TemporaryDirectory(prefix="leg-cramp-demo-")
        os.environ["DATA_DIR"] = scratch.name
    # The clinic's details as the deployment would set them; the page switches them on and off.
    clinic = {name: os.environ[name] for name in CLINIC_VARIABLES if os.environ.get(name)}

    from demo.server import DemoServer
    from skill.app import handler  # loading the skill is the slow part: before the first visit

    try:
        server = DemoServer(args.port, handler, clinic=clinic)
    except OSError as error:
        parser.exit(2, f"error: cannot listen on 127.0.0.1:{args.port}: {error.strerror}. "
                       "Choose another port: make demo PORT=8001\n")
    print(f"Leg Cramp Helper demo: {server.url}  (Ctrl-C to stop)", flush=True)
    # Stopped by a signal as by Ctrl-C: the stand-in and the scratch folder go with it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print()
    finally:
        server.server_close()
        if scratch is not None:
            scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
