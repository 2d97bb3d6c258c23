"""Background work of the read side: building monthly reports, on request and every month."""

from __future__ import annotations

import logging
from uuid import UUID

from periodiq import cron
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import today
from core.outbox import OutboxActor, outbox_actor
from reports.services import coverage, monthly

log = logging.getLogger(__name__)


@outbox_actor(actor_name="reports.build_monthly_report", max_retries=3)
async def build_monthly_report(session: AsyncSession, report_id: str) -> None:
    """Render a queued report and keep it; a report already built is left alone."""
    await monthly.build(session, UUID(report_id))


# 06:00 business time on the 1st (periodiq runs with TZ=Asia/Shanghai): last month is over everywhere.
@outbox_actor(actor_name="reports.schedule_monthly_reports", periodic=cron("0 6 1 * *"))
async def schedule_monthly_reports(session: AsyncSession) -> None:
    """Queue last month's report for every district that has none (safe to run twice)."""
    queued = await monthly.schedule_previous_month(session, build_monthly_report)
    log.info("queued %d monthly reports", queued)


# 01:30 business time: the day's imports and renewals are in, nobody is reading the dashboard.
@outbox_actor(actor_name="reports.count_coverage", periodic=cron("30 1 * * *"))
async def count_coverage(session: AsyncSession) -> None:
    """Count this month's covered households and people of every district again (safe to repeat)."""
    month = today().replace(day=1)
    for district in await coverage.districts(session):
        await coverage.count_month(session, district, month)


ACTORS: list[OutboxActor] = [build_monthly_report, schedule_monthly_reports, count_coverage]
