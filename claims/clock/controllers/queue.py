"""HTTP for the officers' work queue."""

from __future__ import annotations

from typing import Annotated

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock import schemas
from claims.clock.services import queue
from claims.domain import ClockState
from core.auth import AuthRequest, Role, require_roles
from core.params import Offset


class WorkQueueController(Controller):
    path = "/work-queue"
    tags = ["clock"]
    guards = [require_roles(Role.CLAIMS_OFFICER)]

    @get(
        "/",
        summary="Open claims of the officer's regions, the least time left first",
        description=(
            "Each with the stage it waits in and whose move it is (liaison, officer, adjuster, finance, "
            "bank) and, once a visit is planned, the adjuster. `clock` keeps the claims the clock sweep "
            "flagged so (`at_risk`, `breached`) or not yet (`on_track`)."
        ),
    )
    async def list_queue(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        clock: FromQuery[ClockState | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[schemas.QueueItem]:
        return await queue.work_queue(db_session, request.user, clock=clock, limit=limit, offset=offset)
