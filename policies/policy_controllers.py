"""HTTP for programs, policies and premium payments (thin: roles and scope, then services)."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.pagination import OffsetPagination
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal, Role, require_roles
from core.idempotency import create_once
from core.views import from_row
from policies import households, premiums, programs, services
from policies.access import check_household, check_policy, check_region, policy_clause
from policies.domain import Funding, PolicyStatus
from policies.models import Policy
from policies.schemas import (
    BlanketPolicyCreate,
    HouseholdPolicyCreate,
    PaymentCreate,
    PaymentView,
    PolicyView,
    ProgramCreate,
    ProgramView,
    StatusChange,
)

AnyRequest = Request[Principal, Any, Any]
ADMIN = require_roles(Role.ADMIN)


class ProgramController(Controller):
    path = "/programs"
    tags = ["programs"]

    @post("/", guards=[ADMIN], summary="Create a program (admin)")
    async def create_program(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[ProgramCreate]
    ) -> Response[ProgramView]:
        async def create() -> ProgramView:
            program = await programs.create_program(
                db_session,
                actor=request.user.username,
                code=data.code,
                name=data.name,
                insurer=data.insurer,
                funding=data.funding,
                region_code=data.region_code,
                perils={item.peril: item.limit_fen for item in data.perils},
                premium_fen=data.premium_fen,
                term_months=data.term_months,
                per_claim_cap_fen=data.per_claim_cap_fen,
                combined_cap_fen=data.combined_cap_fen,
                clock_target_hours=data.clock_target_hours,
                reporting_window_days=data.reporting_window_days,
                rebate_bps=data.rebate_bps,
                starts_on=data.starts_on,
                description=data.description,
            )
            return programs.program_view(program)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Every program (their terms are public)")
    async def list_programs(
        self, db_session: NamedDependency[AsyncSession], funding: FromQuery[Funding | None] = None
    ) -> list[ProgramView]:
        return [programs.program_view(p) for p in await programs.list_programs(db_session, funding=funding)]

    @get("/{program_id:uuid}", summary="One program")
    async def get_program(
        self, db_session: NamedDependency[AsyncSession], program_id: FromPath[UUID]
    ) -> ProgramView:
        return programs.program_view(await programs.get_program(db_session, program_id))


class PolicyController(Controller):
    path = "/policies"
    tags = ["policies"]

    async def _visible(self, request: AnyRequest, session: AsyncSession, policy_id: UUID) -> Policy:
        policy = await services.get_policy(session, policy_id)
        check_policy(request.user, policy)
        return policy

    @post("/", guards=[require_roles(Role.ADMIN, Role.LIAISON)], summary="Enroll a household in a program")
    async def issue(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[HouseholdPolicyCreate],
    ) -> Response[PolicyView]:
        check_household(request.user, await households.get_household(db_session, data.household_id))

        async def create() -> PolicyView:
            policy = await services.issue_household_policy(
                db_session,
                actor=request.user.username,
                household_id=data.household_id,
                program_id=data.program_id,
                starts_on=data.starts_on,
            )
            return from_row(policy, PolicyView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @post("/blanket", guards=[ADMIN], summary="Issue a district program's blanket policy for a term (admin)")
    async def issue_blanket(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[BlanketPolicyCreate],
    ) -> Response[PolicyView]:
        async def create() -> PolicyView:
            policy = await services.issue_blanket_policy(
                db_session, actor=request.user.username, program_id=data.program_id, starts_on=data.starts_on
            )
            return from_row(policy, PolicyView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Policies in scope (a resident: their household's)")
    async def list_policies(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        household_id: FromQuery[UUID | None] = None,
        program_id: FromQuery[UUID | None] = None,
        status: FromQuery[PolicyStatus | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> OffsetPagination[PolicyView]:
        rows, total = await services.list_policies(
            db_session,
            visible=policy_clause(request.user),
            household_id=household_id,
            program_id=program_id,
            status=status,
            limit=limit,
            offset=offset,
        )
        return OffsetPagination(
            [from_row(p, PolicyView) for p in rows], limit=limit, offset=offset, total=total
        )

    @get("/{policy_id:uuid}", summary="One policy")
    async def get_policy(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> PolicyView:
        return from_row(await self._visible(request, db_session, policy_id), PolicyView)

    @post("/{policy_id:uuid}/suspend", status_code=200, guards=[ADMIN], summary="Pause cover, with a reason")
    async def suspend(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[StatusChange],
    ) -> PolicyView:
        policy = await services.suspend_policy(
            db_session, actor=request.user.username, policy_id=policy_id, reason=data.reason
        )
        return from_row(policy, PolicyView)

    @post("/{policy_id:uuid}/resume", status_code=200, guards=[ADMIN], summary="Resume a suspended policy")
    async def resume(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[StatusChange],
    ) -> PolicyView:
        policy = await services.resume_policy(
            db_session, actor=request.user.username, policy_id=policy_id, reason=data.reason
        )
        return from_row(policy, PolicyView)

    @post(
        "/{policy_id:uuid}/renew",
        guards=[require_roles(Role.ADMIN, Role.LIAISON)],
        summary="Issue the next term; returns the new policy",
    )
    async def renew(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> PolicyView:
        policy = await self._visible(request, db_session, policy_id)
        check_region(request.user, policy.region_code)
        successor = await services.renew_policy(db_session, actor=request.user.username, policy_id=policy_id)
        return from_row(successor, PolicyView)

    @post(
        "/{policy_id:uuid}/payments",
        guards=[require_roles(Role.FINANCE, Role.ADMIN)],
        summary="Record a premium payment; a household policy paid in full becomes active",
    )
    async def record_payment(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        policy_id: FromPath[UUID],
        data: JSONBody[PaymentCreate],
    ) -> Response[PaymentView]:
        policy = await self._visible(request, db_session, policy_id)
        check_region(request.user, policy.region_code)

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
            )
            return from_row(payment, PaymentView)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/{policy_id:uuid}/payments", summary="The premium payments of a policy")
    async def list_payments(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], policy_id: FromPath[UUID]
    ) -> list[PaymentView]:
        await self._visible(request, db_session, policy_id)
        return [from_row(p, PaymentView) for p in await premiums.list_payments(db_session, policy_id)]
