"""Where remembered attributes are kept: ASK SDK persistence adapters with versioned writes.

Both stores keep one item per Alexa user, keyed by a hash of the user id (the table never holds
the id itself), with a version number and an expiry a year after the last write.

The attributes dict exchanged with the SDK carries the item's version under `VERSION`:
`get_attributes` returns the stored version (0 when there is no item), and `save_attributes`
is given the version being written, and writes only if the stored one is the version before it.
Otherwise it raises `StaleWrite` holding what is stored now, so that the caller can re-apply its
change on top of that (two devices of one person never silently overwrite each other).

A version number that is not a whole number (damaged by hand or by another program) would refuse
every write for ever: such an item reads as empty at version 0, with the damaged value under
`REPLACES`, and a write of version 1 that carries it replaces the item only if that exact damaged
value is still there.

- `DynamoDbStore` (Lambda, env `TABLE_NAME`): boto3 is imported and its client created on the
  first call, never at import, so a request that touches no state never pays for it. All the
  store calls of one request share a budget (`within_budget`, env `DYNAMODB_BUDGET`), so a slow
  or trickling DynamoDB costs a request at most that, whatever botocore's per-read timeouts do.
  Writes touch only the item attributes this version owns (UpdateItem), so attributes a newer
  version added survive; attributes in a format it cannot read are never written over.
- `SqliteStore` (local, no `TABLE_NAME`): one file in a data folder (env `DATA_DIR`, `./data` by
  default), so `make chat` remembers between runs with no server.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import math
import os
import select
import threading
import time
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

VERSION = "version"
# The damaged version a write of version 1 may replace (see the module's docstring).
REPLACES = "replaces_version"
TTL_ATTRIBUTE = "expires_at"   # template.yaml's TimeToLiveSpecification names it too
ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
# Per connect and per socket read, with one retry. A read timeout is per read, so an answer that
# trickles in a byte at a time never trips it: the budget below is what bounds a request.
DEFAULT_TIMEOUT_SECONDS = 0.8
# All the DynamoDB calls of one request together (the read and the write, a conflict's retry):
# at most this, leaving the answer most of Lambda's 7 seconds and Alexa's 8.
DEFAULT_BUDGET_SECONDS = 1.5
# DynamoDB calls still running after their request gave up on them; past this, calls fail at
# once rather than pile up threads while DynamoDB is stuck.
MAX_CALLS_IN_FLIGHT = 8

# The deadline shared by the store calls of the request being answered (`within_budget`).
_REQUEST_DEADLINE = contextvars.ContextVar("store_request_deadline", default=None)


def whole(value: Any) -> int | None:
    """`value` if it is a whole number, 0 or more (and not a bool, which is an int to Python),
    else None: for numbers that come back from a store or from session attributes, which travel
    through Alexa and may be damaged."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


class OutOfTime(TimeoutError):
    """A store call did not finish within the request's budget. It may still land later: writes
    are conditional, so a late one never overwrites anything newer."""


class UnreadableItem(Exception):
    """The item's attributes are in a format this version cannot read (a newer one's): rather
    than write over them, the request goes on without what is remembered."""


@contextlib.contextmanager
def within_budget(deadline_holder: dict):
    """Store calls made inside share the deadline kept in `deadline_holder` (one dict per
    request): the first call sets it, from its store's budget."""
    token = _REQUEST_DEADLINE.set(deadline_holder)
    try:
        yield
    finally:
        _REQUEST_DEADLINE.reset(token)


class StaleWrite(Exception):
    """The item changed since it was read. `current` is what is stored now, with its version."""

    def __init__(self, current: dict):
        super().__init__(f"stored version is {current.get(VERSION)}")
        self.current = current


def user_key(request_envelope) -> str:
    """A stable key for the person, without keeping their Alexa user id."""
    user_id = None
    for holder in (getattr(request_envelope, "context", None),
                   getattr(request_envelope, "session", None)):
        holder = getattr(holder, "system", holder)
        user_id = getattr(getattr(holder, "user", None), "user_id", None)
        if user_id:
            break
    if not isinstance(user_id, str) or not user_id:
        raise LookupError("the request names no user")
    return hashlib.sha256(user_id.encode("utf-8")).hexdigest()


def _decode(raw: Any, version: Any, damaged: Any = None) -> dict:
    """Stored text back to attributes; a damaged item reads as empty but keeps its version, so a
    conditional write still lines up with it. A damaged version (`whole` refuses it) makes the
    item unreadable: empty, at version 0, carrying the damaged value to replace."""
    if whole(version) is None or version < 1:
        # `damaged`: the version as the store holds it, when that is not `version` itself.
        return {VERSION: 0, REPLACES: version if damaged is None else damaged}
    try:
        attributes = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        attributes = {}
    if not isinstance(attributes, dict):
        attributes = {}
    attributes.pop(REPLACES, None)
    attributes[VERSION] = version
    return attributes


def _encode(attributes: dict) -> tuple[str, int, Any]:
    """The text to store, the version to write and the damaged version it replaces (or None)."""
    body = {name: value for name, value in attributes.items() if name not in (VERSION, REPLACES)}
    version = attributes.get(VERSION)
    if whole(version) is None or version < 1:
        raise ValueError(f"a write needs a version of at least 1, not {version!r}")
    replaces = attributes.get(REPLACES) if version == 1 else None
    return json.dumps(body, sort_keys=True, separators=(",", ":")), version, replaces


class DynamoDbStore(AbstractPersistenceAdapter):
    """Items: `id` (hash key), `version`, `attributes` (JSON text), `expires_at` (the TTL). Other
    item attributes (a newer version's) are left as they are."""

    def __init__(self, table_name: str, timeout: float | None = None,
                 budget: float | None = None, clock=time.time):
        self.table_name = table_name
        self.timeout = timeout if timeout is not None else float(
            os.environ.get("DYNAMODB_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
        self.budget = budget if budget is not None else float(
            os.environ.get("DYNAMODB_BUDGET", DEFAULT_BUDGET_SECONDS))
        self.clock = clock
        self._client = None
        self._client_lock = threading.Lock()
        self._in_flight = threading.BoundedSemaphore(MAX_CALLS_IN_FLIGHT)

    @property
    def client(self):
        with self._client_lock:
            if self._client is None:
                # Imported here, not at the top: boto3 costs about 100 ms and the mid-cramp
                # answer never needs it.
                import boto3
                from botocore.config import Config

                self._client = boto3.client("dynamodb", config=Config(
                    connect_timeout=self.timeout, read_timeout=self.timeout,
                    retries={"total_max_attempts": 2, "mode": "standard"}))
        return self._client

    def _bounded(self, call, *args):
        """`call(*args)` within what is left of the request's budget.

        botocore bounds each connect and each socket read, not a whole call: an answer trickled
        a byte at a time, retries and their back-off, or a stalled credential lookup can each
        take far longer. Reaching into its HTTP layer for a deadline would depend on urllib3's
        internals; a worker thread waited on with a timeout bounds everything the call does,
        whatever botocore version runs it. The cost is a thread per call (tens of microseconds
        beside a network round trip), and a call given up on runs on until botocore's own
        timeouts or the server end it: it is counted, and past MAX_CALLS_IN_FLIGHT calls fail at
        once. A write that lands after it was given up on is still conditional on the version
        it read, so it can never overwrite a newer one."""
        holder = _REQUEST_DEADLINE.get()
        if holder is None:
            holder = {}
        if holder.get("deadline") is None:
            holder["deadline"] = time.monotonic() + self.budget
        left = holder["deadline"] - time.monotonic()
        if left <= 0:
            raise OutOfTime(f"this request's DynamoDB budget of {self.budget} s is spent")
        if not self._in_flight.acquire(blocking=False):
            raise OutOfTime(f"{MAX_CALLS_IN_FLIGHT} DynamoDB calls are still running")
        outcome: dict = {}
        finished_r, finished_w = os.pipe()

        def run():
            try:
                outcome["value"] = call(*args)
            except BaseException as error:   # handed to the caller, who decides
                outcome["error"] = error
            finally:
                self._in_flight.release()
                try:
                    os.write(finished_w, b".")
                except OSError:
                    pass  # given up on: nobody is waiting any more
                os.close(finished_w)

        worker = threading.Thread(target=run, name="dynamodb-call", daemon=True)
        worker.start()
        # Waited on with select rather than worker.join(left): under libfaketime (the suite runs
        # under it, at 03:00 and 15:00) a timed lock wait overruns its timeout for as long as
        # another thread is blocked in a socket read, while select keeps its own.
        try:
            finished, _, _ = select.select([finished_r], [], [], left)
        finally:
            os.close(finished_r)
        if not finished:
            raise OutOfTime(f"DynamoDB did not answer within this request's budget of "
                            f"{self.budget} s")
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        return outcome.get("value")

    def _key(self, request_envelope) -> dict:
        return {"id": {"S": user_key(request_envelope)}}

    def _attributes(self, item: dict | None) -> dict:
        if not item:
            return {VERSION: 0}
        raw_version = item.get("version")
        try:
            version = int(raw_version["N"])
        except (KeyError, TypeError, ValueError):
            version = None
        # "2.5" fails int(); "-2" and "0" pass it and are refused by `_decode`.
        attributes = item.get("attributes")
        if attributes is not None and "S" not in attributes:
            raise UnreadableItem(f"stored attributes are a {sorted(attributes)} value")
        text = attributes.get("S") if attributes else None
        if self._expired(item.get(TTL_ATTRIBUTE)):
            # DynamoDB's TTL sweep may come days later: until then, an expired item is absent,
            # at its version, as in SQLite.
            text = None
        # A missing version is damaged too: {} stands for "no version attribute".
        return _decode(text, version, damaged={} if raw_version is None else raw_version)

    def _expired(self, raw: Any) -> bool:
        try:
            expires_at = float(raw["N"])
        except (KeyError, TypeError, ValueError):
            return False
        return math.isfinite(expires_at) and expires_at < self.clock()

    def get_attributes(self, request_envelope) -> dict:
        return self._bounded(self._get, self._key(request_envelope))

    def _get(self, key: dict) -> dict:
        answer = self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True)
        return self._attributes(answer.get("Item"))

    def save_attributes(self, request_envelope, attributes) -> None:
        self._bounded(self._save, self._key(request_envelope), attributes)

    def _save(self, key: dict, attributes: dict) -> None:
        body, version, replaces = _encode(attributes)
        names = {"#version": "version", "#attributes": "attributes",
                 "#expires": TTL_ATTRIBUTE}
        values = {":version": {"N": str(version)}, ":attributes": {"S": body},
                  ":expires": {"N": str(int(self.clock()) + ONE_YEAR_SECONDS)}}
        if version > 1:
            condition = "#version = :previous"
            values[":previous"] = {"N": str(version - 1)}
        elif isinstance(replaces, dict) and replaces:
            # Exactly the damaged value that was read: if anyone replaced it first, this fails.
            condition = "#version = :damaged"
            values[":damaged"] = replaces
        elif replaces == {}:
            condition = "attribute_exists(id) AND attribute_not_exists(#version)"
        else:
            condition = "attribute_not_exists(id)"
        client = self.client
        try:
            # UpdateItem, not PutItem: only the attributes this version owns are written.
            client.update_item(
                TableName=self.table_name, Key=key, ConditionExpression=condition,
                UpdateExpression="SET #version = :version, #attributes = :attributes, "
                                 "#expires = :expires",
                ExpressionAttributeNames=names, ExpressionAttributeValues=values,
                ReturnValuesOnConditionCheckFailure="ALL_OLD")
        except client.exceptions.ConditionalCheckFailedException as error:
            item = error.response.get("Item")
            if item is None:
                item = client.get_item(TableName=self.table_name, Key=key,
                                       ConsistentRead=True).get("Item")
            raise StaleWrite(self._attributes(item)) from None

    def delete_attributes(self, request_envelope) -> None:
        key = self._key(request_envelope)
        self._bounded(lambda: self.client.delete_item(TableName=self.table_name, Key=key))


class SqliteStore(AbstractPersistenceAdapter):
    """The same items in one SQLite file: for `make chat` and the tests, not for Lambda."""

    def __init__(self, path: Path, clock=time.time):
        self.path = Path(path)
        self.clock = clock
        self._connection = None
        self._lock = threading.Lock()

    @property
    def connection(self):
        if self._connection is None:
            import sqlite3

            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, isolation_level=None,
                                         check_same_thread=False, timeout=5)
            # Write-ahead logging without a sync per commit: a local development store, where a
            # step's write should cost microseconds, not a disk flush.
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("CREATE TABLE IF NOT EXISTS memory (id TEXT PRIMARY KEY, "
                               "version INTEGER NOT NULL, attributes TEXT NOT NULL, "
                               "expires_at INTEGER NOT NULL)")
            connection.execute("DELETE FROM memory WHERE expires_at < ?", (int(self.clock()),))
            self._connection = connection
        return self._connection

    def _read(self, key: str) -> dict:
        row = self.connection.execute(
            "SELECT version, attributes, expires_at FROM memory WHERE id = ?", (key,)).fetchone()
        if row is None:
            return {VERSION: 0}
        version, raw, expires_at = row
        # An expired row reads as empty but keeps its version, as DynamoDB's TTL does until its
        # sweep comes by.
        return _decode(raw if expires_at >= self.clock() else None, version)

    def get_attributes(self, request_envelope) -> dict:
        with self._lock:
            return self._read(user_key(request_envelope))

    def save_attributes(self, request_envelope, attributes) -> None:
        body, version, replaces = _encode(attributes)
        key = user_key(request_envelope)
        expires_at = int(self.clock()) + ONE_YEAR_SECONDS
        with self._lock:
            if replaces is not None:
                # Exactly the damaged value that was read: if anyone replaced it first, this
                # finds nothing to update.
                written = self.connection.execute(
                    "UPDATE memory SET version = ?, attributes = ?, expires_at = ? "
                    "WHERE id = ? AND version = ?",
                    (version, body, expires_at, key, replaces)).rowcount
            elif version == 1:
                written = self.connection.execute(
                    "INSERT INTO memory (id, version, attributes, expires_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING", (key, version, body, expires_at)).rowcount
            else:
                written = self.connection.execute(
                    "UPDATE memory SET version = ?, attributes = ?, expires_at = ? "
                    "WHERE id = ? AND version = ?",
                    (version, body, expires_at, key, version - 1)).rowcount
            if not written:
                raise StaleWrite(self._read(key))

    def delete_attributes(self, request_envelope) -> None:
        key = user_key(request_envelope)
        with self._lock:
            self.connection.execute("DELETE FROM memory WHERE id = ?", (key,))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def from_environment() -> AbstractPersistenceAdapter:
    """DynamoDB when `TABLE_NAME` is set (Lambda), otherwise the local SQLite file. Nothing is
    opened or imported until the first read or write."""
    table_name = os.environ.get("TABLE_NAME")
    if table_name:
        return DynamoDbStore(table_name)
    return SqliteStore(Path(os.environ.get("DATA_DIR") or "data") / "memory.sqlite3")
