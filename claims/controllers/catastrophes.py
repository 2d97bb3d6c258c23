"""HTTP for catastrophes: declaring an event, its board of counts, liaisons confirming or clearing,
and the event's visit plan."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas
from claims.controllers.claims import OFFICERS
from claims.services import catastrophes
from claims.visits import schemas as visit_schemas
from claims.visits import tasks as visit_tasks
from claims.visits.services import events
from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once

CONFIRMERS = require_roles(Role.LIAISON, Role.CLAIMS_OFFICER)
PLAN_READERS = require_roles(Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)


class CatastropheController(Controller):
    path = "/catastrophes"
    tags = ["catastrophes"]
    guards = [
        require_roles(
            Role.LIAISON, Role.CLAIMS_OFFICER, Role.ADJUSTER, Role.FINANCE, Role.AUDITOR, Role.ADMIN
        )
    ]

    @post("/", guards=[OFFICERS], summary="Declare an event: files a claim for every covered household")
    async def declare(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[schemas.CatastropheCreate],
    ) -> Response[schemas.Catastrophe]:
        async def create() -> schemas.Catastrophe:
            return await catastrophes.declare(db_session, request.user, data)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Events touching the caller's regions, newest first")
    async def list_events(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession]
    ) -> list[schemas.Catastrophe]:
        return await catastrophes.list_events(db_session, request.user)

    @get("/{catastrophe_id:uuid}", summary="The event with its claims counted by village and stage")
    async def get_event(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], catastrophe_id: FromPath[UUID]
    ) -> schemas.Catastrophe:
        return await catastrophes.view(db_session, request.user, catastrophe_id)

    @post(
        "/{catastrophe_id:uuid}/claims/{claim_id:uuid}/confirm",
        guards=[CONFIRMERS],
        status_code=200,
        summary="Confirm a household's loss with the resident's estimate",
    )
    async def confirm(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        catastrophe_id: FromPath[UUID],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Confirmation],
    ) -> schemas.Claim:
        return await catastrophes.confirm(db_session, request.user, catastrophe_id, claim_id, data)

    @post(
        "/{catastrophe_id:uuid}/claims/{claim_id:uuid}/clear",
        guards=[CONFIRMERS],
        status_code=200,
        summary="No loss at this household: clear its claim, with a reason",
    )
    async def clear(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        catastrophe_id: FromPath[UUID],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await catastrophes.clear(db_session, request.user, catastrophe_id, claim_id, data.reason)

    @post(
        "/{catastrophe_id:uuid}/visit-plan",
        guards=[OFFICERS],
        status_code=202,
        summary="Plan (or plan again) the visits of every accepted claim of the event, in the background",
        description="Answers at once with the plan as it stands; GET the plan to see the new one. "
        "Planning again keeps visits done, visits announced to residents and visits an officer placed.",
    )
    async def plan_visits(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], catastrophe_id: FromPath[UUID]
    ) -> visit_schemas.VisitPlan:
        return await visit_tasks.plan_event_later(db_session, request.user, catastrophe_id)

    @get(
        "/{catastrophe_id:uuid}/visit-plan",
        guards=[PLAN_READERS],
        summary="The event's visit plan: last day, lower bound, each adjuster's days; adjusters needed",
        description="With within_days and capacity: how many adjusters of that daily capacity finish "
        "the event's households within that many days.",
    )
    async def visit_plan(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        catastrophe_id: FromPath[UUID],
        within_days: Annotated[int | None, QueryParameter(ge=1, le=365)] = None,
        capacity: Annotated[int | None, QueryParameter(ge=1, le=50)] = None,
    ) -> visit_schemas.VisitPlan:
        return await events.plan_view(
            db_session, request.user, catastrophe_id, within_days=within_days, capacity=capacity
        )
