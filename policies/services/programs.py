"""Programs: who funds them, which perils they cover up to what limit, their caps, term and clock."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.views import from_row
from policies.domain import Funding, Peril, ProgramTerms, check_program
from policies.errors import ProgramCodeTaken, ProgramNotFound, UnknownRegion
from policies.models import Program, ProgramPeril
from policies.premium_shares import WHOLE_BPS, PremiumBasis, Share, check_shares
from policies.schemas import ProgramView
from policies.services.regions import RegionService


class ProgramService(SQLAlchemyAsyncRepositoryService[Program]):
    class Repo(SQLAlchemyAsyncRepository[Program]):
        model_type = Program

    repository_type = Repo


def program_view(program: Program) -> ProgramView:
    return from_row(program, ProgramView, perils=sorted(program.perils, key=lambda p: p.peril))


async def get_program(session: AsyncSession, program_id: UUID) -> Program:
    program = await ProgramService(session=session).get_one_or_none(Program.id == program_id)
    if program is None:
        raise ProgramNotFound()
    return program


async def list_programs(session: AsyncSession, *, funding: Funding | None = None) -> list[Program]:
    filters: list[ColumnElement[bool]] = [Program.funding == funding.value] if funding else []
    rows = await ProgramService(session=session).get_many(
        *filters, order_by=[Program.starts_on.asc(), Program.code.asc()]
    )
    return list(rows)


async def create_program(
    session: AsyncSession,
    *,
    actor: str,
    code: str,
    name: str,
    insurer: str,
    funding: Funding,
    region_code: str,
    perils: dict[Peril, int],
    premium_fen: int,
    term_months: int,
    per_claim_cap_fen: int,
    starts_on: date,
    combined_cap_fen: int | None = None,
    clock_target_hours: int = 72,
    reporting_window_days: int = 30,
    rebate_bps: int | None = None,
    description: str | None = None,
    premium_basis: PremiumBasis = PremiumBasis.HOUSEHOLD,
    shares: Mapping[Share, int] | None = None,
    deductible_fen: int = 0,
    advance_max_bps: int = 0,
) -> Program:
    shares = dict(shares or {Share.HOUSEHOLD: WHOLE_BPS})
    shares = {share: shares.get(share, 0) for share in Share}
    check_shares(basis=premium_basis, funding=funding, shares=shares)
    terms = check_program(
        ProgramTerms(
            funding=funding,
            region_code=region_code,
            premium_fen=premium_fen,
            term_months=term_months,
            perils=perils,
            per_claim_cap_fen=per_claim_cap_fen,
            combined_cap_fen=combined_cap_fen,
        )
    )
    if not await RegionService(session=session).exists(code=region_code):
        raise UnknownRegion(f"no region {region_code}", field="region_code")
    if await ProgramService(session=session).exists(code=code):
        raise ProgramCodeTaken(f"program code {code} is taken")
    program = Program(
        code=code,
        name=name,
        insurer=insurer,
        funding=funding.value,
        region_code=region_code,
        premium_fen=premium_fen,
        term_months=term_months,
        per_claim_cap_fen=per_claim_cap_fen,
        combined_cap_fen=combined_cap_fen,
        clock_target_hours=clock_target_hours,
        reporting_window_days=reporting_window_days,
        deductible_fen=deductible_fen,
        advance_max_bps=advance_max_bps,
        rebate_bps=rebate_bps,
        starts_on=starts_on,
        description=description,
        premium_basis=premium_basis.value,
        household_share_bps=shares[Share.HOUSEHOLD],
        district_share_bps=shares[Share.DISTRICT],
        township_share_bps=shares[Share.TOWNSHIP],
        perils=[ProgramPeril(peril=peril.value, limit_fen=limit) for peril, limit in terms.perils.items()],
    )
    session.add(program)
    await session.flush()
    await record(
        session,
        actor=actor,
        action="program.created",
        subject_type="program",
        subject_id=program.id,
        region_code=region_code,
        after=program_view(program),
    )
    return program
