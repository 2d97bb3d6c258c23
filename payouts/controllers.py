"""HTTP for rebate agreements, accruals and the ledger; exports every payouts route. Thin: services decide."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.auth import Principal, Role, require_roles
from core.idempotency import create_once
from core.outbox import enqueue
from core.views import from_row
from payouts import rebate_accruals, rebate_agreements, rebate_ledger
from payouts.domain import EntryKind
from payouts.errors import AgreementNotFound
from payouts.models import RebateAgreement as AgreementRow
from payouts.rebate_statements import entry_view
from payouts.schemas import (
    AccrualQueued,
    AccrualRequest,
    AgreementPeriod,
    RebateAgreement,
    RebateAgreementCreate,
    RebateEntry,
    ReversalRequest,
    StageMovement,
)
from payouts.tasks import accrue_rebates
from payouts.village_controllers import READERS, AuthRequest, VillageFundController


async def _visible_agreement(session: AsyncSession, principal: Principal, agreement_id: UUID) -> AgreementRow:
    agreement = await rebate_agreements.get_agreement(session, agreement_id)
    if not rebate_agreements.visible_agreement(principal, agreement):
        raise AgreementNotFound(str(agreement_id))
    return agreement


class RebateAgreementController(Controller):
    path = "/rebates/agreements"
    tags = ["rebates"]
    guards = [READERS]

    @post(
        "/", guards=[require_roles(Role.FINANCE, Role.ADMIN)], summary="Add a rebate agreement to a program"
    )
    async def create_agreement(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[RebateAgreementCreate],
    ) -> Response[Any]:
        async def create() -> RebateAgreement:
            row = await rebate_agreements.create_agreement(db_session, principal=request.user, data=data)
            return from_row(row, RebateAgreement)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Rebate agreements in the caller's regions")
    async def list_agreements(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession]
    ) -> list[RebateAgreement]:
        rows = await rebate_agreements.list_agreements(db_session, request.user)
        return [from_row(row, RebateAgreement) for row in rows]

    @get("/{agreement_id:uuid}", summary="One rebate agreement")
    async def get_agreement(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], agreement_id: FromPath[UUID]
    ) -> RebateAgreement:
        return from_row(await _visible_agreement(db_session, request.user, agreement_id), RebateAgreement)

    @get("/{agreement_id:uuid}/periods", summary="The agreement's periods: closed yet, accrued yet")
    async def list_periods(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], agreement_id: FromPath[UUID]
    ) -> list[AgreementPeriod]:
        agreement = await _visible_agreement(db_session, request.user, agreement_id)
        accrued = await rebate_agreements.accrued_periods(db_session, agreement.id)
        today = clock.today()
        return [
            AgreementPeriod(
                starts_on=p.starts_on,
                ends_on=p.ends_on,
                closed=p.ends_on <= today,
                period_id=accrued[p.starts_on].id if p.starts_on in accrued else None,
                premiums_fen=accrued[p.starts_on].premiums_fen if p.starts_on in accrued else None,
                rebate_due_fen=accrued[p.starts_on].rebate_due_fen if p.starts_on in accrued else None,
            )
            for p in rebate_agreements.periods_of(agreement)
        ]

    @post(
        "/{agreement_id:uuid}/accruals",
        guards=[require_roles(Role.FINANCE)],
        summary="Accrue (or re-accrue after late premiums) a closed period, in the background",
    )
    async def request_accrual(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        agreement_id: FromPath[UUID],
        data: JSONBody[AccrualRequest],
    ) -> Response[Any]:
        agreement = await _visible_agreement(db_session, request.user, agreement_id)

        async def create() -> AccrualQueued:
            period = await rebate_accruals.request_accrual(
                db_session,
                principal=request.user,
                agreement=agreement,
                period_start=data.period_start,
                reason=data.reason,
            )
            # The actor lives in tasks.py, which imports the services: enqueueing is wired here.
            message = enqueue(db_session, accrue_rebates, str(agreement.id), period.starts_on.isoformat())
            return AccrualQueued(agreement.id, period.starts_on, period.ends_on, message.id)

        owner = request.user.username
        return await create_once(request, db_session, owner=owner, data=data, create=create, status_code=202)


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
        rows = await rebate_ledger.list_entries(
            db_session, request.user, period_id=period_id, village_code=village_code
        )
        return [entry_view(row) for row in rows]

    @get("/entries/{entry_id:uuid}", summary="One ledger entry (entries are never changed: no PATCH)")
    async def get_entry(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], entry_id: FromPath[UUID]
    ) -> RebateEntry:
        return entry_view(await rebate_ledger.get_entry(db_session, request.user, entry_id))

    async def _move(
        self, request: AuthRequest, session: AsyncSession, kind: EntryKind, data: StageMovement
    ) -> Response[Any]:
        async def create() -> RebateEntry:
            row = await rebate_ledger.move_stage(session, principal=request.user, kind=kind, data=data)
            return entry_view(row)

        return await create_once(request, session, owner=request.user.username, data=data, create=create)

    @post(
        "/approvals",
        guards=[require_roles(Role.FINANCE, Role.CLAIMS_OFFICER)],
        summary="Approve accrued rebate for a village (the agreement's approver role)",
    )
    async def approve(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[StageMovement]
    ) -> Response[Any]:
        return await self._move(request, db_session, EntryKind.APPROVAL, data)

    @post("/disbursements", guards=[require_roles(Role.FINANCE)], summary="Pay approved rebate to a village")
    async def disburse(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[StageMovement]
    ) -> Response[Any]:
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
    ) -> Response[Any]:
        async def create() -> RebateEntry:
            row = await rebate_ledger.reverse_entry(
                db_session, principal=request.user, entry_id=entry_id, reason=data.reason
            )
            return entry_view(row)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)


ROUTES: list[type[Controller]] = [RebateAgreementController, RebateLedgerController, VillageFundController]
