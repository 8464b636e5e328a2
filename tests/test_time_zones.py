"""The container's memory of device time zones: an hour for an answer, a minute for a failure,
bounded, and holding no device id."""

import logging

from localdev.envelopes import Device
from skill.time_zones import FAILED, TimeZoneCache


class Clock:
    def __init__(self):
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def test_a_time_zone_is_kept_for_an_hour_then_forgotten():
    clock = Clock()
    cache = TimeZoneCache(clock=clock)
    assert cache.get("device-1") is None
    cache.put("device-1", "Europe/London")
    clock.seconds += 3599
    assert cache.get("device-1") == "Europe/London"
    clock.seconds += 1
    assert cache.get("device-1") is None
    assert len(cache) == 0


def test_a_failure_is_kept_only_a_minute():
    clock = Clock()
    cache = TimeZoneCache(clock=clock)
    cache.put("device-1", FAILED)
    clock.seconds += 59
    assert cache.get("device-1") == FAILED
    clock.seconds += 1
    assert cache.get("device-1") is None


def test_failures_need_not_be_kept_at_all():
    cache = TimeZoneCache(failure_ttl=0, clock=Clock())
    cache.put("device-1", FAILED)
    assert cache.get("device-1") is None and len(cache) == 0


def test_the_least_recently_used_device_goes_first_when_it_is_full():
    cache = TimeZoneCache(max_entries=2, clock=Clock())
    cache.put("a", "Europe/London")
    cache.put("b", "America/New_York")
    assert cache.get("a") == "Europe/London"  # now b is the least recently used
    cache.put("c", "Asia/Tokyo")
    assert len(cache) == 2
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == ("Europe/London", "Asia/Tokyo")


def test_it_holds_no_device_id_only_a_hash_of_it():
    cache = TimeZoneCache(clock=Clock())
    device_id = "amzn1.ask.device.AGRSECRET"
    cache.put(device_id, "Europe/London")
    held = repr(cache._entries)
    assert device_id not in held and "AGRSECRET" not in held
    assert all(len(key) == 32 for key in cache._entries)


def test_a_one_shot_request_from_a_device_heard_lately_calls_no_api_and_logs_no_id(
        new_talk, alexa_api, caplog):
    device = Device(device_id="amzn1.ask.device.kept", api_endpoint=alexa_api.url)
    with caplog.at_level(logging.DEBUG):
        new_talk(device=device).say("what causes leg cramps")
        new_talk(device=device).say("what causes leg cramps")
        new_talk(device=Device(device_id="another", api_endpoint=alexa_api.url)).say(
            "what causes leg cramps")
    assert alexa_api.devices_asked == ["amzn1.ask.device.kept", "another"]
    assert "amzn1.ask.device.kept" not in caplog.text


def test_a_failed_lookup_is_not_asked_again_at_once_and_is_after_a_minute(
        new_talk, alexa_api, monkeypatch):
    from skill.time_zones import TIME_ZONES

    clock = Clock()
    monkeypatch.setattr(TIME_ZONES, "clock", clock)
    alexa_api.status = 500
    new_talk().say("what causes leg cramps")
    new_talk().say("what causes leg cramps")
    assert len(alexa_api.requests) == 1
    alexa_api.status = 200
    clock.seconds += 60
    new_talk().say("what causes leg cramps")
    assert len(alexa_api.requests) == 2 and alexa_api.devices_asked
