"""The governance dashboard: figures, charts and a village's claims (JSON), and the page over them.

Readers: auditors (their district), claims officers (their regions) and admins. The page is a shell
with no data, like the other pages: its script (reports/static/dashboard.js) calls the API with the
login cookie, so every permission stays in the API.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from reports.schemas import Dashboard, DashboardCharts, RegionClaim
from reports.services import dashboard

READERS = (Role.AUDITOR, Role.CLAIMS_OFFICER, Role.ADMIN)

RegionCode = Annotated[
    str, QueryParameter(pattern=r"^(\d{6}|\d{9}|\d{12})$", description="a district, town or village code")
]
VillageCode = Annotated[str, QueryParameter(pattern=r"^\d{12}$", description="a village code")]
DateFrom = Annotated[
    date | None, QueryParameter(name="from", description="first business day (default: this month's 1st)")
]
DateTo = Annotated[
    date | None, QueryParameter(name="to", description="last business day, included (default: today)")
]


class DashboardController(Controller):
    path = "/reports/dashboard"
    tags = ["reports"]
    guards = [require_roles(*READERS)]

    @get(
        summary="Figures of a district, town or village over a period, with its parts for the drill-down",
        description="403 for a region outside the caller's; 422 for a period ending before it starts.",
    )
    async def figures(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        region_code: RegionCode,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> Dashboard:
        return await dashboard.dashboard(
            db_session, request.user, code=region_code, date_from=date_from, date_to=date_to
        )

    @get("/charts", summary="The dashboard's charts as SVG (Chinese labels in the CJK font)")
    async def charts(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        region_code: RegionCode,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> DashboardCharts:
        return await dashboard.dashboard_charts(
            db_session, request.user, code=region_code, date_from=date_from, date_to=date_to
        )

    @get("/claims", summary="A village's claims reported or paid in the period (newest first, at most 500)")
    async def claims(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: VillageCode,
        date_from: DateFrom = None,
        date_to: DateTo = None,
    ) -> list[RegionClaim]:
        return await dashboard.region_claims(
            db_session, request.user, code=village_code, date_from=date_from, date_to=date_to
        )


# A shell with no data, so it loads without a token; its script sends people to /login on a 401.
@get(
    "/reports/dashboard/page", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False
)
def dashboard_page() -> Template:
    return Template(
        template_name="reports/page_dashboard.html",
        context={"title": "治理工作台"},
        headers={"Cache-Control": "no-store"},
    )
