"""The Alexa API client's costs: its TLS context is built once per container, on first need."""

from ask_sdk_model.services import ApiClientRequest

from skill.alexa.api_client import TimeoutApiClient


def test_the_tls_context_is_built_once_and_kept():
    client = TimeoutApiClient()
    assert client._tls is None  # nothing paid for at build time
    assert client._tls_context() is client._tls_context()


def test_a_loopback_call_needs_no_tls_context(alexa_api):
    client = TimeoutApiClient()
    request = ApiClientRequest(
        url=f"{alexa_api.url}/v2/devices/device-1/settings/System.timeZone", method="GET",
        headers=[("Authorization", "Bearer token")])
    answer = client.invoke(request)
    assert answer.status_code == 200 and "Europe/London" in answer.body
    assert client._tls is None
