"""Alexa's signature check, the last and only costly one: the SDK's `RequestVerifier` (certificate
chain from Alexa's S3 bucket, valid, issued for echo-api.amazon.com, RSA-SHA256 signature of the
body), with what it leaves open closed.

- The headers are checked for shape before anything is downloaded: a signature that is not
  base64 is refused, not a crash; the certificate URL must be one of Alexa's, with no query,
  fragment or user name, and is normalised so that one chain has one address.
- A download has a total time budget, well inside the 8 s Alexa waits for the answer, however
  slowly the status line, the headers or the body arrive.
- Chains are kept by address once they have passed the SDK's checks: at most 8, each trusted for
  an hour, then checked again.
- Requests with an Alexa-shaped address cannot make the service download at will: an address
  whose download or chain failed is refused without a download for a minute, and addresses never
  seen good are downloaded at most 5 times a minute in all, one download at a time. An address
  that was good before may always be fetched again, so a flood of made-up addresses never locks
  out Alexa's own.

Each failure raises the SDK's `VerificationException`, which the web service answers with 400.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import posixpath
import ssl
import threading
import time
from collections import OrderedDict, deque
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from ask_sdk_webservice_support.verifier import RequestVerifier, VerificationException
from ask_sdk_webservice_support.verifier_constants import (CERT_CHAIN_URL_HOSTNAME,
                                                           CERT_CHAIN_URL_PORT,
                                                           SIGNATURE_CERT_CHAIN_URL_HEADER,
                                                           SIGNATURE_HEADER)
from cryptography.x509 import Certificate, ExtensionNotFound, load_pem_x509_certificate

from skill.alexa.bounded_http import BoundedHTTPConnection, BoundedHTTPSConnection

# Alexa waits 8 s for the whole answer; the download must leave time to speak it.
DOWNLOAD_BUDGET_SECONDS = 2.5
# A chain is two or three certificates, a few kilobytes.
MAX_CHAIN_BYTES = 64 * 1024
# Alexa signs with one or two certificates at a time; they rotate over months. An hour keeps a
# replaced chain from being trusted long, and costs one download an hour.
CACHE_SIZE = 8
CACHE_MAX_AGE_SECONDS = 3600
# A failed address is not tried again for this long (a retried request from Alexa after a
# network blip waits at most this).
FAILURE_MEMORY_SECONDS = 60
FAILURES_KEPT = 256
# Downloads of addresses never seen good, in any window of this many seconds.
NEW_DOWNLOADS_PER_WINDOW = 5
NEW_DOWNLOAD_WINDOW_SECONDS = 60
# An RSA-2048 signature is 256 bytes (344 in base64); 4096-bit keys give 512.
MAX_SIGNATURE_CHARS = 1024
CHAIN_PATH_PREFIX = "/echo.api/"


def normalised_chain_url(url: str) -> str:
    """Alexa's certificate URL in one spelling (lower-case scheme and host, no default port, `..`
    resolved, percent-escapes decoded once), or VerificationException if it is not one of
    Alexa's: https on s3.amazonaws.com:443, under /echo.api/, with no query, fragment or user."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise VerificationException(f"unreadable certificate URL: {error}") from None
    if parts.scheme.lower() != "https" or (parts.hostname or "") != CERT_CHAIN_URL_HOSTNAME \
            or port not in (None, CERT_CHAIN_URL_PORT):
        raise VerificationException("the certificate URL is not on Alexa's S3 bucket")
    if parts.query or parts.fragment or parts.username is not None or "?" in url or "#" in url:
        raise VerificationException("Alexa's certificate URL has no query, fragment or user")
    path = posixpath.normpath(unquote(parts.path))
    # The path is case-sensitive, as Amazon's rules say ("/EcHo.aPi/" is not Alexa's).
    if not path.startswith(CHAIN_PATH_PREFIX) or any(ord(c) < 0x21 for c in path):
        raise VerificationException("the certificate URL is not under /echo.api/")
    return f"https://{CERT_CHAIN_URL_HOSTNAME}{quote(path)}"


# --- the download ---------------------------------------------------------------------------

def _https(host: str, port: int) -> BoundedHTTPSConnection:
    return BoundedHTTPSConnection(host, port, context=ssl.create_default_context())


# How the download connects; the tests point it at a loopback server.
connect: Callable[[str, int], BoundedHTTPConnection] = _https


def download(url: str, budget: float | None = None) -> bytes:
    """The body at `url`, within `budget` seconds in all (the name lookup aside): the connection,
    the handshake and every read of the status line, the headers and the body end by one
    deadline (skill/alexa/bounded_http.py), so a server sending a byte at a time cannot hold the
    request."""
    budget = DOWNLOAD_BUDGET_SECONDS if budget is None else budget
    deadline = time.monotonic() + budget
    parts = urlsplit(url)
    connection = None
    try:
        connection = connect(parts.hostname, parts.port or CERT_CHAIN_URL_PORT)
        connection.begin(deadline)
        connection.request("GET", parts.path, headers={"Accept": "*/*"})
        response = connection.getresponse()
        if response.status != 200:
            raise VerificationException(f"the certificate download answered {response.status}")
        body = response.read(MAX_CHAIN_BYTES + 1)
        if len(body) > MAX_CHAIN_BYTES:
            raise VerificationException("the certificate chain is too large")
        return body
    except (OSError, http.client.HTTPException) as error:  # the deadline passing included
        if time.monotonic() >= deadline:
            raise VerificationException(
                f"the certificate download took over {budget} s") from None
        raise VerificationException(f"the certificate download failed: {error}") from None
    finally:
        if connection is not None:
            connection.close()


# --- which chains are known, and which downloads may start ----------------------------------

class ChainCache:
    """Chains that passed the checks, by normalised URL: at most `size`, each fresh for
    `max_age` seconds. A URL stays known after its chain goes stale, until it is pushed out."""

    def __init__(self, size: int = CACHE_SIZE, max_age: float = CACHE_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.size, self.max_age, self.clock = size, max_age, clock
        self._chains: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes | None:
        """The chain at `url` if it is fresh."""
        with self._lock:
            entry = self._chains.get(url)
            if entry is None or self.clock() - entry[0] > self.max_age:
                return None
            self._chains.move_to_end(url)
            return entry[1]

    def known(self, url: str) -> bool:
        with self._lock:
            return url in self._chains

    def put(self, url: str, chain: bytes) -> None:
        with self._lock:
            self._chains[url] = (self.clock(), chain)
            self._chains.move_to_end(url)
            while len(self._chains) > self.size:
                self._chains.popitem(last=False)

    def __len__(self) -> int:
        return len(self._chains)


class DownloadGate:
    """Whether a certificate URL may be downloaded now: not if it failed in the last
    `failure_memory` seconds, and, unless it was good before, not more than `per_window` times
    in any `window` seconds for all such URLs together."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 failure_memory: float = FAILURE_MEMORY_SECONDS,
                 per_window: int = NEW_DOWNLOADS_PER_WINDOW,
                 window: float = NEW_DOWNLOAD_WINDOW_SECONDS):
        self.clock, self.failure_memory = clock, failure_memory
        self.per_window, self.window = per_window, window
        self._failed: OrderedDict[str, float] = OrderedDict()
        self._new_downloads: deque[float] = deque()
        self._lock = threading.Lock()

    def check(self, url: str, known_good: bool) -> None:
        """Raises VerificationException if `url` may not be downloaded now."""
        with self._lock:
            self._check(url, known_good, self.clock())

    def admit(self, url: str, known_good: bool) -> None:
        """Counts a download about to start, or raises VerificationException if it may not."""
        with self._lock:
            now = self.clock()
            self._check(url, known_good, now)
            if not known_good:
                self._new_downloads.append(now)

    def _check(self, url: str, known_good: bool, now: float) -> None:
        failed_at = self._failed.get(url)
        if failed_at is not None and now - failed_at < self.failure_memory:
            raise VerificationException("this certificate URL failed moments ago")
        if known_good:
            return
        while self._new_downloads and now - self._new_downloads[0] >= self.window:
            self._new_downloads.popleft()
        if len(self._new_downloads) >= self.per_window:
            raise VerificationException("too many new certificate URLs: not downloaded")

    def failed(self, url: str) -> None:
        with self._lock:
            self._failed[url] = self.clock()
            self._failed.move_to_end(url)
            while len(self._failed) > FAILURES_KEPT:
                self._failed.popitem(last=False)


# --- the check ------------------------------------------------------------------------------

def _header(headers: dict, name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


class SignatureVerifier(RequestVerifier):
    """The SDK's signature check, with the headers' shape checked first and the certificate
    chains fetched, kept and limited as described above."""

    def __init__(self, cache: ChainCache | None = None, gate: DownloadGate | None = None):
        super().__init__()
        self.cache = cache if cache is not None else ChainCache()
        self.gate = gate if gate is not None else DownloadGate()
        # One download at a time: a burst of requests for a chain not yet held makes one.
        self._downloading = threading.Lock()

    def verify(self, headers: dict, serialized_request_env: str,
               deserialized_request_env=None) -> None:
        url = _header(headers, SIGNATURE_CERT_CHAIN_URL_HEADER)
        signature = _header(headers, SIGNATURE_HEADER)
        if url is None or signature is None:
            raise VerificationException("Missing Signature/Certificate for the skill request")
        if len(signature) > MAX_SIGNATURE_CHARS:
            raise VerificationException("the signature is too long to be Alexa's")
        try:
            base64.b64decode(signature, validate=True)
        except (binascii.Error, ValueError):
            raise VerificationException("the signature is not base64") from None
        end_certificate = self.signing_certificate(normalised_chain_url(url))
        self._valid_request_body(end_certificate, signature, serialized_request_env)

    def signing_certificate(self, url: str) -> Certificate:
        """The signing certificate of the chain at `url` (normalised), checked as the SDK
        checks it, every time: a kept chain may have expired since."""
        chain = self.cache.get(url)
        if chain is not None:
            return self._checked(chain)
        self.gate.check(url, self.cache.known(url))  # before waiting for another's download
        with self._downloading:
            chain = self.cache.get(url)  # fetched while this request waited
            if chain is not None:
                return self._checked(chain)
            self.gate.admit(url, self.cache.known(url))
            try:
                chain = download(url)
                end_certificate = self._checked(chain)
            except VerificationException:
                self.gate.failed(url)
                raise
            self.cache.put(url, chain)
            return end_certificate

    def _checked(self, chain: bytes) -> Certificate:
        try:
            self._validate_cert_chain(chain)
            end_certificate = load_pem_x509_certificate(chain)
            self._validate_end_certificate(x509_cert=end_certificate)
            return end_certificate
        except VerificationException:
            raise
        # Not PEM, not a certificate (asn1crypto, cryptography), no subject alternative name.
        except (ValueError, TypeError, ExtensionNotFound) as error:
            raise VerificationException(f"the certificate chain is unusable: {error}") from None

