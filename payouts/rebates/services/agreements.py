"""Rebate agreements and their periods: the share, the periods, who approves; and who may see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, scope
from core.audit import record
from core.auth import Principal
from core.views import from_row
from payouts.rebates import domain, schemas
from payouts.rebates.domain import Period, Share
from payouts.rebates.errors import AgreementNotFound, OverlappingAgreement, PeriodNotClosed, PeriodNotFound
from payouts.rebates.models import RebateAgreement, RebatePeriod
from policies.errors import ProgramNotFound
from policies.models import Program


class AgreementService(SQLAlchemyAsyncRepositoryService[RebateAgreement]):
    class Repo(SQLAlchemyAsyncRepository[RebateAgreement]):
        model_type = RebateAgreement

    repository_type = Repo


class PeriodService(SQLAlchemyAsyncRepositoryService[RebatePeriod]):
    class Repo(SQLAlchemyAsyncRepository[RebatePeriod]):
        model_type = RebatePeriod

    repository_type = Repo


def share_of(agreement: RebateAgreement) -> Share:
    return Share(bps=agreement.share_bps, per_household_fen=agreement.per_household_fen)


def periods_of(agreement: RebateAgreement) -> list[Period]:
    return domain.agreement_periods(
        domain.PeriodKind(agreement.period_kind), agreement.starts_on, agreement.ends_on
    )


def agreement_view(agreement: RebateAgreement) -> schemas.RebateAgreement:
    return from_row(agreement, schemas.RebateAgreement)


async def get_agreement(session: AsyncSession, agreement_id: UUID) -> RebateAgreement:
    agreement = await AgreementService(session=session).get_one_or_none(id=agreement_id)
    if agreement is None:
        raise AgreementNotFound(str(agreement_id))
    return agreement


async def get_visible_agreement(
    session: AsyncSession, *, principal: Principal, agreement_id: UUID
) -> RebateAgreement:
    """Staff of the agreement's region and liaisons of any village inside it see it; to anyone
    else it is answered as unknown."""
    agreement = await get_agreement(session, agreement_id)
    if not scope.may_read_region(principal, agreement.region_code):
        raise AgreementNotFound(str(agreement_id))
    return agreement


async def list_agreements(session: AsyncSession, *, principal: Principal) -> list[schemas.RebateAgreement]:
    rows = await AgreementService(session=session).get_many(
        scope.readable_region_clause(principal, RebateAgreement.region_code),
        order_by=RebateAgreement.starts_on.asc(),
    )
    return [agreement_view(row) for row in rows]


async def create_agreement(
    session: AsyncSession, *, principal: Principal, data: schemas.RebateAgreementCreate
) -> RebateAgreement:
    share = domain.validate_share(Share(bps=data.share_bps, per_household_fen=data.per_household_fen))
    domain.agreement_periods(data.period_kind, data.starts_on, data.ends_on)
    # Locking the program serialises two agreements being added to it at once (PostgreSQL).
    program = await session.scalar(select(Program).where(Program.id == data.program_id).with_for_update())
    if program is None:
        raise ProgramNotFound(str(data.program_id), field="program_id")
    scope.check_region(principal, program.region_code)
    domain.check_within_program(data.starts_on, program.starts_on)
    service = AgreementService(session=session)
    for other in await service.get_many(program_id=program.id):
        if domain.overlaps(other.starts_on, other.ends_on, data.starts_on, data.ends_on):
            raise OverlappingAgreement(f"overlaps agreement {other.id}", agreement_id=str(other.id))
    agreement = await service.create(
        RebateAgreement(
            program_id=program.id,
            region_code=program.region_code,
            share_bps=share.bps,
            per_household_fen=share.per_household_fen,
            period_kind=data.period_kind.value,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            approver_role=data.approver_role.value,
            note=data.note,
        ),
        auto_refresh=False,
    )
    await record(
        session,
        actor=principal.username,
        action="rebate_agreement.created",
        subject_type="rebate_agreement",
        subject_id=agreement.id,
        region_code=program.region_code,
        after=data,
    )
    return agreement


def closed_period(agreement: RebateAgreement, period_start: date) -> Period:
    period = domain.period_starting(
        domain.PeriodKind(agreement.period_kind), agreement.starts_on, agreement.ends_on, period_start
    )
    if period.ends_on > clock.today():
        raise PeriodNotClosed(f"{period.starts_on}–{period.ends_on} ends {period.ends_on}")
    return period


async def get_period(session: AsyncSession, period_id: UUID) -> RebatePeriod:
    period = await PeriodService(session=session).get_one_or_none(id=period_id)
    if period is None:
        raise PeriodNotFound(str(period_id))
    return period


async def get_period_over(session: AsyncSession, period_id: UUID, region_code: str) -> RebatePeriod:
    """The period, if its region and `region_code` overlap; another region's period is answered
    as unknown, like an id never issued, so its program, share and approver stay private."""
    period = await get_period(session, period_id)
    if not (region_code.startswith(period.region_code) or period.region_code.startswith(region_code)):
        raise PeriodNotFound(str(period_id))
    return period


async def accrued_periods(session: AsyncSession, agreement_id: UUID) -> dict[date, RebatePeriod]:
    rows: Sequence[RebatePeriod] = await PeriodService(session=session).get_many(agreement_id=agreement_id)
    return {row.starts_on: row for row in rows}


async def agreement_periods(
    session: AsyncSession, *, principal: Principal, agreement_id: UUID
) -> list[schemas.AgreementPeriod]:
    """Every period of a visible agreement: whether it has ended, and its figures once accrued."""
    agreement = await get_visible_agreement(session, principal=principal, agreement_id=agreement_id)
    accrued = await accrued_periods(session, agreement.id)
    today = clock.today()
    views = []
    for period in periods_of(agreement):
        row = accrued.get(period.starts_on)
        views.append(
            schemas.AgreementPeriod(
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                closed=period.ends_on <= today,
                period_id=row.id if row else None,
                premiums_fen=row.premiums_fen if row else None,
                rebate_due_fen=row.rebate_due_fen if row else None,
            )
        )
    return views
