"""HTTP for policies and their premium payments (thin: roles here, scope in the services)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.params import Offset
from core.views import from_row
from policies.domain import PolicyStatus
from policies.schemas import (
    BlanketPolicyCreate,
    HouseholdPolicyCreate,
    PaymentCreate,
    PaymentView,
    PolicyView,
    StatusChange,
)
from policies.services import policies, premiums

ADMIN = require_roles(Role.ADMIN)
ENROLLERS = require_roles(Role.ADMIN, Role.LIAISON)


class PolicyController(Controller):
    path = "/policies"
    tags = ["policies"]

    @post("/", guards=[ENROLLERS], summary="Enroll a household in a program")
    async def issue(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[HouseholdPolicyCreate],
    ) -> Response[PolicyView]:
        async def create() -> PolicyView:
            policy = await policies.issue_household_policy(
                db_session,
                actor=request.user.username,
                household_id=data.household_id,
                program_id=data.program_id,
                starts_on=data.starts_on,
                principal=request.user,
            )
            return from_row(policy, PolicyView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @post("/blanket", guards=[ADMIN], summary="Issue a district program's blanket policy for a term (admin)")
    async def issue_blanket(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[BlanketPolicyCreate],
    ) -> Response[PolicyView]:
        async def create() -> PolicyView:
            policy = await policies.issue_blanket_policy(
                db_session, actor=request.user.username, program_id=data.program_id, starts_on=data.starts_on
            )
            return from_row(policy, PolicyView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Policies in scope (a resident: their household's)")
    async def list_policies(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromQuery[UUID | None] = None,
        program_id: FromQuery[UUID | None] = None,
        status: FromQuery[PolicyStatus | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[PolicyView]:
        return await policies.list_policies(
            db_session,
            request.user,
            household_id=household_id,
            program_id=program_id,
            status=status,
            limit=limit,
            offset=offset,
        )

    @get("/{policy_id:uuid}", summary="One policy")
    async def get_policy(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> PolicyView:
        return from_row(await policies.get_visible_policy(db_session, request.user, policy_id), PolicyView)

    @post("/{policy_id:uuid}/suspend", status_code=200, guards=[ADMIN], summary="Pause cover, with a reason")
    async def suspend(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[StatusChange],
    ) -> PolicyView:
        policy = await policies.suspend_policy(
            db_session, actor=request.user.username, policy_id=policy_id, reason=data.reason
        )
        return from_row(policy, PolicyView)

    @post("/{policy_id:uuid}/resume", status_code=200, guards=[ADMIN], summary="Resume a suspended policy")
    async def resume(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[StatusChange],
    ) -> PolicyView:
        policy = await policies.resume_policy(
            db_session, actor=request.user.username, policy_id=policy_id, reason=data.reason
        )
        return from_row(policy, PolicyView)

    @post(
        "/{policy_id:uuid}/renew",
        guards=[ENROLLERS],
        summary="Issue the next term; returns the new policy",
    )
    async def renew(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> PolicyView:
        successor = await policies.renew_policy(
            db_session, actor=request.user.username, policy_id=policy_id, principal=request.user
        )
        return from_row(successor, PolicyView)

    @post(
        "/{policy_id:uuid}/payments",
        guards=[require_roles(Role.FINANCE, Role.ADMIN)],
        summary="Record a premium payment; a household policy paid in full becomes active",
    )
    async def record_payment(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[PaymentCreate],
    ) -> Response[PaymentView]:
        async def create() -> PaymentView:
            payment = await premiums.record_payment(
                db_session,
                actor=request.user.username,
                policy_id=policy_id,
                payer=data.payer,
                amount_fen=data.amount_fen,
                channel=data.channel,
                receipt_no=data.receipt_no,
                paid_at=data.paid_at,
                principal=request.user,
            )
            return from_row(payment, PaymentView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/{policy_id:uuid}/payments", summary="The premium payments of a policy")
    async def list_payments(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> list[PaymentView]:
        payments = await premiums.list_payments(db_session, request.user, policy_id)
        return [from_row(p, PaymentView) for p in payments]
