"""The in-process scheduler sends exactly the periodic actors due in a given business-calendar minute."""

from __future__ import annotations

import pendulum

from core.broker import broker
from core.schedule import periodic_actors, send_due


def test_every_minute_actor_is_due_and_sent() -> None:
    broker.flush_all()
    now = pendulum.datetime(2026, 11, 22, 9, 30, tz="Asia/Shanghai")
    sent = send_due(now)
    assert "core.redispatch_outbox" in sent
    assert broker.queues["default"].qsize() == len(sent)
    broker.flush_all()


def test_only_matching_schedules_are_sent() -> None:
    broker.flush_all()
    now = pendulum.datetime(2026, 11, 22, 9, 31, tz="Asia/Shanghai")
    sent = set(send_due(now))
    expected = {a.actor_name for a in periodic_actors() if a.options["periodic"].validate(now)}
    assert sent == expected
    broker.flush_all()
