"""HTTP for regions: list and look up in scope, import a CSV (admin)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, RawBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.views import from_row
from policies.schemas import RegionImportResult, RegionView
from policies.services import regions


class RegionController(Controller):
    path = "/regions"
    tags = ["regions"]

    @get("/", summary="Regions in the caller's scope, by parent or level")
    async def list_regions(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        parent: FromQuery[str | None] = None,
        level: FromQuery[str | None] = None,
    ) -> list[RegionView]:
        rows = await regions.list_regions(db_session, request.user, parent=parent, level=level)
        return [from_row(r, RegionView) for r in rows]

    @get("/{code:str}", summary="One region by its code")
    async def get_region(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], code: FromPath[str]
    ) -> RegionView:
        return from_row(await regions.get_readable_region(db_session, request.user, code), RegionView)

    @post(
        "/import",
        status_code=200,
        guards=[require_roles(Role.ADMIN)],
        summary="Import regions from CSV (admin)",
        opt={"raw_body": "text/csv"},
    )
    async def import_regions(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        body: RawBody,
    ) -> RegionImportResult:
        rows = regions.parse_regions(regions.decode_region_file(body))
        return await regions.import_regions(db_session, actor=request.user.username, rows=rows)
