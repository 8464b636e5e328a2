"""Where remembered attributes are kept: ASK SDK persistence adapters with versioned writes.

Both stores keep one item per Alexa user, keyed by a hash of the user id (the table never holds
the id itself), with a version number and an expiry a year after the last write.

The attributes dict exchanged with the SDK carries the item's version under `VERSION`:
`get_attributes` returns the stored version (0 when there is no item), and `save_attributes`
is given the version being written, and writes only if the stored one is the version before it.
Otherwise it raises `StaleWrite` holding what is stored now, so that the caller can re-apply its
change on top of that (two devices of one person never silently overwrite each other).

- `DynamoDbStore` (Lambda, env `TABLE_NAME`): boto3 is imported and its client created on the
  first call, never at import, so a request that touches no state never pays for it. Short
  timeouts and one retry keep a slow DynamoDB well inside Alexa's 8 seconds.
- `SqliteStore` (local, no `TABLE_NAME`): one file in a data folder (env `DATA_DIR`, `./data` by
  default), so `make chat` remembers between runs with no server.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

VERSION = "version"
TTL_ATTRIBUTE = "expires_at"   # template.yaml's TimeToLiveSpecification names it too
ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
# Per connect and per read, with one retry: the worst case for a read and a write stays near five
# seconds, inside Lambda's 7 and Alexa's 8.
DEFAULT_TIMEOUT_SECONDS = 0.8


def whole(value: Any) -> int | None:
    """`value` if it is a whole number, 0 or more (and not a bool, which is an int to Python),
    else None: for numbers that come back from a store or from session attributes, which travel
    through Alexa and may be damaged."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


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


def _decode(raw: Any, version: Any) -> dict:
    """Stored text back to attributes; a damaged item reads as empty but keeps its version, so a
    conditional write still lines up with it."""
    try:
        attributes = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        attributes = {}
    if not isinstance(attributes, dict):
        attributes = {}
    attributes.pop(VERSION, None)
    attributes[VERSION] = version if isinstance(version, int) and version >= 0 else 0
    return attributes


def _encode(attributes: dict) -> tuple[str, int]:
    body = {name: value for name, value in attributes.items() if name != VERSION}
    version = attributes.get(VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"a write needs a version of at least 1, not {version!r}")
    return json.dumps(body, sort_keys=True, separators=(",", ":")), version


class DynamoDbStore(AbstractPersistenceAdapter):
    """Items: `id` (hash key), `version`, `attributes` (JSON text), `expires_at` (the TTL)."""

    def __init__(self, table_name: str, timeout: float | None = None, clock=time.time):
        self.table_name = table_name
        self.timeout = timeout if timeout is not None else float(
            os.environ.get("DYNAMODB_TIMEOUT", DEFAULT_TIMEOUT_SECONDS))
        self.clock = clock
        self._client = None

    @property
    def client(self):
        if self._client is None:
            # Imported here, not at the top: boto3 costs about 100 ms and the mid-cramp answer
            # never needs it.
            import boto3
            from botocore.config import Config

            self._client = boto3.client("dynamodb", config=Config(
                connect_timeout=self.timeout, read_timeout=self.timeout,
                retries={"total_max_attempts": 2, "mode": "standard"}))
        return self._client

    def _key(self, request_envelope) -> dict:
        return {"id": {"S": user_key(request_envelope)}}

    @staticmethod
    def _attributes(item: dict | None) -> dict:
        if not item:
            return {VERSION: 0}
        try:
            version = int(item["version"]["N"])
        except (KeyError, TypeError, ValueError):
            version = 0
        return _decode(item.get("attributes", {}).get("S"), version)

    def get_attributes(self, request_envelope) -> dict:
        answer = self.client.get_item(TableName=self.table_name,
                                      Key=self._key(request_envelope), ConsistentRead=True)
        return self._attributes(answer.get("Item"))

    def save_attributes(self, request_envelope, attributes) -> None:
        body, version = _encode(attributes)
        item = {**self._key(request_envelope),
                "version": {"N": str(version)},
                "attributes": {"S": body},
                TTL_ATTRIBUTE: {"N": str(int(self.clock()) + ONE_YEAR_SECONDS)}}
        if version == 1:
            condition = {"ConditionExpression": "attribute_not_exists(id)"}
        else:
            condition = {"ConditionExpression": "version = :previous",
                         "ExpressionAttributeValues": {":previous": {"N": str(version - 1)}}}
        client = self.client
        try:
            client.put_item(TableName=self.table_name, Item=item,
                            ReturnValuesOnConditionCheckFailure="ALL_OLD", **condition)
        except client.exceptions.ConditionalCheckFailedException as error:
            raise StaleWrite(self._attributes(error.response.get("Item"))) from None

    def delete_attributes(self, request_envelope) -> None:
        self.client.delete_item(TableName=self.table_name, Key=self._key(request_envelope))


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
        body, version = _encode(attributes)
        key = user_key(request_envelope)
        expires_at = int(self.clock()) + ONE_YEAR_SECONDS
        with self._lock:
            if version == 1:
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
