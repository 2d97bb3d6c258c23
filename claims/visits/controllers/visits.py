"""HTTP for site visits: the officer's list of a day, the adjuster's own day, moving a visit."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from litestar import Controller, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits import schemas
from claims.visits.services import visits
from core.auth import AuthRequest, Role, require_roles
from core.clock import today

OFFICERS = require_roles(Role.CLAIMS_OFFICER, Role.ADMIN)
READERS = require_roles(Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)
ADJUSTERS = require_roles(Role.ADJUSTER)


class VisitController(Controller):
    path = "/visits"
    tags = ["visits"]

    @get("/", guards=[READERS], summary="Visits of one day in the caller's villages (phones masked)")
    async def list_visits(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        on: FromQuery[date | None] = None,
        adjuster_id: FromQuery[UUID | None] = None,
    ) -> list[schemas.Visit]:
        return await visits.list_visits(db_session, request.user, on=on or today(), adjuster_id=adjuster_id)

    @get("/mine", guards=[ADJUSTERS], summary="The calling adjuster's visits of one day, in route order")
    async def mine(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        on: FromQuery[date | None] = None,
    ) -> list[schemas.Visit]:
        return await visits.my_day(db_session, request.user, on or today())

    @get("/{visit_id:uuid}", guards=[READERS], summary="One visit")
    async def get_visit(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], visit_id: FromPath[UUID]
    ) -> schemas.Visit:
        return await visits.get_one(db_session, request.user, visit_id)

    @patch(
        "/{visit_id:uuid}",
        guards=[OFFICERS],
        summary="Reschedule or reassign a visit (the adjuster covers the village, works, has room)",
    )
    async def move(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        visit_id: FromPath[UUID],
        data: JSONBody[schemas.VisitMove],
    ) -> schemas.Visit:
        return await visits.move_visit(db_session, request.user, visit_id, data)
