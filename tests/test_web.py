"""The skill as a web service (the `webservice` package), over real HTTP on loopback.

With verification on, Alexa's checks run for real: the SDK's RequestVerifier fetches the
certificate chain, validates it against the trust store, checks it was issued for
echo-api.amazon.com and checks the request's RSA-SHA256 signature; its TimestampVerifier checks
the time. Here the trust store holds only a test root made for this module, which issued an
"echo-api.amazon.com" signing certificate; the chain is served at an Alexa-shaped S3 URL by a
stand-in for S3 (no network here). A correctly signed request is answered, which shows that the
refusals below come from the checks themselves.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from datetime import datetime, timedelta, timezone
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from ask_sdk_core.skill import CustomSkill
from hypothesis import HealthCheck, given, settings
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from localdev import fuzz
from localdev.envelopes import DEFAULT_SKILL_ID, Conversation, Device, ssml_to_text
from localdev.matcher import MODELS_DIR
from webservice import app as web, server, signature
from skill.alexa.bounded_http import BoundedHTTPConnection
from skill.routines import BEDTIME
from localdev.alexa_rules import response_problems
from tests.node_tools import web_conversation

# The SDK's verifier reads certificates' naive UTC validity dates, which cryptography warns about.
pytestmark = pytest.mark.filterwarnings(
    "ignore::cryptography.utils.CryptographyDeprecationWarning")

CHAIN_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem"


# --- a test certificate authority --------------------------------------------------------------

def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _usage(**granted):
    names = ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
             "key_agreement", "key_cert_sign", "crl_sign", "encipher_only", "decipher_only")
    return x509.KeyUsage(**{name: granted.get(name, False) for name in names})


def _certificate(subject_key, subject, issuer_key, issuer, ca=False, dns=None):
    now = datetime.now(timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
               .public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - timedelta(days=1))
               .not_valid_after(now + timedelta(days=30))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(_usage(key_cert_sign=True, crl_sign=True), critical=True)
    else:
        builder = builder.add_extension(_usage(digital_signature=True, key_encipherment=True),
                                        critical=True)
    if dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]),
                                        critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(*certificates):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    """A root, an echo-api.amazon.com signing certificate it issued, and strangers' keys."""
    root_key, signing_key, stranger_key = _key(), _key(), _key()
    root = _certificate(root_key, "Leg Cramp Helper test root", root_key,
                        "Leg Cramp Helper test root", ca=True)
    signing = _certificate(signing_key, "echo-api.amazon.com", root_key,
                           "Leg Cramp Helper test root", dns="echo-api.amazon.com")
    self_signed = _certificate(stranger_key, "echo-api.amazon.com", stranger_key,
                               "echo-api.amazon.com", dns="echo-api.amazon.com")
    trust_store = tmp_path_factory.mktemp("trust") / "roots.pem"
    trust_store.write_bytes(_pem(root))
    return {"trust_store": str(trust_store), "signing_key": signing_key,
            "stranger_key": stranger_key, "chain": _pem(signing, root),
            "self_signed": _pem(self_signed)}


@contextmanager
def http_server(handler_class):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd.server_port
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def connect_to(port):
    """The certificate download's connection, to a loopback port instead of
    s3.amazonaws.com:443."""
    return lambda host, _port: BoundedHTTPConnection("127.0.0.1", port)


@pytest.fixture
def alexa_pki(authority, monkeypatch):
    """The trust store is the test root's, and Alexa's S3 bucket is a loopback stand-in that
    serves `served` (the chain by default) and records what was fetched."""
    from oscrypto import trust_list

    monkeypatch.setenv("SSL_CERT_FILE", authority["trust_store"])
    trust_list.clear_cache()
    fetched = []
    served = {CHAIN_URL: authority["chain"]}

    class S3(BaseHTTPRequestHandler):
        def do_GET(self):
            url = "https://s3.amazonaws.com" + self.path
            fetched.append(url)
            body = served.get(url)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    with http_server(S3) as port:
        monkeypatch.setattr(signature, "connect", connect_to(port))
        yield {**authority, "fetched": fetched, "served": served}
    trust_list.clear_cache()


# --- serving and speaking to it ----------------------------------------------------------------

@contextmanager
def serving(app):
    """`app` on the development server that `make serve` runs."""
    development = server.make_server("127.0.0.1", 0, app)
    # A short poll: shutting down waits for it.
    thread = threading.Thread(target=development.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{development.server_port}/"
    finally:
        development.shutdown()
        development.server_close()
        thread.join()


@pytest.fixture
def verified_url(monkeypatch):
    monkeypatch.delenv(web.SKIP_VERIFICATION_ENV, raising=False)
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    with serving(web.SkillWebService()) as url:
        yield url


@pytest.fixture
def handler_runs(monkeypatch):
    """Every time the skill is invoked (before any handler can run)."""
    calls = []
    invoke = CustomSkill.invoke

    def counting(self, *args, **kwargs):
        calls.append(kwargs)
        return invoke(self, *args, **kwargs)

    monkeypatch.setattr(CustomSkill, "invoke", counting)
    return calls


def post(url, body: bytes, headers=None) -> tuple[int, dict]:
    request = Request(url, data=body, method="POST",
                      headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except HTTPError as error:
        return error.code, json.loads(error.read())


def talk_at(seconds_ago: float = 0, skill_id: str = DEFAULT_SKILL_ID) -> Conversation:
    """Envelopes as a device would send them `seconds_ago`."""
    moment = datetime.now(timezone.utc) - timedelta(seconds=seconds_ago)
    # The time zone lookup goes to a closed loopback port: no test waits on a network.
    return Conversation(handler=None, now=lambda: moment, skill_id=skill_id,
                        device=Device(api_endpoint="http://127.0.0.1:9"))


def cramp_request(seconds_ago: float = 0, skill_id: str = DEFAULT_SKILL_ID) -> bytes:
    return json.dumps(talk_at(seconds_ago, skill_id).intent_request("LegCrampIntent")).encode()


def signed(body: bytes, key, chain_url: str = CHAIN_URL) -> dict:
    signed_bytes = key.sign(body, padding.PKCS1v15(), hashes.SHA256())
    return {"SignatureCertChainUrl": chain_url,
            "Signature-256": base64.b64encode(signed_bytes).decode()}


# --- verification on ---------------------------------------------------------------------------

def test_a_request_signed_by_alexa_and_fresh_is_answered(alexa_pki, verified_url, handler_runs):
    body = cramp_request()
    status, answer = post(verified_url, body, signed(body, alexa_pki["signing_key"]))
    assert status == 200
    assert "Straighten your leg" in answer["response"]["outputSpeech"]["ssml"]
    assert len(handler_runs) == 1 and alexa_pki["fetched"] == [CHAIN_URL]


def test_an_unsigned_request_is_refused(alexa_pki, verified_url, handler_runs):
    status, answer = post(verified_url, cramp_request())
    assert status == 400 and "signature" in answer["error"]
    assert handler_runs == [] and alexa_pki["fetched"] == []


def test_a_bad_signature_is_refused(alexa_pki, verified_url, handler_runs):
    body = cramp_request()
    status, _ = post(verified_url, body, signed(body, alexa_pki["stranger_key"]))
    assert status == 400
    assert handler_runs == [] and alexa_pki["fetched"] == [CHAIN_URL]


def test_a_body_changed_after_signing_is_refused(alexa_pki, verified_url, handler_runs):
    body = cramp_request()
    headers = signed(body, alexa_pki["signing_key"])
    tampered = body.replace(b'"LegCrampIntent"', b'"SeeDoctorIntent"')
    assert post(verified_url, tampered, headers)[0] == 400
    assert handler_runs == []


@pytest.mark.parametrize("chain_url", [
    "https://evil.example.com/echo.api/echo-api-cert-test.pem",
    "http://s3.amazonaws.com/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/not.echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com:8443/echo.api/echo-api-cert-test.pem",
    "https://s3.amazonaws.com/echo.api/../elsewhere/echo-api-cert-test.pem",
])
def test_a_certificate_url_outside_alexas_is_refused_without_fetching_it(
        alexa_pki, verified_url, handler_runs, chain_url):
    body = cramp_request()
    status, _ = post(verified_url, body, signed(body, alexa_pki["signing_key"], chain_url))
    assert status == 400
    assert handler_runs == [] and alexa_pki["fetched"] == []


def test_a_certificate_no_trusted_authority_issued_is_refused(alexa_pki, verified_url,
                                                              handler_runs):
    alexa_pki["served"][CHAIN_URL] = alexa_pki["self_signed"]
    body = cramp_request()
    assert post(verified_url, body, signed(body, alexa_pki["stranger_key"]))[0] == 400
    assert handler_runs == []


@pytest.mark.parametrize("seconds_ago", [151, -151, 3600])
def test_a_stale_or_future_timestamp_is_refused(alexa_pki, verified_url, handler_runs,
                                                seconds_ago):
    body = cramp_request(seconds_ago)
    assert post(verified_url, body, signed(body, alexa_pki["signing_key"]))[0] == 400
    assert handler_runs == []


def test_a_timestamp_within_150_seconds_is_accepted(alexa_pki, verified_url):
    body = cramp_request(140)
    assert post(verified_url, body, signed(body, alexa_pki["signing_key"]))[0] == 200


def test_the_log_line_says_whether_the_request_was_verified(alexa_pki, verified_url, capsys):
    post(verified_url, cramp_request())
    line = json.loads(capsys.readouterr().err.splitlines()[-1])
    assert line["outcome"] == "unverified" and line["verified"] is True
    assert line["transport"] == "web" and line["http_status"] == 400
    assert line["intent"] == "LegCrampIntent"


def test_only_post_is_served(verified_url):
    with pytest.raises(HTTPError) as refused:
        urlopen(verified_url, timeout=10)
    assert refused.value.code == 405


def test_a_body_too_large_to_be_from_alexa_is_refused(verified_url, handler_runs):
    assert post(verified_url, b"{" + b" " * (web.MAX_BODY_BYTES + 1) + b"}")[0] == 413
    assert handler_runs == []


# --- the local development switch --------------------------------------------------------------

@pytest.mark.parametrize("value", [None, "", "0", "true", "yes", "off"])
def test_verification_is_on_unless_the_switch_is_exactly_1(monkeypatch, value):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    if value is None:
        monkeypatch.delenv(web.SKIP_VERIFICATION_ENV, raising=False)
    else:
        monkeypatch.setenv(web.SKIP_VERIFICATION_ENV, value)
    assert web.SkillWebService().verify is True


def test_turning_verification_off_is_logged_loudly(monkeypatch, caplog):
    monkeypatch.setenv(web.SKIP_VERIFICATION_ENV, "1")
    app = web.SkillWebService()
    assert app.verify is False
    [warning] = [r for r in caplog.records if r.name == "leg_cramp_helper.web"]
    assert warning.levelname == "WARNING" and "VERIFICATION IS OFF" in warning.getMessage()


def test_with_verification_off_only_loopback_clients_are_served(handler_runs):
    app = web.SkillWebService(verify=False)
    body = cramp_request()
    statuses = []
    for address in ("203.0.113.7", "10.0.0.2", "127.0.0.1", "::1"):
        environ = {"REQUEST_METHOD": "POST", "REMOTE_ADDR": address,
                   "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
        app(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["403 Forbidden", "403 Forbidden", "200 OK", "200 OK"]
    assert len(handler_runs) == 2


def test_a_whole_conversation_over_http_driven_by_virtual_alexa(monkeypatch):
    monkeypatch.setenv(web.SKIP_VERIFICATION_ENV, "1")
    with serving(web.SkillWebService()) as url:
        turns = web_conversation(MODELS_DIR / "en-US.json", url, len(BEDTIME.steps))

    for turn in turns:
        assert response_problems(turn["request"], turn["response"]) == [], turn["said"]
    said = [(turn["said"], turn["request"]["request"], turn["response"]["response"])
            for turn in turns]
    text = [ssml_to_text((response.get("outputSpeech") or {}).get("ssml") or "")
            for _, _, response in said]

    launch, cramp, *walk, stop = said
    assert launch[1]["type"] == "LaunchRequest" and "What would you like?" in text[0]
    assert cramp[1]["intent"]["name"] == "LegCrampIntent"
    assert text[1].startswith("Straighten your leg and pull your toes up toward your shin")
    assert [request["intent"]["name"] for _, request, _ in walk] == \
        ["BedtimeStretchIntent"] + ["AMAZON.NextIntent"] * (len(BEDTIME.steps) - 1)
    assert text[2].startswith("Let's do your bedtime stretch")
    assert "That's your bedtime stretch done" in text[-2]
    assert stop[1]["intent"]["name"] == "AMAZON.StopIntent"
    assert stop[2]["shouldEndSession"] is True and text[-1]



def test_oscrypto_reads_this_machines_openssl_version():
    from webservice.oscrypto_fix import load_oscrypto

    load_oscrypto()
    load_oscrypto()  # and again, once loaded
    from oscrypto._openssl._libcrypto import libcrypto_version_info

    assert all(isinstance(part, int) for part in libcrypto_version_info[:3])


def test_the_lambda_function_never_loads_the_web_support():
    import subprocess
    import sys

    code = ("import json, sys; from skill.app import handler; "
            "from localdev.envelopes import Conversation; "
            "Conversation(handler).intent('LegCrampIntent'); "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert not loaded & {"webservice", "ask_sdk_webservice_support", "cryptography",
                         "certvalidator", "oscrypto", "boto3", "botocore", "wsgiref"}


# --- issue 13: what an attack on the service found ---------------------------------------------

OTHER_SKILL_ID = "amzn1.ask.skill.99999999-9999-9999-9999-999999999999"


def wsgi_call(app, body: bytes, headers: dict | None = None, address: str = "127.0.0.1"):
    """The app called as a WSGI server calls it: (status line, parsed body)."""
    environ = {"REQUEST_METHOD": "POST", "REMOTE_ADDR": address,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)}
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    statuses = []
    payload = b"".join(app(environ, lambda status, _headers: statuses.append(status)))
    return statuses[0], json.loads(payload)


@pytest.mark.parametrize("header", [
    ("X-Forwarded-For", "203.0.113.7"),
    ("Forwarded", "for=203.0.113.7;proto=https"),
    ("X-Real-Ip", "203.0.113.7"),
])
def test_with_verification_off_a_request_through_a_proxy_on_this_host_is_refused(
        monkeypatch, handler_runs, header):
    # Behind an HTTPS terminator on the same host every client arrives from 127.0.0.1.
    monkeypatch.setenv(web.SKIP_VERIFICATION_ENV, "1")
    with serving(web.SkillWebService()) as url:
        status, answer = post(url, cramp_request(), dict([header]))
        assert status == 403 and "proxy" in answer["error"]
        assert post(url, cramp_request())[0] == 200  # the same request, straight from here
    assert len(handler_runs) == 1


def test_verified_mode_refuses_to_start_without_a_skill_id_and_says_how_to_set_it(
        monkeypatch, capsys):
    monkeypatch.delenv(web.SKIP_VERIFICATION_ENV, raising=False)
    with pytest.raises(web.ConfigurationError, match=r"SKILL_ID=amzn1\.ask\.skill\..* make serve"):
        web.SkillWebService()
    with pytest.raises(SystemExit) as exited:  # `make serve` runs this
        server.main(["--port", "0"])
    assert exited.value.code == 2 and "SKILL_ID=amzn1.ask.skill." in capsys.readouterr().err


def test_a_request_signed_by_alexa_for_another_skill_is_refused_before_any_download(
        alexa_pki, verified_url, handler_runs):
    body = cramp_request(skill_id=OTHER_SKILL_ID)
    status, answer = post(verified_url, body, signed(body, alexa_pki["signing_key"]))
    assert status == 400 and "not for this skill" in answer["error"]
    assert handler_runs == [] and alexa_pki["fetched"] == []


def test_a_stale_request_is_refused_before_any_download(alexa_pki, verified_url):
    body = cramp_request(3600)
    assert post(verified_url, body, signed(body, alexa_pki["signing_key"]))[0] == 400
    assert alexa_pki["fetched"] == []


def test_certificate_urls_with_a_query_cause_no_download_and_no_cache_entry(
        alexa_pki, monkeypatch, handler_runs):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    app = web.SkillWebService(verify=True)
    body = cramp_request()
    for n in range(200):
        headers = signed(body, alexa_pki["signing_key"], f"{CHAIN_URL}?n={n}")
        assert wsgi_call(app, body, headers)[0] == "400 Bad Request"
    assert alexa_pki["fetched"] == [] and len(app.signatures.cache) == 0
    assert handler_runs == []


def test_spellings_of_alexas_certificate_url_share_one_download_and_one_entry(
        alexa_pki, monkeypatch):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    app = web.SkillWebService(verify=True)
    body = cramp_request()
    spellings = [CHAIN_URL,
                 "https://s3.amazonaws.com:443/echo.api/echo-api-cert-test.pem",
                 "HTTPS://S3.AMAZONAWS.COM/echo.api/echo-api-cert-test.pem",
                 "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert-test.pem",
                 "https://s3.amazonaws.com/echo.api/./echo-api-cert-%74est.pem"]
    for url in spellings:
        assert wsgi_call(app, body, signed(body, alexa_pki["signing_key"], url))[0] == "200 OK"
    assert alexa_pki["fetched"] == [CHAIN_URL] and len(app.signatures.cache) == 1


def test_the_certificate_cache_is_bounded_in_size_and_in_age():
    now = [0.0]
    cache = signature.ChainCache(size=3, max_age=60, clock=lambda: now[0])
    for n in range(10):
        cache.put(f"https://s3.amazonaws.com/echo.api/{n}.pem", b"chain")
    assert len(cache) == 3 and cache.get("https://s3.amazonaws.com/echo.api/0.pem") is None
    assert cache.get("https://s3.amazonaws.com/echo.api/9.pem") == b"chain"
    now[0] = 61
    assert cache.get("https://s3.amazonaws.com/echo.api/9.pem") is None
    assert signature.CACHE_SIZE <= 16 and signature.CACHE_MAX_AGE_SECONDS <= 24 * 3600


def trickling_s3(head: bytes):
    """An S3 that sends `head` at once, then one byte every 0.05 s for 20 s: each read is quick,
    the whole never ends in time."""

    class Trickle(BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                self.wfile.write(head)
                for _ in range(400):
                    self.wfile.write(b"-")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:  # the service hung up, as it should
                pass

        def log_message(self, *args):
            pass

    return http_server(Trickle)


@contextmanager
def s3_that_never_answers():
    """Accepts connections (the kernel does, from the backlog) and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


STALLED_S3 = {
    "silent": s3_that_never_answers,
    "trickled body": lambda: trickling_s3(b"HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n"),
    "trickled headers": lambda: trickling_s3(b"HTTP/1.1 200 OK\r\nX-Slow: "),
}


@pytest.mark.parametrize("stalled_s3", STALLED_S3)
def test_a_certificate_download_that_stalls_is_given_up_well_inside_alexas_8_seconds(
        alexa_pki, verified_url, monkeypatch, handler_runs, caplog, stalled_s3):
    assert signature.DOWNLOAD_BUDGET_SECONDS <= 3
    monkeypatch.setattr(signature, "DOWNLOAD_BUDGET_SECONDS", 0.5)  # the same code, sooner
    body = cramp_request()
    with STALLED_S3[stalled_s3]() as port:
        monkeypatch.setattr(signature, "connect", connect_to(port))
        # post() gives up after 10 s: without a bound of its own the service never answers.
        status, answer = post(verified_url, body, signed(body, alexa_pki["signing_key"]))
    assert status == 400 and handler_runs == []
    assert any("certificate download took over 0.5 s" in r.getMessage() for r in caplog.records)


def _refusal_logged(caplog, capsys) -> bool:
    warned = any(r.name == "leg_cramp_helper.web" and r.levelno >= logging.WARNING
                 and "refused" in r.getMessage() for r in caplog.records)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()
             if line.startswith("{")]
    return warned and any(line.get("message") == "request" and line["http_status"] // 100 == 4
                          for line in lines)


def test_a_signature_that_is_not_base64_is_a_400_with_a_log_line(alexa_pki, monkeypatch,
                                                                  caplog, capsys):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    app = web.SkillWebService(verify=True)
    body = cramp_request()
    headers = {"SignatureCertChainUrl": CHAIN_URL, "Signature-256": "not base64 at all!"}
    status, answer = wsgi_call(app, body, headers)
    assert status == "400 Bad Request" and "signature" in answer["error"]
    assert alexa_pki["fetched"] == [] and _refusal_logged(caplog, capsys)


def _nested(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _envelope(**changes) -> bytes:
    event = json.loads(cramp_request())
    event["request"].update(changes)
    return json.dumps(event).encode()


MALFORMED = {
    "60 KB of [": (b"[" * 60_000, {}),
    "60 KB of balanced brackets": (b"[" * 30_000 + b"]" * 30_000, {}),
    "JSON nested 500 deep": (_nested(500), {}),
    "a JSON list": (b"[]", {}),
    "a JSON string": (b'"LegCrampIntent"', {}),
    "null": (b"null", {}),
    "not UTF-8": (b'{"request": "\xff\xfe"}', {}),
    "no request": (b"{}", {}),
    "a request that is a string": (b'{"request": "LegCrampIntent"}', {}),
    "a timestamp that is not a time": (_envelope(timestamp="yesterday"), "signed"),
    "a signature that is not base64": (cramp_request(), {"Signature-256": "%%%"}),
    "a signature far too long": (cramp_request(), {"Signature-256": "QUJD" * 2000}),
    "a port that is not a number": (cramp_request(), {
        "SignatureCertChainUrl": "https://s3.amazonaws.com:https/echo.api/c.pem"}),
    "an unclosed IPv6 host": (cramp_request(), {
        "SignatureCertChainUrl": "https://[::1/echo.api/c.pem"}),
    "a chain URL with a fragment": (cramp_request(), {
        "SignatureCertChainUrl": CHAIN_URL + "#x"}),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_every_malformed_request_is_a_4xx_with_a_log_line(alexa_pki, monkeypatch, caplog,
                                                          capsys, handler_runs, name):
    monkeypatch.setenv("SKILL_ID", DEFAULT_SKILL_ID)
    app = web.SkillWebService(verify=True)
    body, headers = MALFORMED[name]
    good = signed(body, alexa_pki["signing_key"])
    status, answer = wsgi_call(app, body, good if headers == "signed" else {**good, **headers})
    assert status[0] == "4" and answer["error"], status
    assert handler_runs == [] and _refusal_logged(caplog, capsys)


# --- issue 20: the second red team -------------------------------------------------------------

def verified_app(clock=None) -> web.SkillWebService:
    """A verifying app; with `clock`, its certificate cache and download gate read that clock."""
    app = web.SkillWebService(verify=True, skill_id=DEFAULT_SKILL_ID)
    if clock is not None:
        app.signatures = signature.SignatureVerifier(signature.ChainCache(clock=clock),
                                                     signature.DownloadGate(clock=clock))
    return app


def test_a_certificate_url_that_failed_is_not_downloaded_again_for_a_while(alexa_pki,
                                                                          handler_runs):
    now = [0.0]
    app = verified_app(lambda: now[0])
    body = cramp_request()
    missing = "https://s3.amazonaws.com/echo.api/not-there.pem"
    for _ in range(20):
        assert wsgi_call(app, body, signed(body, alexa_pki["signing_key"], missing))[0] == \
            "400 Bad Request"
    assert alexa_pki["fetched"] == [missing]
    now[0] += signature.FAILURE_MEMORY_SECONDS + 1
    wsgi_call(app, body, signed(body, alexa_pki["signing_key"], missing))
    assert alexa_pki["fetched"] == [missing, missing] and handler_runs == []


def test_new_certificate_urls_are_downloaded_a_few_a_minute_and_alexas_own_still_works(
        alexa_pki):
    now = [0.0]
    app = verified_app(lambda: now[0])
    body = cramp_request()
    good = signed(body, alexa_pki["signing_key"])

    def flood(start):
        for n in range(start, start + 50):
            made_up = f"https://s3.amazonaws.com/echo.api/made-up-{n}.pem"
            headers = signed(body, alexa_pki["signing_key"], made_up)
            assert wsgi_call(app, body, headers)[0] == "400 Bad Request"

    assert wsgi_call(app, body, good)[0] == "200 OK"  # a new URL too: one of the five
    flood(0)
    assert len(alexa_pki["fetched"]) == signature.NEW_DOWNLOADS_PER_WINDOW
    assert wsgi_call(app, body, good)[0] == "200 OK"

    # An hour on: Alexa's chain is stale, and a new flood has used up the minute's downloads.
    now[0] += signature.CACHE_MAX_AGE_SECONDS + 1
    flood(50)
    assert len(alexa_pki["fetched"]) == 2 * signature.NEW_DOWNLOADS_PER_WINDOW
    assert wsgi_call(app, body, good)[0] == "200 OK"  # fetched again: it was good before
    assert alexa_pki["fetched"][-1] == CHAIN_URL
    assert len(alexa_pki["fetched"]) == 2 * signature.NEW_DOWNLOADS_PER_WINDOW + 1


def test_a_burst_of_requests_for_a_chain_not_yet_held_makes_one_download(alexa_pki):
    app = verified_app()
    body = cramp_request()
    statuses = []

    def ask():
        statuses.append(wsgi_call(app, body, signed(body, alexa_pki["signing_key"]))[0])

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == ["200 OK"] * 20 and alexa_pki["fetched"] == [CHAIN_URL]


def _signed_event(event: dict, key) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    return body, signed(body, key)


@pytest.mark.parametrize("timestamp", [
    "{now:%Y-%m-%dT%H:%M:%S}",  # no zone
    "{now:%Y-%m-%dT%H:%M:%S.%f}",  # no zone, with a fraction
    "{now:%Y-%m-%d %H:%M}",  # not ISO 8601 as Alexa writes it, and no zone
    "0001-01-01T00:00:00+14:00",  # before the start of UTC's calendar
    "{now:%Y-%m-%dT%H:%M:%S}+99:00",  # a zone that does not exist
])
def test_a_timestamp_without_a_zone_or_unreadable_is_a_400_not_a_traceback(
        alexa_pki, handler_runs, caplog, capsys, timestamp):
    event = json.loads(cramp_request())
    event["request"]["timestamp"] = timestamp.format(now=datetime.now(timezone.utc))
    status, answer = wsgi_call(verified_app(), *_signed_event(event, alexa_pki["signing_key"]))
    assert status == "400 Bad Request" and "timestamp" in answer["error"]
    assert handler_runs == [] and alexa_pki["fetched"] == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert _refusal_logged(caplog, capsys)


@pytest.mark.parametrize("written", ["{now:%Y-%m-%dT%H:%M:%SZ}", "{now:%Y-%m-%dT%H:%M:%S.%fZ}",
                                     "{now:%Y-%m-%dT%H:%M:%S+00:00}",
                                     "{local:%Y-%m-%dT%H:%M:%S%z}"])
def test_a_fresh_timestamp_with_its_zone_is_accepted_however_iso_8601_writes_it(alexa_pki,
                                                                                 written):
    now = datetime.now(timezone.utc)
    event = json.loads(cramp_request())
    event["request"]["timestamp"] = written.format(
        now=now, local=now.astimezone(timezone(timedelta(hours=-5))))
    assert wsgi_call(verified_app(), *_signed_event(event, alexa_pki["signing_key"]))[0] == \
        "200 OK"


def test_a_skill_event_may_be_up_to_an_hour_old_as_alexa_allows_a_request_only_150_s(
        alexa_pki, handler_runs):
    app = verified_app()
    late = talk_at(30 * 60)
    event = late.skill_event_request("AlexaSkillEvent.SkillEnabled")
    assert wsgi_call(app, *_signed_event(event, alexa_pki["signing_key"]))[0] == "200 OK"
    launch = late.launch_request()
    assert wsgi_call(app, *_signed_event(launch, alexa_pki["signing_key"]))[0] == \
        "400 Bad Request"
    too_late = talk_at(61 * 60).skill_event_request("AlexaSkillEvent.SkillEnabled")
    assert wsgi_call(app, *_signed_event(too_late, alexa_pki["signing_key"]))[0] == \
        "400 Bad Request"
    assert len(handler_runs) == 1


def _unknown_shape(event):
    event["context"]["Viewport"] = {"shape": "HEXAGONAL", "pixelWidth": 960,
                                    "pixelHeight": 480, "dpi": 160, "experiences": []}


def _unknown_reason(event):
    event["request"] = {**event["request"], "type": "SessionEndedRequest",
                        "reason": "A_REASON_FROM_NEXT_YEAR"}
    event["request"].pop("intent", None)


@pytest.mark.parametrize("bend", [_unknown_shape, _unknown_reason])
def test_a_signed_request_with_a_value_the_sdk_does_not_know_is_answered_as_lambda_answers_it(
        alexa_pki, bend):
    from skill.app import handler

    event = json.loads(cramp_request())
    bend(event)
    status, answer = wsgi_call(verified_app(), *_signed_event(event, alexa_pki["signing_key"]))
    assert status == "200 OK"
    assert answer == handler(event, None)
    speech = (answer["response"].get("outputSpeech") or {}).get("ssml", "")
    assert speech.startswith("<speak>Straighten your leg") or \
        event["request"]["type"] == "SessionEndedRequest" and not speech


def rule_breaks(event, answer) -> list[str]:
    """Alexa's response rules broken by `answer`, read for a possibly broken `event` as the
    hostile-envelope tests read the Lambda handler's answers (localdev.fuzz)."""
    from skill.app import RequestRefused

    return fuzz.problems(lambda *_: answer, event, None, RequestRefused, response_problems)


@pytest.fixture
def local_dev_app(monkeypatch):
    monkeypatch.setenv(web.SKIP_VERIFICATION_ENV, "1")
    return web.SkillWebService()


NOT_ALEXAS = {
    "no request": {},
    "a request that is a string": {"request": "LegCrampIntent"},
    "a request with only a type": {"request": {"type": "IntentRequest"}},
    "an intent that is a number": {"request": {"type": "IntentRequest", "intent": 7}},
    "an intent with no name": {"request": {"type": "IntentRequest", "intent": {},
                                           "timestamp": "2024-06-14T12:00:00Z"}},
    "a launch with a context that is a list": {"context": [],
                                               "request": {"type": "LaunchRequest"}},
    "a session that is a string": {"session": "yes", "request": {"type": "LaunchRequest"}},
    "a request type nobody sends": {"request": {"type": "Cramp.Request"}},
    "a timestamp without a zone": {"request": {"type": "LaunchRequest", "locale": "en-US",
                                               "timestamp": "2024-06-14T12:00:00"}},
}


@pytest.mark.parametrize("name", NOT_ALEXAS)
def test_in_local_dev_mode_an_envelope_that_is_not_alexas_gets_a_4xx_or_a_calm_answer(
        local_dev_app, caplog, name):
    status, answer = wsgi_call(local_dev_app, json.dumps(NOT_ALEXAS[name]).encode())
    assert status in ("200 OK", "400 Bad Request"), answer
    if status == "200 OK":
        assert rule_breaks(NOT_ALEXAS[name], answer) == []
    assert not [r for r in caplog.records if r.name == "leg_cramp_helper.web"
                and r.levelno >= logging.ERROR]


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(event=fuzz.envelopes())
def test_in_local_dev_mode_no_envelope_is_ever_a_5xx(local_dev_app, event):
    status, answer = wsgi_call(local_dev_app, json.dumps(event).encode())
    assert status[0] in "24", (status, answer)
    if status == "200 OK":
        assert rule_breaks(event, answer) == []


HUGE = "x" * 30_000


def _huge_fields(event):
    event["request"].update(requestId=HUGE, locale=HUGE, type=HUGE, intent={"name": HUGE})


def _huge_skill_id(event):
    event["context"]["System"]["application"]["applicationId"] = HUGE * 3


@pytest.mark.parametrize("refusal", ["another skill", "a bad signature", "a huge URL",
                                     "a huge signature"])
def test_a_refused_requests_fields_are_logged_cut_short(alexa_pki, caplog, capsys, refusal):
    event = json.loads(cramp_request())
    (_huge_skill_id if refusal == "another skill" else _huge_fields)(event)
    body = json.dumps(event).encode()
    assert len(body) > 90_000
    headers = signed(body, alexa_pki["stranger_key"])
    if refusal == "a huge URL":
        headers["SignatureCertChainUrl"] = "https://s3.amazonaws.com/echo.api/" + HUGE
    elif refusal == "a huge signature":
        headers["Signature-256"] = HUGE
    assert wsgi_call(verified_app(), body, headers)[0] == "400 Bad Request"
    lines = capsys.readouterr().err.splitlines()
    assert lines and max(len(line) for line in lines) < 2_000
    messages = [record.getMessage() for record in caplog.records]
    assert messages and max(len(message) for message in messages) < 2_000
    request_line = json.loads(lines[-1])
    assert request_line["http_status"] == 400
    if refusal != "another skill":
        assert request_line["request_id"].startswith("xxx")
        assert request_line["request_id"].endswith("(30000 characters)")


def test_a_client_that_connects_and_says_nothing_holds_up_no_one_else(local_dev_app):
    with serving(local_dev_app) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port)) as silent, \
                socket.create_connection(("127.0.0.1", port)) as half_sent:
            half_sent.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900\r\n\r\n{")
            # post() gives up after 10 s: a server held by either client would never answer.
            status, answer = post(url, cramp_request())
            assert status == 200
            assert "Straighten your leg" in answer["response"]["outputSpeech"]["ssml"]
            assert silent.fileno() != -1


def test_a_silent_client_is_let_go_after_the_socket_timeout(local_dev_app, monkeypatch):
    assert server.SOCKET_TIMEOUT_SECONDS <= 30
    monkeypatch.setattr(server._Handler, "timeout", 0.3)  # the same code, sooner
    with serving(local_dev_app) as url:
        port = int(url.rsplit(":", 1)[1].strip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=10) as silent:
            assert silent.recv(1024) == b""  # closed by the server, not by our 10 s
