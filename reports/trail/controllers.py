"""HTTP for a claim's audit trail (JSON) and the page over it. Reads only.

The page is a shell with no data: its script (static/trail.js) calls the API with the login cookie.
"""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, require_roles
from reports.findings.controllers import READERS
from reports.trail.schemas import ClaimTrail
from reports.trail.services import claim_trail

STATIC_DIR = Path(__file__).parent / "static"


class ClaimTrailController(Controller):
    path = "/audit/claims"
    tags = ["audit"]
    guards = [require_roles(*READERS)]

    @get(
        "/{claim_id:uuid}/trail",
        summary="Every audit event about a claim, its visits, assessment and payouts, with the chain checked",
        description="Who, when, what changed and why; each event's hash recomputed and its links checked. "
        "A claim outside the caller's scope is answered 404, like an unknown one.",
    )
    async def trail(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> ClaimTrail:
        return await claim_trail(db_session, principal=request.user, claim_id=claim_id)


# A shell with no data, so it loads without a token; its script sends people to /login on a 401.
@get(
    "/reports/claims/{claim_id:uuid}/trail",
    opt={"exclude_from_auth": True},
    include_in_schema=False,
    sync_to_thread=False,
)
def trail_page(claim_id: FromPath[UUID]) -> Template:
    return Template(
        template_name="reports.trail/page_trail.html",
        context={"title": "案件审计轨迹", "claim_id": str(claim_id)},
        headers={"Cache-Control": "no-store"},
    )


ROUTES: list[ControllerRouterHandler] = [ClaimTrailController, trail_page]
