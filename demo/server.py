"""The demo page's web server: loopback only, the standard library's HTTP server.

    GET  /                          the page (demo/static/)
    GET  /vendor/apl-viewhost-web.js Amazon's APL renderer for the web, from node_modules
    POST /api/talks                 a new person: {"settings": {...}} -> {"talk": id, ...}
    POST /api/talks/<id>/say        {"words": "...", "skipped": seconds} -> the answer
    POST /api/talks/<id>/end        {"reason": "EXCEEDED_MAX_REPROMPTS", "skipped": seconds}
    POST /api/talks/<id>/settings   {"locale": ..., "time": ..., "screen": ..., "clinic": ...}

Nothing leaves the machine: the server listens on 127.0.0.1 and calls nothing but the skill and
the local stand-in for Alexa's APIs, and every page it serves carries a Content-Security-Policy
that lets the browser connect, load fonts and images only from this server (Amazon's renderer
would otherwise fetch its fonts from Amazon's CDN). Requests must name this server as their host
(no DNS rebinding) and come from its own pages (no cross-site requests).
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable

from localdev.api_stand_in import AlexaApiStandIn

from demo.talk import LOCALES, TIMES, Settings, Talk

ROOT = Path(__file__).resolve().parent.parent
STATIC = Path(__file__).resolve().parent / "static"
RENDERER = ROOT / "node_modules" / "apl-viewhost-web" / "index.js"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}
# The renderer is WebAssembly inlined in JavaScript that evaluates code: it needs both evals.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
])
MAX_TALKS = 32
MAX_BODY = 16 * 1024
# The renderer's @font-face rules name Amazon's fonts on Amazon's CDN (`url('https://.../
# AmazonEmberDisplay_Bd.ttf')`). They are Amazon's to publish, not ours to ship: each becomes
# the same face looked up on this computer, then the nearest common ones.
_FONT_URL = re.compile(r"url\('https://[^')]+/([A-Za-z_-]+)\.ttf'\)")
_SANS = ("Amazon Ember Display", "Helvetica Neue", "Arial", "Liberation Sans", "DejaVu Sans")
_SERIF = ("Bookerly", "Georgia", "Liberation Serif", "DejaVu Serif")


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, handler: Callable[[dict, Any], dict],
                 clinic: dict[str, str] | None = None, host: str = "127.0.0.1"):
        super().__init__((host, port), _Handler)
        self.handler = handler
        self.clinic = dict(clinic or {})
        self.alexa_api = AlexaApiStandIn(time_zone="UTC").start()
        self.talks: OrderedDict[str, Talk] = OrderedDict()
        self.talks_lock = threading.Lock()
        self.pages = {"/" if path.name == "index.html" else f"/{path.name}": path
                      for path in STATIC.iterdir() if path.suffix in TYPES}

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def hosts(self) -> set[str]:
        port = self.server_address[1]
        return {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}

    def new_talk(self, settings: Settings) -> tuple[str, Talk]:
        import secrets

        talk = Talk(self.alexa_api, self.handler, clinic=self.clinic, settings=settings)
        key = secrets.token_urlsafe(12)
        with self.talks_lock:
            self.talks[key] = talk
            while len(self.talks) > MAX_TALKS:
                self.talks.popitem(last=False)
        return key, talk

    def talk(self, key: str) -> Talk | None:
        with self.talks_lock:
            talk = self.talks.get(key)
            if talk is not None:
                self.talks.move_to_end(key)
            return talk

    def server_close(self) -> None:
        super().server_close()
        self.alexa_api.close()


class _Handler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"

    # --- GET ---------------------------------------------------------------------------------

    def do_GET(self):
        if not self._from_here():
            return
        path = self.path.split("?", 1)[0]
        if path == "/vendor/apl-viewhost-web.js":
            if not RENDERER.exists():
                return self._send(404, b"Amazon's APL renderer is not installed: run npm ci.",
                                  "text/plain; charset=utf-8")
            return self._send(200, renderer_script(), TYPES[".js"], cache="max-age=86400")
        page = self.server.pages.get(path)
        if page is None:
            return self._send(404, b"Not found.", "text/plain; charset=utf-8")
        self._send(200, page.read_bytes(), TYPES[page.suffix])

    # --- POST --------------------------------------------------------------------------------

    def do_POST(self):
        if not self._from_here(post=True):
            return
        body = self._json_body()
        if body is None:
            return
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if parts == ["api", "talks"]:
            settings = Settings.read(body.get("settings") or {})
            key, talk = self.server.new_talk(settings)
            return self._json(200, {"talk": key, "settings": talk.describe(),
                                    "locales": LOCALES, "times": list(TIMES),
                                    "renderer": RENDERER.exists()})
        if len(parts) != 4 or parts[:2] != ["api", "talks"]:
            return self._json(404, {"error": "No such API here."})
        talk = self.server.talk(parts[2])
        if talk is None:
            return self._json(404, {"error": "This conversation is over: start again."})
        skipped = _seconds(body.get("skipped"))
        if parts[3] == "say":
            words = body.get("words")
            if not isinstance(words, str) or not words.strip():
                return self._json(400, {"error": "Say something."})
            return self._json(200, talk.say(words, skipped))
        if parts[3] == "end":
            reason = body.get("reason")
            if reason not in ("USER_INITIATED", "EXCEEDED_MAX_REPROMPTS"):
                reason = "USER_INITIATED"
            return self._json(200, talk.end(reason, skipped))
        if parts[3] == "settings":
            return self._json(200, talk.change(Settings.read(body, talk.settings)))
        return self._json(404, {"error": "No such API here."})

    # --- helpers -----------------------------------------------------------------------------

    def _from_here(self, post: bool = False) -> bool:
        """Only requests addressed to this server, and posts from its own pages."""
        refusal = None
        if self.headers.get("Host") not in self.server.hosts:
            refusal = 421, "Not this server."
        origin = self.headers.get("Origin")
        if post and origin is not None and origin.removeprefix("http://") not in self.server.hosts:
            refusal = refusal or (403, "Not from this page.")
        if refusal is None:
            return True
        status, message = refusal
        if post:
            self._json(status, {"error": message})
        else:
            self._send(status, message.encode(), "text/plain; charset=utf-8")
        return False

    def _json_body(self) -> dict | None:
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            self._json(415, {"error": "Send JSON."})
            return None
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self._json(413, {"error": "Too long."})
            return None
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self._json(400, {"error": "Send a JSON object."})
            return None
        return body

    def _json(self, status: int, body: dict) -> None:
        self._send(status, json.dumps(body).encode("utf-8"), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, cache: str = "no-store") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            self.wfile.write(body)
        except ConnectionError:
            pass  # the page was closed or reloaded

    def log_message(self, format, *args):
        pass


@functools.lru_cache(maxsize=1)
def renderer_script() -> bytes:
    """Amazon's APL renderer for the web, with its fonts looked up on this computer."""
    return _FONT_URL.sub(_local_fonts, RENDERER.read_text(encoding="utf-8")).encode("utf-8")


def _local_fonts(match: re.Match) -> str:
    name = match.group(1)
    families = _SERIF if name.startswith("Bookerly") else _SANS
    style = " ".join(word for word, found in (
        ("Bold", any(mark in name for mark in ("Bold", "_Bd", "_He"))),
        ("Italic", "Italic" in name)) if found)
    return ", ".join(f"local('{family}{' ' + style if style else ''}')" for family in families)


def _seconds(value: Any) -> float:
    """Seconds the person skipped ahead: a number from 0 to an hour, else 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return min(max(float(value), 0.0), 3600.0)
