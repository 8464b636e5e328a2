"""ASK SDK persistence adapters: one item per person, written only over the version read
(docs/remembering.md). DynamoDB on Lambda (`TABLE_NAME`), else a local SQLite file (`DATA_DIR`)."""

from __future__ import annotations

import hashlib
import json
import os
import select
import threading
import time
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

VERSION = "version"
TTL_ATTRIBUTE = "expires_at"   # template.yaml's TimeToLiveSpecification names it too
ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
MAX_ABANDONED_CALLS = 8        # DynamoDB calls given up on, still running: past it, fail at once


def whole(value) -> int | None:
    """`value` if it is a whole number, 0 or more (not a bool), else None."""
    return value if type(value) is int and value >= 0 else None


class StaleWrite(Exception):
    """The item is not at the version read. `current`: what is stored now, with its version."""

    def __init__(self, current: dict):
        super().__init__(f"stored version is {current[VERSION]!r}")
        self.current = current


def user_key(request_envelope) -> str:
    """A stable key for the person, without keeping their Alexa user id."""
    for holder in (request_envelope.context, request_envelope.session):
        user = getattr(getattr(holder, "system", holder), "user", None)
        if isinstance(getattr(user, "user_id", None), str) and user.user_id:
            return hashlib.sha256(user.user_id.encode("utf-8")).hexdigest()
    raise LookupError("the request names no user")


class _Store(AbstractPersistenceAdapter):
    """Attributes carry the version read under VERSION: 0 (no item), a whole number, or
    {"damaged": <as stored>}. Saving sets it to the version written, or raises StaleWrite."""

    def __init__(self, clock=time.time):
        self.clock = clock

    def get_attributes(self, request_envelope) -> dict:
        record = self._fetch(request_envelope, user_key(request_envelope))
        if record is None:
            return {VERSION: 0}
        version, text, expires_at = record
        try:   # expired (the TTL sweep comes days later) or damaged: empty, at its version
            alive = whole(version) and (expires_at is None or float(expires_at) >= self.clock())
            attributes = json.loads(text) if alive else {}
        except (TypeError, ValueError):
            attributes = {}
        return {**(attributes if isinstance(attributes, dict) else {}), VERSION: version}

    def save_attributes(self, request_envelope, attributes) -> None:
        read, version = attributes.get(VERSION, 0), (whole(attributes.get(VERSION)) or 0) + 1
        text = json.dumps({name: value for name, value in attributes.items() if name != VERSION},
                          sort_keys=True, separators=(",", ":"))
        if not self._write(request_envelope, user_key(request_envelope), read, version, text,
                           int(self.clock()) + ONE_YEAR_SECONDS):
            raise StaleWrite(self.get_attributes(request_envelope))
        attributes[VERSION] = version

    def delete_attributes(self, request_envelope) -> None:
        self._remove(request_envelope, user_key(request_envelope))


class DynamoDbStore(_Store):
    """Items: `id`, `version`, `attributes` (JSON text), `expires_at`. UpdateItem sets only these,
    so attributes a newer version added survive. A request's calls share `DYNAMODB_BUDGET`."""

    def __init__(self, table_name: str, timeout: float = 0.0, budget: float = 0.0,
                 clock=time.time):
        super().__init__(clock)
        self.table_name, self._client, self._lock = table_name, None, threading.Lock()
        self.given_up = f"DynamoDB call given up on by store {id(self):x}"   # a thread's name
        self.timeout = timeout or float(os.environ.get("DYNAMODB_TIMEOUT", 0.8))
        self.budget = budget or float(os.environ.get("DYNAMODB_BUDGET", 1.5))

    @property
    def client(self):
        with self._lock:
            if self._client is None:   # boto3 costs ~100 ms: never on the mid-cramp path
                import boto3
                from botocore.config import Config

                self._client = boto3.client("dynamodb", config=Config(
                    connect_timeout=self.timeout, read_timeout=self.timeout,
                    retries={"total_max_attempts": 2, "mode": "standard"}))
        return self._client

    def _call(self, request_envelope, operation: str, **arguments) -> dict:
        """On a thread, waited for until the request's budget is spent: botocore's timeouts are per
        read, and an answer can trickle in. A poll, as a timed lock wait overruns under faketime."""
        deadline = vars(request_envelope).setdefault("_dynamodb_deadline",
                                                     time.monotonic() + self.budget)
        stuck = sum(thread.name == self.given_up for thread in threading.enumerate())
        if stuck >= MAX_ABANDONED_CALLS or deadline <= time.monotonic():
            raise TimeoutError(f"DynamoDB is stuck, or this request's budget of {self.budget} s "
                               "is spent")
        call, (finished, done) = {}, os.pipe()

        def run():
            try:
                call["answer"] = getattr(self.client, operation)(TableName=self.table_name,
                                                                 **arguments)
            except Exception as error:
                call["error"] = error
            finally:
                os.close(done)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        waiting = select.poll()
        waiting.register(finished, select.POLLIN)
        answered = waiting.poll(max(0.0, deadline - time.monotonic()) * 1000)
        os.close(finished)
        if not answered:
            worker.name = self.given_up   # counted until botocore's timeouts end it
            raise TimeoutError(f"DynamoDB did not answer within this request's budget of "
                               f"{self.budget} s")
        if "error" in call:
            raise call["error"]
        return call["answer"]

    def _fetch(self, request_envelope, key: str) -> tuple | None:
        item = self._call(request_envelope, "get_item", Key={"id": {"S": key}},
                          ConsistentRead=True).get("Item")
        if item is None:
            return None
        if item.get("attributes", {"S": ""}).keys() != {"S"}:   # a newer version's: left as is
            raise ValueError("the item's attributes are in a format this version cannot read")
        number = item.get("version", {}).get("N", "")
        return (int(number) if number.isdecimal() and int(number) else
                {"damaged": item.get("version")},
                item.get("attributes", {}).get("S"), item.get(TTL_ATTRIBUTE, {}).get("N"))

    def _write(self, request_envelope, key, read, version, text, expires_at) -> bool:
        values = {":version": {"N": str(version)}, ":text": {"S": text},
                  ":expires": {"N": str(expires_at)}}
        condition = "attribute_not_exists(id)"
        if isinstance(read, dict):   # damaged: replaced only while it is still there
            condition = "attribute_exists(id) AND (attribute_not_exists(#v) OR #v = :read)"
            values[":read"] = read["damaged"] or {"NULL": True}
        elif read:
            condition, values[":read"] = "#v = :read", {"N": str(read)}
        try:
            self._call(request_envelope, "update_item", Key={"id": {"S": key}},
                       UpdateExpression="SET #v = :version, #a = :text, #e = :expires",
                       ConditionExpression=condition, ExpressionAttributeValues=values,
                       ExpressionAttributeNames={"#v": "version", "#a": "attributes",
                                                 "#e": TTL_ATTRIBUTE})
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _remove(self, request_envelope, key: str) -> None:
        self._call(request_envelope, "delete_item", Key={"id": {"S": key}})


class SqliteStore(_Store):
    """The same records in one SQLite file, for `make chat` and the tests (not for Lambda)."""

    def __init__(self, path: Path, clock=time.time):
        super().__init__(clock)
        self.path, self._connection, self._lock = Path(path), None, threading.RLock()

    @property
    def connection(self):
        with self._lock:
            if self._connection is None:
                import sqlite3

                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, isolation_level=None,
                                             check_same_thread=False)
                # Write-ahead, no sync per commit: a local write costs microseconds, not a flush.
                connection.executescript(
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE IF NOT "
                    "EXISTS memory (id TEXT PRIMARY KEY, version INTEGER NOT NULL, attributes "
                    "TEXT NOT NULL, expires_at INTEGER NOT NULL)")
                connection.execute("DELETE FROM memory WHERE expires_at < ?", (int(self.clock()),))
                self._connection = connection
        return self._connection

    def _sql(self, statement: str, *arguments):
        with self._lock:   # one at a time: a write's row count is the connection's last change
            cursor = self.connection.execute(statement, arguments)
            return cursor.fetchone() if statement.startswith("SELECT") else cursor.rowcount

    def _fetch(self, request_envelope, key: str) -> tuple | None:
        row = self._sql("SELECT version, attributes, expires_at FROM memory WHERE id = ?", key)
        return row and (row[0] if whole(row[0]) else {"damaged": row[0]}, *row[1:])

    def _write(self, request_envelope, key, read, version, text, expires_at) -> bool:
        if read == 0:
            return self._sql("INSERT INTO memory VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             key, version, text, expires_at) > 0
        return self._sql("UPDATE memory SET version = ?, attributes = ?, expires_at = ? WHERE id "
                         "= ? AND version IS ?", version, text, expires_at, key,
                         read["damaged"] if isinstance(read, dict) else read) > 0

    def _remove(self, request_envelope, key: str) -> None:
        self._sql("DELETE FROM memory WHERE id = ?", key)

    def close(self) -> None:
        self._connection, connection = None, self._connection
        if connection is not None:
            connection.close()


def from_environment() -> AbstractPersistenceAdapter:
    """The store for this deployment. Nothing is opened or imported until the first call."""
    if os.environ.get("TABLE_NAME"):
        return DynamoDbStore(os.environ["TABLE_NAME"])
    return SqliteStore(Path(os.environ.get("DATA_DIR") or "data") / "memory.sqlite3")
