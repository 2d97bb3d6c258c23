"""The Redis broker takes a dead worker's messages back after ANJU_BROKER_HEARTBEAT_MS, checking often."""

from __future__ import annotations

from dramatiq.brokers.redis import RedisBroker

from core.broker import build_broker


def test_redis_broker_requeues_after_the_configured_heartbeat_and_checks_one_command_in_ten() -> None:
    broker = build_broker("redis://127.0.0.1:1/0", heartbeat_ms=2_000)  # builds without connecting
    assert isinstance(broker, RedisBroker)
    assert (broker.heartbeat_timeout, broker.maintenance_chance) == (2_000, 100_000)


def test_the_default_heartbeat_is_dramatiqs_minute() -> None:
    broker = build_broker("redis://127.0.0.1:1/0")
    assert isinstance(broker, RedisBroker)
    assert broker.heartbeat_timeout == 60_000
