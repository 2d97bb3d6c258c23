"""Monthly report builds: requested (or scheduled) once per district and month, built in the background,
kept and served again."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from core import audit, scope
from core.auth import Principal
from core.clock import today, utcnow
from core.outbox import OutboxActor, enqueue
from policies.models import Region
from reports import schemas
from reports.domain import month_period, previous_month
from reports.errors import MonthlyReportNotFound, MonthlyReportNotReady, MonthNotOver, NotADistrict
from reports.models import MonthlyReport
from reports.services.dashboard import readable_region
from reports.services.monthly_content import render_report

SCHEDULE_ACTOR = "schedule"


def view(report: MonthlyReport) -> schemas.MonthlyReportView:
    return schemas.MonthlyReportView(
        id=report.id,
        district_code=report.district_code,
        month=f"{report.month:%Y-%m}",
        status=report.status,
        requested_by=report.requested_by,
        requested_at=report.created_at,
        built_at=report.built_at,
        size_bytes=report.size_bytes,
        download_href=f"/reports/monthly-reports/{report.id}/report.pdf" if report.status == "done" else None,
    )


def parse_month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


async def find(session: AsyncSession, district_code: str, month: date) -> MonthlyReport | None:
    return await session.scalar(
        select(MonthlyReport).where(
            MonthlyReport.district_code == district_code, MonthlyReport.month == month
        )
    )


async def queue_build(
    session: AsyncSession, builder: OutboxActor, *, district_code: str, month: date, actor: str
) -> MonthlyReport:
    """The district's report for the month: the existing build, or a new one queued for `builder`."""
    existing = await find(session, district_code, month)
    if existing is not None:
        return existing
    report = MonthlyReport(id=uuid4(), district_code=district_code, month=month, requested_by=actor)
    session.add(report)
    await session.flush()
    enqueue(session, builder, str(report.id))
    await audit.record(
        session,
        actor=actor,
        action="monthly_report.requested",
        subject_type="monthly_report",
        subject_id=report.id,
        region_code=district_code,
        after={"month": f"{month:%Y-%m}"},
    )
    return report


async def request_build(
    session: AsyncSession, principal: Principal, builder: OutboxActor, *, district_code: str, month_text: str
) -> MonthlyReport:
    region = await readable_region(session, principal, district_code)
    if region.level != "district":
        raise NotADistrict(district_code)
    month = parse_month(month_text)
    if month_period(month).last >= today():
        raise MonthNotOver(month_text)
    return await queue_build(
        session, builder, district_code=district_code, month=month, actor=principal.username
    )


async def schedule_previous_month(session: AsyncSession, builder: OutboxActor) -> int:
    """Queue last month's report of every district that has none yet; returns how many were queued."""
    month = previous_month(today())
    districts = await session.scalars(select(Region.code).where(Region.level == "district"))
    queued = 0
    for code in districts.all():
        if await find(session, code, month) is None:
            await queue_build(session, builder, district_code=code, month=month, actor=SCHEDULE_ACTOR)
            queued += 1
    return queued


async def list_builds(
    session: AsyncSession, principal: Principal, *, district_code: str | None
) -> Sequence[MonthlyReport]:
    query = select(MonthlyReport).where(scope.region_clause(principal, MonthlyReport.district_code))
    if district_code:
        query = query.where(MonthlyReport.district_code == district_code)
    rows = await session.scalars(query.order_by(MonthlyReport.month.desc(), MonthlyReport.district_code))
    return rows.all()


async def get_build(
    session: AsyncSession, principal: Principal, report_id: UUID, *, with_pdf: bool = False
) -> MonthlyReport:
    """A build the caller's scope covers; any other is answered as unknown."""
    options = [undefer(MonthlyReport.pdf)] if with_pdf else []
    report = await session.get(MonthlyReport, report_id, options=options)
    if report is None or not scope.covers(principal, report.district_code):
        raise MonthlyReportNotFound(str(report_id))
    return report


async def report_pdf(
    session: AsyncSession, principal: Principal, report_id: UUID
) -> tuple[MonthlyReport, bytes]:
    report = await get_build(session, principal, report_id, with_pdf=True)
    if report.status != "done" or report.pdf is None:
        raise MonthlyReportNotReady(str(report_id))
    return report, report.pdf


async def build(session: AsyncSession, report_id: UUID) -> None:
    """Render and keep the report; a build already done is left as it is (safe to run twice)."""
    report = await session.get(MonthlyReport, report_id, with_for_update=True)
    if report is None or report.status == "done":
        return
    pdf = await render_report(session, report.district_code, report.month)
    report.pdf = pdf
    report.size_bytes = len(pdf)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.status = "done"
    report.built_at = utcnow()
