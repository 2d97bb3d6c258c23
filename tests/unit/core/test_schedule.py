"""The in-process scheduler sends exactly the periodic actors due in a given business-calendar minute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dramatiq
import pendulum
import pytest

from app import ACTORS
from core.broker import build_broker
from core.outbox import register_actors, worker_sessionmaker
from core.schedule import send_due


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[dramatiq.Broker]:
    """The app's actors on a stub broker; their database is never opened (nothing runs them)."""
    stub = build_broker("stub")
    register_actors(stub, ACTORS, worker_sessionmaker(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}", stub))
    yield stub
    stub.flush_all()


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (9, 30, {"core.redispatch_outbox", "core.checkpoint_audit", "claims.clock_sweep"}),
        (9, 31, {"core.redispatch_outbox", "core.checkpoint_audit"}),
        (
            0,
            5,
            {
                "core.redispatch_outbox",
                "core.checkpoint_audit",
                "policies.expire_policies",
                "claims.clock_sweep",
            },
        ),
        (
            1,
            20,
            {
                "core.redispatch_outbox",
                "core.checkpoint_audit",
                "payouts.accrue_rebates",
                "claims.clock_sweep",
            },
        ),
    ],
)
def test_only_the_actors_due_this_minute_are_sent(
    broker: dramatiq.Broker, hour: int, minute: int, expected: set[str]
) -> None:
    now = pendulum.datetime(2026, 11, 22, hour, minute, tz="Asia/Shanghai")
    sent = send_due(broker, now)
    assert set(sent) == expected
    assert broker.queues["default"].qsize() == len(expected)
