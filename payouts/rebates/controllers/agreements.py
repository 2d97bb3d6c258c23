"""HTTP for rebate agreements, their periods and accrual requests. Thin: the services decide."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.outbox import enqueue
from payouts.rebates.controllers.guards import READERS
from payouts.rebates.schemas import (
    AccrualQueued,
    AccrualRequest,
    AgreementPeriod,
    RebateAgreement,
    RebateAgreementCreate,
)
from payouts.rebates.services import accruals, agreements
from payouts.rebates.tasks import accrue_rebates


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
    ) -> Response[RebateAgreement]:
        async def create() -> RebateAgreement:
            row = await agreements.create_agreement(db_session, principal=request.user, data=data)
            return agreements.agreement_view(row)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Rebate agreements in the caller's regions")
    async def list_agreements(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession]
    ) -> list[RebateAgreement]:
        return await agreements.list_agreements(db_session, principal=request.user)

    @get("/{agreement_id:uuid}", summary="One rebate agreement")
    async def get_agreement(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], agreement_id: FromPath[UUID]
    ) -> RebateAgreement:
        row = await agreements.get_visible_agreement(
            db_session, principal=request.user, agreement_id=agreement_id
        )
        return agreements.agreement_view(row)

    @get("/{agreement_id:uuid}/periods", summary="The agreement's periods: closed yet, accrued yet")
    async def list_periods(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], agreement_id: FromPath[UUID]
    ) -> list[AgreementPeriod]:
        return await agreements.agreement_periods(
            db_session, principal=request.user, agreement_id=agreement_id
        )

    @post(
        "/{agreement_id:uuid}/accruals",
        guards=[require_roles(Role.FINANCE)],
        status_code=HTTP_202_ACCEPTED,
        summary="Accrue (or re-accrue after late premiums) a closed period, in the background",
    )
    async def request_accrual(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        agreement_id: FromPath[UUID],
        data: JSONBody[AccrualRequest],
    ) -> Response[AccrualQueued]:
        async def create() -> AccrualQueued:
            agreement, period = await accruals.request_accrual(
                db_session,
                principal=request.user,
                agreement_id=agreement_id,
                period_start=data.period_start,
                reason=data.reason,
            )
            # The actor lives in tasks.py, which imports the services: enqueueing is wired here.
            message = enqueue(db_session, accrue_rebates, str(agreement.id), period.starts_on.isoformat())
            return AccrualQueued(agreement.id, period.starts_on, period.ends_on, message.id)

        owner = request.user.username
        return await create_once(
            request, db_session, owner=owner, data=data, create=create, status_code=HTTP_202_ACCEPTED
        )
