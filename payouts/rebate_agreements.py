"""Rebate agreements: the share, the periods, who approves; and who may see them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock
from core.audit import record
from core.auth import Principal, Role
from payouts import domain
from payouts.domain import Period, Share
from payouts.errors import (
    AgreementNotFound,
    OutsideYourRegion,
    OverlappingAgreement,
    PeriodNotClosed,
    PeriodNotFound,
    ProgramNotFound,
)
from payouts.models import RebateAgreement, RebatePeriod
from payouts.schemas import RebateAgreementCreate
from policies.models import Program


def agreement_scope(principal: Principal) -> ColumnElement[bool]:
    """Agreements are seen by staff of the region and by liaisons of any village inside it."""
    column = RebateAgreement.region_code
    if principal.role is Role.ADMIN:
        return true()
    inside = [literal(scope).startswith(column) for scope in principal.regions]
    return or_(principal.region_clause(column), *inside)


def require_region(principal: Principal, region_code: str) -> None:
    if not principal.covers(region_code):
        raise OutsideYourRegion(region_code)


def share_of(agreement: RebateAgreement) -> Share:
    return Share(bps=agreement.share_bps, per_household_fen=agreement.per_household_fen)


def periods_of(agreement: RebateAgreement) -> list[Period]:
    return domain.agreement_periods(
        domain.PeriodKind(agreement.period_kind), agreement.starts_on, agreement.ends_on
    )


async def get_agreement(session: AsyncSession, agreement_id: UUID) -> RebateAgreement:
    agreement = await session.get(RebateAgreement, agreement_id)
    if agreement is None:
        raise AgreementNotFound(str(agreement_id))
    return agreement


async def create_agreement(
    session: AsyncSession, *, principal: Principal, data: RebateAgreementCreate
) -> RebateAgreement:
    share = domain.validate_share(Share(bps=data.share_bps, per_household_fen=data.per_household_fen))
    domain.agreement_periods(data.period_kind, data.starts_on, data.ends_on)
    # Locking the program serialises two agreements being added to it at once (PostgreSQL).
    program = await session.scalar(select(Program).where(Program.id == data.program_id).with_for_update())
    if program is None:
        raise ProgramNotFound(str(data.program_id), field="program_id")
    require_region(principal, program.region_code)
    existing = await session.scalars(select(RebateAgreement).where(RebateAgreement.program_id == program.id))
    for other in existing:
        if domain.overlaps(other.starts_on, other.ends_on, data.starts_on, data.ends_on):
            raise OverlappingAgreement(f"overlaps agreement {other.id}", agreement_id=str(other.id))
    agreement = RebateAgreement(
        program_id=program.id,
        region_code=program.region_code,
        share_bps=share.bps,
        per_household_fen=share.per_household_fen,
        period_kind=data.period_kind.value,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        approver_role=data.approver_role.value,
        note=data.note,
    )
    session.add(agreement)
    await session.flush()
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
    period = await session.get(RebatePeriod, period_id)
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


async def list_agreements(session: AsyncSession, principal: Principal) -> Sequence[RebateAgreement]:
    query = select(RebateAgreement).where(agreement_scope(principal)).order_by(RebateAgreement.starts_on)
    return (await session.scalars(query)).all()


async def accrued_periods(session: AsyncSession, agreement_id: UUID) -> dict[date, RebatePeriod]:
    rows = await session.scalars(select(RebatePeriod).where(RebatePeriod.agreement_id == agreement_id))
    return {row.starts_on: row for row in rows}


def visible_agreement(principal: Principal, agreement: RebateAgreement) -> bool:
    code = agreement.region_code
    return principal.covers(code) or any(scope.startswith(code) for scope in principal.regions)
