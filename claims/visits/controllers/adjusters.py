"""HTTP for adjusters: officers and admins register, change and list them, and record days off."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits import schemas
from claims.visits.services import adjusters
from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once

MANAGERS = require_roles(Role.CLAIMS_OFFICER, Role.ADMIN)
READERS = require_roles(Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)


class AdjusterController(Controller):
    path = "/adjusters"
    tags = ["visits"]

    @post("/", guards=[MANAGERS], summary="Register an adjuster: villages, daily capacity, weekdays, home")
    async def create(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[schemas.AdjusterCreate],
    ) -> Response[schemas.Adjuster]:
        async def make() -> schemas.Adjuster:
            return await adjusters.create(db_session, request.user, data)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=make)

    @get("/", guards=[READERS], summary="Adjusters of the caller's districts")
    async def list_adjusters(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession]
    ) -> list[schemas.Adjuster]:
        return await adjusters.list_adjusters(db_session, request.user)

    @get("/{adjuster_id:uuid}", guards=[READERS], summary="One adjuster")
    async def get_adjuster(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], adjuster_id: FromPath[UUID]
    ) -> schemas.Adjuster:
        return await adjusters.to_view(
            db_session, await adjusters.get_managed(db_session, request.user, adjuster_id)
        )

    @patch("/{adjuster_id:uuid}", guards=[MANAGERS], summary="Change an adjuster (visits planned stay)")
    async def update(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        adjuster_id: FromPath[UUID],
        data: JSONBody[schemas.AdjusterUpdate],
    ) -> schemas.Adjuster:
        return await adjusters.update(db_session, request.user, adjuster_id, data)

    @post(
        "/{adjuster_id:uuid}/days-off",
        guards=[MANAGERS],
        summary="Mark a day off: that day's visits are planned again and the residents told",
    )
    async def add_day_off(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        adjuster_id: FromPath[UUID],
        data: JSONBody[schemas.DayOffCreate],
    ) -> Response[schemas.DayOff]:
        async def make() -> schemas.DayOff:
            return await adjusters.add_day_off(db_session, request.user, adjuster_id, data)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=make)
