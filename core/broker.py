"""Dramatiq brokers: create_app builds one per app from its settings; nothing here is global.

ANJU_BROKER_URL picks it: "" (embedded default) an in-memory broker drained by an in-process
worker; "stub" the same broker with no worker (tests join it themselves); "redis://…" Redis,
drained by separate `dramatiq worker` processes (worker.py).
"""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware.asyncio import AsyncIO
from periodiq import PeriodiqMiddleware

from core.settings import Settings


def build_broker(url: str) -> dramatiq.Broker:
    broker: dramatiq.Broker
    if url.startswith("redis://") or url.startswith("rediss://"):
        from dramatiq.brokers.redis import RedisBroker

        broker = RedisBroker(url=url)
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
