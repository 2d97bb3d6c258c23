"""HTTP for programs: create (admin), list and read (their terms are public)."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from policies.domain import Funding
from policies.premium_shares import Share
from policies.schemas import GovernmentPaymentCreate, GovernmentPaymentView, ProgramCreate, ProgramView
from policies.services import government, programs

ADMIN = require_roles(Role.ADMIN)


class ProgramController(Controller):
    path = "/programs"
    tags = ["programs"]

    @post("/", guards=[ADMIN], summary="Create a program (admin)")
    async def create_program(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], data: JSONBody[ProgramCreate]
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
                deductible_fen=data.deductible_fen,
                advance_max_bps=data.advance_max_bps,
                premium_basis=data.premium_basis,
                shares={
                    Share.HOUSEHOLD: data.household_share_bps,
                    Share.DISTRICT: data.district_share_bps,
                    Share.TOWNSHIP: data.township_share_bps,
                },
            )
            return programs.program_view(program)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @post(
        "/{program_id:uuid}/government-payments",
        guards=[require_roles(Role.FINANCE, Role.ADMIN)],
        summary="Record one payment by district or township finance of its share for a list of households",
    )
    async def pay_government_share(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        program_id: FromPath[UUID],
        data: JSONBody[GovernmentPaymentCreate],
    ) -> Response[GovernmentPaymentView]:
        async def create() -> GovernmentPaymentView:
            return await government.pay_government_share(
                db_session,
                principal=request.user,
                program_id=program_id,
                payer=data.payer,
                receipt_no=data.receipt_no,
                paid_on=data.paid_on,
                term_day=data.term_day,
                household_ids=data.household_ids,
                village_code=data.village_code,
            )

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
