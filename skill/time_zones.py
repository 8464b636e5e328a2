"""Device time zones remembered per container, so that a one-shot cramp request from a device seen
in the last hour is answered without a call to the Alexa Settings API.

A time zone is a device setting, not health information, but a device id is a personal
identifier: the cache is keyed by a hash of it, lives only in this container's memory (never in
the store) and is never logged. It is bounded (least recently used first out) and each entry is
kept an hour, so a person who changes their device's time zone is heard within the hour. A failed
lookup is remembered only briefly, so a slow or failing API is not asked on every request of a
burst, but a device is not left in the day voice for long.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from typing import Callable

KEPT_SECONDS = 3600.0
FAILURE_KEPT_SECONDS = 60.0
MAX_ENTRIES = 1024
# What `get` returns for a device whose lookup failed lately: ask again only after a while.
FAILED = ""


def _key(device_id: str) -> bytes:
    return hashlib.sha256(device_id.encode("utf-8", "surrogatepass")).digest()


class TimeZoneCache:
    """Device id -> time zone name, for `ttl` seconds; `clock` is injectable for tests."""

    def __init__(self, ttl: float = KEPT_SECONDS, failure_ttl: float = FAILURE_KEPT_SECONDS,
                 max_entries: int = MAX_ENTRIES, clock: Callable[[], float] = time.monotonic):
        self.ttl, self.failure_ttl, self.max_entries = ttl, failure_ttl, max_entries
        self.clock = clock
        self._entries: OrderedDict[bytes, tuple[float, str]] = OrderedDict()
        # The SDK serves one request at a time on Lambda; the web service may use threads.
        self._lock = threading.Lock()

    def get(self, device_id: str) -> str | None:
        """The device's time zone; FAILED if its lookup failed lately; None if not known."""
        key, now = _key(device_id), self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            expires, name = entry
            if now >= expires:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return name

    def put(self, device_id: str, name: str) -> None:
        """Remember a time zone the API gave (a name), or a failure (FAILED)."""
        ttl = self.ttl if name else self.failure_ttl
        if ttl <= 0:
            return
        key = _key(device_id)
        with self._lock:
            self._entries[key] = (self.clock() + ttl, name)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# The container's one cache.
TIME_ZONES = TimeZoneCache()
