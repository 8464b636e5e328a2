"""The Alexa API client: each call ends within its budget, however the server answers (a whole
answer trickled a byte at a time included); its TLS context is built once per container, on first
need; and one connection per host is kept open between requests, and opened again when the server
drops it."""

import socket
import threading
import time

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.alexa.api_client import RESERVED_SECONDS, BoundedApiClient, invocation


def time_zone_request(url: str) -> ApiClientRequest:
    return ApiClientRequest(url=f"{url}/v2/devices/device-1/settings/System.timeZone",
                            method="GET", headers=[("Authorization", "Bearer token")])


class Connections:
    """Counts the TCP connections the client opens (Python's audit hook sees every one)."""

    def __init__(self, port: int):
        self.port, self.opened = port, 0

    def __call__(self, event, args):
        if event == "socket.connect" and isinstance(args[1], tuple) and args[1][1] == self.port:
            self.opened += 1


@pytest.fixture(scope="module")
def connections(alexa_api_server):
    import sys

    counter = Connections(int(alexa_api_server.url.rsplit(":", 1)[1]))
    sys.addaudithook(counter)  # cannot be removed: it counts only the stand-in's port
    return counter


def test_the_tls_context_is_built_once_and_kept():
    client = BoundedApiClient()
    assert client._tls is None  # nothing paid for at build time
    assert client._tls_context() is client._tls_context()


def test_a_loopback_call_needs_no_tls_context(alexa_api):
    client = BoundedApiClient()
    answer = client.invoke(time_zone_request(alexa_api.url))
    assert answer.status_code == 200 and "Europe/London" in answer.body
    assert client._tls is None


def test_one_connection_serves_request_after_request(alexa_api, connections):
    client = BoundedApiClient()
    before = connections.opened
    for _ in range(3):
        assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1
    assert len(alexa_api.devices_asked) == 3


def test_an_http_error_is_an_answer_and_the_connection_is_kept(alexa_api, connections):
    client = BoundedApiClient()
    before = connections.opened
    alexa_api.status = 500
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 500
    alexa_api.status = 200
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1


def test_a_connection_the_server_dropped_is_opened_again(alexa_api, connections):
    client = BoundedApiClient()
    client.invoke(time_zone_request(alexa_api.url))
    # The server closes the idle connection, as servers do after a while.
    [kept] = client._idle.values()
    kept.sock.shutdown(socket.SHUT_RDWR)
    before = connections.opened
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1


def test_after_close_the_next_request_opens_a_new_connection(alexa_api, connections):
    client = BoundedApiClient()
    client.invoke(time_zone_request(alexa_api.url))
    client.close()
    assert client._idle == {}
    before = connections.opened
    client.invoke(time_zone_request(alexa_api.url))
    assert connections.opened - before == 1


def test_a_timeout_is_not_retried(alexa_api):
    client = BoundedApiClient(budget=0.1)
    client.invoke(time_zone_request(alexa_api.url))
    alexa_api.delay = 5
    with pytest.raises(ApiClientException, match="timed out"):
        client.invoke(time_zone_request(alexa_api.url))
    assert len(alexa_api.requests) == 2


# A byte every 20 ms: each read gets a byte long before any per-read timeout, and the whole
# answer (about 130 bytes) takes about 3 s, far past the budgets below.
TRICKLE = 0.02


def test_an_answer_trickled_a_byte_at_a_time_is_given_up_on_when_the_budget_is_spent(alexa_api):
    client = BoundedApiClient(budget=0.2)
    alexa_api.trickle = TRICKLE
    with pytest.raises(ApiClientException, match="timed out"):
        client.invoke(time_zone_request(alexa_api.url))
    # The client hung up while the answer was still coming: not one whole answer was sent.
    assert alexa_api.trickled.get(timeout=10) is False
    assert client._idle == {}  # a connection given up on is never used again


def test_a_reminder_call_has_the_same_budget(alexa_api):
    client = BoundedApiClient(budget=0.2)
    alexa_api.trickle = TRICKLE
    create = ApiClientRequest(url=f"{alexa_api.url}/v1/alerts/reminders", method="POST",
                              headers=[("Authorization", "Bearer token"),
                                       ("Content-Type", "application/json")],
                              body={"requestTime": "2024-06-14T12:00:00.000"})
    with pytest.raises(ApiClientException, match="timed out"):
        client.invoke(create)
    assert alexa_api.trickled.get(timeout=10) is False


def test_a_kept_connection_gets_a_fresh_budget_for_each_call(alexa_api):
    client = BoundedApiClient(budget=0.3)
    for _ in range(3):  # each well within the budget, their sum past it
        assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
        time.sleep(0.15)
    assert len(client._idle) == 1


def test_a_tls_handshake_trickled_a_byte_at_a_time_is_given_up_on_too():
    """Every step has the budget, not only the answer: here the server's first TLS record comes
    a byte at a time."""
    listener = socket.create_server(("127.0.0.1", 0))
    port, cut_short = listener.getsockname()[1], threading.Event()

    def handshake_trickled():
        client, _ = listener.accept()
        record = bytes([0x16, 3, 3, 0x40, 0]) + bytes(0x4000)  # a handshake record, 16 KB
        try:
            for byte in range(len(record)):
                client.sendall(record[byte:byte + 1])
                time.sleep(TRICKLE)  # not a timed wait: see localdev/api_stand_in.py
        except OSError:
            cut_short.set()  # the client hung up
        finally:
            client.close()

    server = threading.Thread(target=handshake_trickled, daemon=True)
    server.start()
    with listener, pytest.raises(ApiClientException, match="timed out"):
        BoundedApiClient(budget=0.2).invoke(time_zone_request(f"https://127.0.0.1:{port}"))
    server.join(timeout=10)
    assert cut_short.is_set()


class LambdaContext:
    """What a Lambda invocation's context says about its time: `left` seconds."""

    def __init__(self, left: float):
        self.left = left

    def get_remaining_time_in_millis(self) -> int:
        return int(self.left * 1000)


def test_a_call_never_runs_into_the_invocations_reserved_time(alexa_api):
    client = BoundedApiClient(budget=5)
    alexa_api.trickle = TRICKLE
    with invocation(LambdaContext(RESERVED_SECONDS + 0.2)):
        with pytest.raises(ApiClientException, match="timed out"):
            client.invoke(time_zone_request(alexa_api.url))
    assert alexa_api.trickled.get(timeout=10) is False


def test_with_the_invocation_already_short_of_time_no_call_is_made(alexa_api):
    client = BoundedApiClient(budget=5)
    with invocation(LambdaContext(RESERVED_SECONDS - 0.5)):
        with pytest.raises(ApiClientException, match="timed out"):
            client.invoke(time_zone_request(alexa_api.url))
    assert alexa_api.requests == []


def test_outside_an_invocation_each_call_has_its_budget_only(alexa_api):
    client = BoundedApiClient(budget=5)
    with invocation(LambdaContext(RESERVED_SECONDS - 0.5)):
        pass
    with invocation(None):
        assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200


def test_requests_at_once_each_get_a_connection_and_one_is_kept(alexa_api):
    client = BoundedApiClient()
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(
        client.invoke(time_zone_request(alexa_api.url)).status_code)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4 and len(client._idle) == 1


def test_only_https_leaves_the_machine():
    with pytest.raises(ApiClientException, match="non-HTTPS"):
        BoundedApiClient().invoke(time_zone_request("http://api.amazonalexa.com"))
