"""Monthly governance reports: request a build, follow it, download the PDF; and the page over them.

Claims officers and admins request builds (a POST; the schedule builds every district's previous
month too); auditors, officers and admins read the builds of their districts and download them.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Template
from litestar.status_codes import HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.openapi import problem_spec
from reports.controllers.dashboard import READERS
from reports.schemas import MonthlyReportRequest, MonthlyReportView
from reports.services import monthly
from reports.tasks import build_monthly_report

PDF = "application/pdf"
REQUESTERS = (Role.CLAIMS_OFFICER, Role.ADMIN)


class MonthlyReportController(Controller):
    path = "/reports/monthly-reports"
    tags = ["reports"]
    guards = [require_roles(*READERS)]

    @post(
        guards=[require_roles(*REQUESTERS)],
        status_code=HTTP_202_ACCEPTED,
        summary="Ask for a district's report of a month that is over; built in the background",
        description=(
            "Answers 202 with the build. The same district and month always give the same build: "
            "one already asked for (or built by the monthly schedule) is returned, not built again."
        ),
    )
    async def request_build(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[MonthlyReportRequest],
    ) -> Response[MonthlyReportView]:
        async def create() -> MonthlyReportView:
            report = await monthly.request_build(
                db_session,
                request.user,
                build_monthly_report,
                district_code=data.district_code,
                month_text=data.month,
            )
            return monthly.view(report)

        return await create_once(
            request,
            db_session,
            owner=request.user.username,
            data=data,
            create=create,
            status_code=HTTP_202_ACCEPTED,
        )

    @get(summary="The report builds of the caller's districts, newest month first")
    async def list_builds(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        district_code: FromQuery[str | None] = None,
    ) -> list[MonthlyReportView]:
        rows = await monthly.list_builds(db_session, request.user, district_code=district_code)
        return [monthly.view(row) for row in rows]

    @get("/{report_id:uuid}", summary="A build: queued or done, and where to download it when done")
    async def get_build(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], report_id: FromPath[UUID]
    ) -> MonthlyReportView:
        return monthly.view(await monthly.get_build(db_session, request.user, report_id))

    @get(
        "/{report_id:uuid}/report.pdf",
        media_type=PDF,
        summary="The report's PDF, as built (never rebuilt)",
        responses={409: problem_spec(409, "The report is still being built")},
    )
    async def download(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], report_id: FromPath[UUID]
    ) -> Response[bytes]:
        report, pdf = await monthly.report_pdf(db_session, request.user, report_id)
        name = f"governance-report-{report.district_code}-{report.month:%Y-%m}.pdf"
        return Response(
            pdf,
            media_type=PDF,
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private"},
        )


@get(
    "/reports/monthly-reports/page",
    opt={"exclude_from_auth": True},
    include_in_schema=False,
    sync_to_thread=False,
)
def monthly_reports_page() -> Template:
    return Template(
        template_name="reports/page_monthly.html",
        context={"title": "治理月报"},
        headers={"Cache-Control": "no-store"},
    )
