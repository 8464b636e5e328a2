"""The Alexa API client's costs: its TLS context is built once per container, on first need, and
one connection per host is kept open between requests, and opened again when the server drops
it."""

import socket
import threading

import pytest
from ask_sdk_core.exceptions import ApiClientException
from ask_sdk_model.services import ApiClientRequest

from skill.alexa.api_client import TimeoutApiClient


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
    client = TimeoutApiClient()
    assert client._tls is None  # nothing paid for at build time
    assert client._tls_context() is client._tls_context()


def test_a_loopback_call_needs_no_tls_context(alexa_api):
    client = TimeoutApiClient()
    answer = client.invoke(time_zone_request(alexa_api.url))
    assert answer.status_code == 200 and "Europe/London" in answer.body
    assert client._tls is None


def test_one_connection_serves_request_after_request(alexa_api, connections):
    client = TimeoutApiClient()
    before = connections.opened
    for _ in range(3):
        assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1
    assert len(alexa_api.devices_asked) == 3


def test_an_http_error_is_an_answer_and_the_connection_is_kept(alexa_api, connections):
    client = TimeoutApiClient()
    before = connections.opened
    alexa_api.status = 500
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 500
    alexa_api.status = 200
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1


def test_a_connection_the_server_dropped_is_opened_again(alexa_api, connections):
    client = TimeoutApiClient()
    client.invoke(time_zone_request(alexa_api.url))
    # The server closes the idle connection, as servers do after a while.
    [kept] = client._idle.values()
    kept.sock.shutdown(socket.SHUT_RDWR)
    before = connections.opened
    assert client.invoke(time_zone_request(alexa_api.url)).status_code == 200
    assert connections.opened - before == 1


def test_after_close_the_next_request_opens_a_new_connection(alexa_api, connections):
    client = TimeoutApiClient()
    client.invoke(time_zone_request(alexa_api.url))
    client.close()
    assert client._idle == {}
    before = connections.opened
    client.invoke(time_zone_request(alexa_api.url))
    assert connections.opened - before == 1


def test_a_timeout_is_not_retried(alexa_api):
    client = TimeoutApiClient(timeout=0.1)
    client.invoke(time_zone_request(alexa_api.url))
    alexa_api.delay = 5
    with pytest.raises(ApiClientException, match="timed out"):
        client.invoke(time_zone_request(alexa_api.url))
    assert len(alexa_api.requests) == 2


def test_requests_at_once_each_get_a_connection_and_one_is_kept(alexa_api):
    client = TimeoutApiClient()
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
        TimeoutApiClient().invoke(time_zone_request("http://api.amazonalexa.com"))
