"""Dramatiq brokers: create_app builds one per app from its settings; nothing here is global.

ANJU_BROKER_URL picks it: "" (embedded default) an in-memory broker drained by an in-process
worker; "stub" the same broker with no worker (tests join it themselves); "redis://…" Redis,
drained by separate `dramatiq worker` processes (worker.py).

A worker that dies (SIGKILL, a lost machine) leaves the messages it had fetched unacknowledged in
Redis. Every Redis command may run the broker's maintenance, which gives the messages of a worker
silent for `heartbeat_ms` (ANJU_BROKER_HEARTBEAT_MS, default Dramatiq's 60 s) back to its queue,
where another worker takes them; the actors are safe to run twice (core.outbox).
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware.asyncio import AsyncIO
from periodiq import PeriodiqMiddleware

from core.settings import Settings

DEFAULT_HEARTBEAT_MS = 60_000
# Maintenance on one command in ten (Dramatiq's default is one in a thousand): a quiet service
# makes a few commands a second, so a dead worker's messages come back within a few seconds of
# its heartbeat running out rather than many minutes later. Each maintenance is a few O(log n)
# lookups in Redis.
MAINTENANCE_CHANCE = 100_000


def build_broker(url: str, *, heartbeat_ms: int = DEFAULT_HEARTBEAT_MS) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if url.startswith("redis://") or url.startswith("rediss://"):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url, heartbeat_timeout=heartbeat_ms, maintenance_chance=MAINTENANCE_CHANCE)
    elif url in ("", "stub"):
        broker = StubBroker()
        broker.emit_after("process_boot")
    else:
        raise ValueError(f"ANJU_BROKER_URL must be empty, 'stub' or a redis:// URL, not {url!r}")
    broker.add_middleware(AsyncIO())
    broker.add_middleware(PeriodiqMiddleware(skip_delay=60))
    return broker


def embedded_worker_wanted(settings: Settings) -> bool:
    return settings.broker_url == ""


def start_embedded_worker(broker: dramatiq.Broker) -> dramatiq.Worker:
    worker = dramatiq.Worker(broker, worker_threads=2, worker_timeout=200)
    worker.start()
    return worker
