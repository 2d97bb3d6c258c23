"""What adjusters and officers see of visits in a browser: the adjuster's day on the phone, its PDF,
and the officers' adjusters page. The pages are shells whose scripts (claims/visits/static/) call the
JSON API with the login cookie, so every rule stays in the API."""

from __future__ import annotations

from datetime import date

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.controllers.visits import ADJUSTERS
from claims.visits.services.day_pdf import day_pdf
from core.auth import AuthRequest
from core.clock import today

# Shells carry no data, so they load without a token; their scripts send people to /login on a 401.
OPEN = {"exclude_from_auth": True}
SHELL_HEADERS = {"Cache-Control": "no-store"}


@get("/adjuster/day", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def adjuster_day_page() -> Template:
    return Template(
        template_name="claims.visits/page_day.html", context={"title": "今日查勘"}, headers=SHELL_HEADERS
    )


@get("/adjusters/page", opt=OPEN, include_in_schema=False, sync_to_thread=False)
def adjusters_page() -> Template:
    return Template(
        template_name="claims.visits/page_adjusters.html",
        context={"title": "查勘员管理"},
        headers=SHELL_HEADERS,
    )


@get(
    "/adjuster/day.pdf",
    guards=[ADJUSTERS],
    tags=["visits"],
    summary="The calling adjuster's day as a printable one-page A4 PDF (Chinese)",
    media_type="application/pdf",
)
async def adjuster_day_pdf(
    request: AuthRequest, db_session: NamedDependency[AsyncSession], on: FromQuery[date | None] = None
) -> Response[bytes]:
    day = on or today()
    return Response(
        await day_pdf(db_session, request.user, day),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="visits-{day.isoformat()}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )
