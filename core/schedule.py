"""Periodic work: the outbox sweeper, the audit checkpoint, and the in-process scheduler used by the
embedded set-up.

In production `periodiq worker` schedules every actor declared with `periodic=cron(...)` (run it
with TZ=Asia/Shanghai: cron times are business-calendar times). The embedded set-up has no
periodiq process, so `run_schedule` does the same from inside the app, once a minute.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import dramatiq
import pendulum
from periodiq import cron
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import checkpoint_chain
from core.clock import BUSINESS_TZ
from core.outbox import OutboxActor, outbox_actor, redispatch_pending

log = logging.getLogger(__name__)


@outbox_actor(actor_name="core.redispatch_outbox", periodic=cron("* * * * *"))
async def redispatch_outbox(session: AsyncSession) -> None:
    """Send again work whose message was lost between commit and broker (older than a minute)."""
    sent = await redispatch_pending(session, older_than=timedelta(minutes=1))
    if sent:
        log.warning("re-sent %d outbox messages", sent)


@outbox_actor(actor_name="core.checkpoint_audit", periodic=cron("* * * * *"), max_retries=0)
async def checkpoint_audit(session: AsyncSession) -> None:
    """Move the audit checkpoint to the chain's head every minute, so deleting the newest events is
    caught; a chain that no longer matches it is reported here, every minute, until someone looks."""
    report = await checkpoint_chain(session)
    if not report.ok:
        log.error("audit chain BROKEN at event %s: %s", report.first_broken_id, report.problem)


ACTORS: list[OutboxActor] = [redispatch_outbox, checkpoint_audit]


def periodic_actors(broker: dramatiq.Broker) -> list[dramatiq.Actor[Any, Any]]:
    return [actor for actor in broker.actors.values() if "periodic" in actor.options]


def send_due(broker: dramatiq.Broker, now: pendulum.DateTime) -> list[str]:
    """Send every periodic actor of `broker` whose schedule matches this minute; return their names."""
    due = [actor for actor in periodic_actors(broker) if actor.options["periodic"].validate(now)]
    for actor in due:
        actor.send_with_options(scheduled_at=str(now))
    return [actor.actor_name for actor in due]


async def run_schedule(broker: dramatiq.Broker) -> None:
    """Wake at the start of every business-calendar minute and send what is due, until cancelled."""
    while True:
        now = pendulum.now(BUSINESS_TZ.key)
        await asyncio.sleep(60 - now.second - now.microsecond / 1_000_000)
        send_due(broker, pendulum.now(BUSINESS_TZ.key).replace(second=0, microsecond=0))
