"""The checks a web service makes before it acts on a request said to be from Alexa, cheapest first.

1. `ThisSkillOnly`: the request names this skill's id (no network).
2. The SDK's `TimestampVerifier`: at most 150 s from now (no network).
3. `SignatureVerifier`: the SDK's `RequestVerifier` (certificate chain from Alexa's S3 bucket,
   issued for echo-api.amazon.com, RSA-SHA256 signature of the body), with what it leaves open
   closed: the headers are checked for shape before anything is downloaded (a signature that is
   not base64 is refused, not a crash), the certificate URL must be one of Alexa's with no query,
   fragment or user name, the chain is downloaded from the normalised URL within a total time
   budget well inside Alexa's 8 s, and the cache of chains is keyed by that normalised URL and
   bounded in size and age.

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
from collections import OrderedDict
from typing import Callable
from urllib.parse import quote, unquote, urlsplit

from cryptography.x509 import ExtensionNotFound

from ask_sdk_webservice_support.verifier import (AbstractVerifier, RequestVerifier,
                                                 VerificationException)
from ask_sdk_webservice_support.verifier_constants import (CERT_CHAIN_URL_HOSTNAME,
                                                           CERT_CHAIN_URL_PORT,
                                                           SIGNATURE_CERT_CHAIN_URL_HEADER,
                                                           SIGNATURE_HEADER)

# Alexa waits 8 s for the whole answer; the download must leave time to speak it.
DOWNLOAD_BUDGET_SECONDS = 2.5
# A chain is two or three certificates, a few kilobytes.
MAX_CHAIN_BYTES = 64 * 1024
# Alexa signs with one or two certificates at a time; they rotate over months. An hour keeps a
# replaced chain from being trusted long, and costs one download an hour.
CACHE_SIZE = 8
CACHE_MAX_AGE_SECONDS = 3600
# An RSA-2048 signature is 256 bytes (344 in base64); 4096-bit keys give 512.
MAX_SIGNATURE_CHARS = 1024
CHAIN_PATH_PREFIX = "/echo.api/"


class NotThisSkill(VerificationException):
    """The request is for another skill (or names none)."""


def _application_ids(envelope) -> list:
    ids = []
    system = getattr(getattr(envelope, "context", None), "system", None)
    ids.append(getattr(getattr(system, "application", None), "application_id", None))
    session = getattr(envelope, "session", None)
    if session is not None:
        ids.append(getattr(getattr(session, "application", None), "application_id", None))
    return ids


class ThisSkillOnly(AbstractVerifier):
    def __init__(self, skill_id: str):
        self.skill_id = skill_id

    def verify(self, headers, serialized_request_env, deserialized_request_env):
        ids = _application_ids(deserialized_request_env)
        if not ids or any(found != self.skill_id for found in ids):
            raise NotThisSkill(f"the request is for skill {ids[0]!r}, not this one")


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


def _https(host: str, port: int, timeout: float) -> http.client.HTTPConnection:
    return http.client.HTTPSConnection(host, port, timeout=timeout,
                                       context=ssl.create_default_context())


# How the download connects; the tests point it at a loopback server.
connect: Callable[[str, int, float], http.client.HTTPConnection] = _https


def download(url: str, budget: float | None = None) -> bytes:
    """The body at `url`, within `budget` seconds in all (a socket timeout alone bounds each
    read, so a server sending a byte at a time could hold the request for ever)."""
    budget = DOWNLOAD_BUDGET_SECONDS if budget is None else budget
    deadline = time.monotonic() + budget

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise VerificationException(f"the certificate download took over {budget} s")
        return left

    parts = urlsplit(url)
    connection = connect(parts.hostname, parts.port or CERT_CHAIN_URL_PORT, remaining())
    try:
        try:
            connection.connect()
            # Kept: the connection lets go of its socket once a closing response has begun.
            sock = connection.sock
            sock.settimeout(remaining())
            connection.request("GET", parts.path, headers={"Accept": "*/*"})
            sock.settimeout(remaining())
            response = connection.getresponse()
            if response.status != 200:
                raise VerificationException(f"the certificate download answered {response.status}")
            body = bytearray()
            while True:
                sock.settimeout(remaining())
                chunk = response.read1(16 * 1024)
                if not chunk:
                    return bytes(body)
                body += chunk
                if len(body) > MAX_CHAIN_BYTES:
                    raise VerificationException("the certificate chain is too large")
        except (OSError, http.client.HTTPException) as error:  # socket.timeout included
            if time.monotonic() >= deadline:
                raise VerificationException(
                    f"the certificate download took over {budget} s") from None
            raise VerificationException(f"the certificate download failed: {error}") from None
    finally:
        connection.close()


class ChainCache:
    """Downloaded chains by normalised URL: at most `size`, none older than `max_age` seconds."""

    def __init__(self, size: int = CACHE_SIZE, max_age: float = CACHE_MAX_AGE_SECONDS,
                 clock: Callable[[], float] = time.monotonic):
        self.size, self.max_age, self.clock = size, max_age, clock
        self._chains: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> bytes | None:
        with self._lock:
            entry = self._chains.get(url)
            if entry is None:
                return None
            if self.clock() - entry[0] > self.max_age:
                del self._chains[url]
                return None
            self._chains.move_to_end(url)
            return entry[1]

    def put(self, url: str, chain: bytes) -> None:
        with self._lock:
            self._chains[url] = (self.clock(), chain)
            self._chains.move_to_end(url)
            while len(self._chains) > self.size:
                self._chains.popitem(last=False)

    def __len__(self) -> int:
        return len(self._chains)


def _header(headers: dict, name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


class SignatureVerifier(RequestVerifier):
    """The SDK's signature check, with the headers' shape checked first and the certificate
    chain fetched and cached as described above."""

    def __init__(self, cache: ChainCache | None = None):
        super().__init__()
        self.cache = cache if cache is not None else ChainCache()

    def verify(self, headers, serialized_request_env, deserialized_request_env):
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
        normalised = normalised_chain_url(url)
        end_certificate = self._retrieve_and_validate_certificate_chain(normalised)
        self._valid_request_body(end_certificate, signature, serialized_request_env)

    def _load_cert_chain(self, cert_url):
        chain = self.cache.get(cert_url)
        if chain is None:
            chain = download(cert_url)
            self.cache.put(cert_url, chain)
        return chain

    def _validate_cert_chain(self, cert_chain):
        try:
            super()._validate_cert_chain(cert_chain)
        except VerificationException:
            raise
        except (ValueError, TypeError) as error:  # not PEM, not a certificate (asn1crypto)
            raise VerificationException(f"the certificate chain is unreadable: {error}") from None

    def _retrieve_and_validate_certificate_chain(self, cert_url, *args):
        try:
            return super()._retrieve_and_validate_certificate_chain(cert_url, *args)
        except VerificationException:
            raise
        except (ValueError, ExtensionNotFound) as error:  # e.g. no subject alternative name
            raise VerificationException(f"the signing certificate is unusable: {error}") from None
