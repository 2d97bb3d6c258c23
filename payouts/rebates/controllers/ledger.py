"""HTTP for the rebate ledger: entries, approvals, disbursements and reversals. Thin: the services decide."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from payouts.rebates.controllers.guards import READERS
from payouts.rebates.domain import EntryKind
from payouts.rebates.schemas import RebateEntry, ReversalRequest, StageMovement
from payouts.rebates.services import ledger


class RebateLedgerController(Controller):
    path = "/rebates"
    tags = ["rebates"]
    guards = [READERS]

    @get("/entries", summary="Ledger entries in the caller's villages")
    async def list_entries(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromQuery[UUID | None] = None,
        village_code: FromQuery[str | None] = None,
    ) -> list[RebateEntry]:
        return await ledger.list_entries(
            db_session, principal=request.user, period_id=period_id, village_code=village_code
        )

    @get("/entries/{entry_id:uuid}", summary="One ledger entry (entries are never changed: no PATCH)")
    async def get_entry(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], entry_id: FromPath[UUID]
    ) -> RebateEntry:
        return ledger.entry_view(
            await ledger.get_entry(db_session, principal=request.user, entry_id=entry_id)
        )

    async def _move(
        self, request: AuthRequest, session: AsyncSession, kind: EntryKind, data: StageMovement
    ) -> Response[RebateEntry]:
        async def create() -> RebateEntry:
            row = await ledger.move_stage(session, principal=request.user, kind=kind, data=data)
            return ledger.entry_view(row)

        return await create_once(request, session, owner=request.user.username, data=data, create=create)

    @post(
        "/approvals",
        guards=[require_roles(Role.FINANCE, Role.CLAIMS_OFFICER)],
        summary="Approve accrued rebate for a village (the agreement's approver role)",
    )
    async def approve(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[StageMovement]
    ) -> Response[RebateEntry]:
        return await self._move(request, db_session, EntryKind.APPROVAL, data)

    @post("/disbursements", guards=[require_roles(Role.FINANCE)], summary="Pay approved rebate to a village")
    async def disburse(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[StageMovement]
    ) -> Response[RebateEntry]:
        return await self._move(request, db_session, EntryKind.DISBURSEMENT, data)

    @post(
        "/entries/{entry_id:uuid}/reversals",
        guards=[require_roles(Role.FINANCE, Role.CLAIMS_OFFICER)],
        summary="Correct an approval or disbursement with a reversing entry",
    )
    async def reverse(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        entry_id: FromPath[UUID],
        data: JSONBody[ReversalRequest],
    ) -> Response[RebateEntry]:
        async def create() -> RebateEntry:
            row = await ledger.reverse_entry(
                db_session, principal=request.user, entry_id=entry_id, reason=data.reason
            )
            return ledger.entry_view(row)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)
