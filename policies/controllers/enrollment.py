"""Enrollment progress: per village sums and a village's unpaid households (JSON), and the page over them.

The page is a shell with no data, like the claim pages: its script (policies/static/enrollment.js)
calls the two endpoints with the login cookie, so every permission stays in the API.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.schemas import VillageCode
from policies.schemas import EnrollmentProgress, UnpaidHousehold
from policies.services import enrollment

STATIC_DIR = Path(__file__).parents[1] / "static"


class EnrollmentController(Controller):
    path = "/enrollment"
    tags = ["enrollment"]
    guards = [require_roles(Role.ADMIN, Role.LIAISON, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR)]

    @get(
        "/progress",
        summary="Enrollment in a program per village: registered, enrolled, paid, premium collected and due",
        description="Villages in the caller's regions only. Each household counts by its latest term.",
    )
    async def progress(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        program_id: FromQuery[UUID],
    ) -> EnrollmentProgress:
        return await enrollment.village_progress(db_session, request.user, program_id=program_id)

    @get(
        "/unpaid",
        summary="The households of a village that have not paid their latest term (or have none)",
        description="Only for a village in the caller's regions (403 otherwise).",
    )
    async def unpaid(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        program_id: FromQuery[UUID],
        village_code: FromQuery[VillageCode],
    ) -> list[UnpaidHousehold]:
        return await enrollment.unpaid_households(
            db_session, request.user, program_id=program_id, village_code=village_code
        )


# A shell with no data, so it loads without a token; its script sends people to /login on a 401.
@get("/enrollment/page", opt={"exclude_from_auth": True}, include_in_schema=False, sync_to_thread=False)
def enrollment_page() -> Template:
    return Template(
        template_name="policies/page_enrollment.html",
        context={"title": "参保缴费进度"},
        headers={"Cache-Control": "no-store"},
    )
