"""HTTP for findings and the desk-review sample (JSON), and the page over them. Every route is a read.

The page is a shell with no data, like the claim pages: its script (static/findings.js) calls the
two endpoints with the login cookie, so every permission stays in the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from reports.findings import services
from reports.findings.kinds import FindingKind
from reports.findings.schemas import DeskSample, FindingsReport
from reports.findings.window import FromDate, RegionCode, ToDate, window

STATIC_DIR = Path(__file__).parent / "static"
# Auditors read their district; admins everything; claims officers their own region (they answer
# for the payouts they approve, so they should see what looks wrong in them first).
READERS = (Role.AUDITOR, Role.ADMIN, Role.CLAIMS_OFFICER)

SampleSize = Annotated[int, QueryParameter(ge=1, le=200, description="Claims to draw (all if fewer)")]
Seed = Annotated[
    int | None,
    QueryParameter(
        ge=1, le=services.SEED_LIMIT, description="Draw the same sample again; omitted: a new seed"
    ),
]


class FindingsController(Controller):
    path = "/reports"
    tags = ["reports"]
    guards = [require_roles(*READERS)]

    @get(
        "/findings",
        summary="What an auditor should look at in a region and period, each with its evidence and a link",
        description="The region must be in the caller's scope (403 otherwise). `kind` runs one rule only.",
    )
    async def findings(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        kind: FromQuery[FindingKind | None] = None,
    ) -> FindingsReport:
        filters = window(request.user, region_code, from_on, to_on)
        return await services.find(db_session, principal=request.user, window=filters, kind=kind)

    @get(
        "/sample",
        summary="A reproducible random sample of the period's paid claims for desk review",
        description="The seed is in the answer; given again over the same claims it draws the same sample.",
    )
    async def sample(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        region_code: RegionCode,
        from_on: FromDate,
        to_on: ToDate,
        size: SampleSize = 20,
        seed: Seed = None,
    ) -> DeskSample:
        filters = window(request.user, region_code, from_on, to_on)
        return await services.desk_sample(
            db_session, principal=request.user, window=filters, size=size, seed=seed
        )


# A shell with no data, so it loads without a token; its script sends people to /login on a 401.
@get("/reports/findings/page", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False)
def findings_page() -> Template:
    return Template(
        template_name="reports.findings/page_findings.html",
        context={"title": "审计发现与抽查"},
        headers={"Cache-Control": "no-store"},
    )


ROUTES: list[ControllerRouterHandler] = [FindingsController, findings_page]
