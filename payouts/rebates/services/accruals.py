"""The period accrual: each village's share of the premiums received, posted once and trued up."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, scope
from core.audit import record
from core.auth import Principal
from payouts.rebates import domain
from payouts.rebates.domain import EntryKind, Period, PeriodBasis
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod
from payouts.rebates.services.agreements import (
    AgreementService,
    PeriodService,
    accrued_periods,
    closed_period,
    get_agreement,
    get_visible_agreement,
    periods_of,
    share_of,
)
from payouts.rebates.services.ledger import EntryService, post, post_reversal, standing
from policies.domain import Funding
from policies.models import Household, Policy, PremiumPayment, Program

SCHEDULER = "payouts.accrue_rebates"


async def period_basis(session: AsyncSession, program: Program, period: Period) -> PeriodBasis:
    """Premiums paid within the period (business calendar) and the households insured in it."""
    # Grouped sums over policies' tables: the repository reads rows, it does not add them up.
    opens, closes = clock.start_of_business_day(period.starts_on), clock.start_of_business_day(period.ends_on)
    paid = (
        select(Policy.region_code, func.sum(PremiumPayment.amount_fen))
        .join(Policy, Policy.id == PremiumPayment.policy_id)
        .where(
            Policy.program_id == program.id, PremiumPayment.paid_at >= opens, PremiumPayment.paid_at < closes
        )
        .group_by(Policy.region_code)
    )
    by_region = {code: int(total) for code, total in (await session.execute(paid)).all()}
    households: Select[str, int]
    if program.funding == Funding.DISTRICT:
        households = (
            select(Household.village_code, func.count())
            .where(Household.village_code.startswith(program.region_code), Household.registered_at < closes)
            .group_by(Household.village_code)
        )
    else:
        households = (
            select(Policy.region_code, func.count(Policy.household_id.distinct()))
            .where(
                Policy.program_id == program.id,
                Policy.activated_at.is_not(None),
                Policy.starts_on < period.ends_on,
                Policy.ends_on > period.starts_on,
            )
            .group_by(Policy.region_code)
        )
    district_funded = program.funding == Funding.DISTRICT
    return PeriodBasis(
        district_funded=district_funded,
        premiums_fen=sum(by_region.values()),
        premiums_by_village={} if district_funded else by_region,
        households_by_village={code: int(n) for code, n in (await session.execute(households)).all()},
    )


async def accrue_period(
    session: AsyncSession, agreement_id: UUID, period_start: date, *, actor: str = SCHEDULER
) -> RebatePeriod:
    """Bring a closed period's accruals in line with the premiums received; a repeat run posts nothing.

    The first run creates the period (its unique key stops a concurrent second one). A later run
    after back-dated premiums reverses each village's accrual that changed and posts the new figure.
    """
    agreement = await get_agreement(session, agreement_id)
    period = closed_period(agreement, period_start)
    program = await session.get_one(Program, agreement.program_id)
    basis = await period_basis(session, program, period)
    share = share_of(agreement)
    figures = {
        "premiums_fen": basis.premiums_fen,
        "households": sum(basis.households_by_village.values()),
        "rebate_due_fen": domain.rebate_due(share, basis),
    }
    periods = PeriodService(session=session)
    header = await periods.get_one_or_none(
        agreement_id=agreement.id, starts_on=period.starts_on, with_for_update=True
    )
    approved = await _approved_by_village(session, header.id) if header else {}
    targets = domain.village_accruals(share, basis, approved)
    before = {name: getattr(header, name) for name in figures} if header else None
    if header is None:
        header = await periods.create(
            RebatePeriod(
                agreement_id=agreement.id,
                region_code=agreement.region_code,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
                **figures,
            ),
            auto_refresh=False,
        )
    elif before != figures:
        for name, value in figures.items():
            setattr(header, name, value)
    if before != figures:
        await record(
            session,
            actor=actor,
            action="rebate_period.accrued" if before is None else "rebate_period.recomputed",
            subject_type="rebate_period",
            subject_id=header.id,
            region_code=agreement.region_code,
            before=before,
            after=figures | {"agreement_id": str(agreement.id), "starts_on": period.starts_on.isoformat()},
        )
    weights = domain.village_weights(share, basis)
    accrued = await EntryService(session=session).get_many(*standing(header.id, EntryKind.ACCRUAL))
    live = {entry.village_code: entry for entry in accrued}
    for village in sorted(targets.keys() | live.keys()):
        target, current = targets.get(village, 0), live.get(village)
        if (current.amount_fen if current else 0) == target:
            continue
        if current is not None:
            await post_reversal(session, current, actor=actor, reason="保费变动，重新计提")
        if target > 0:
            await post(
                session,
                RebateEntry(
                    period_id=header.id,
                    village_code=village,
                    kind=EntryKind.ACCRUAL.value,
                    amount_fen=target,
                    basis=weights.get(village, 0),
                    actor=actor,
                    reason=f"{period.starts_on} 至 {period.ends_on} 期间计提",
                ),
            )
    return header


async def request_accrual(
    session: AsyncSession,
    *,
    principal: Principal,
    agreement_id: UUID,
    period_start: date,
    reason: str,
) -> tuple[RebateAgreement, Period]:
    """Finance asks for a closed period to be accrued (again); the caller enqueues the work."""
    agreement = await get_visible_agreement(session, principal=principal, agreement_id=agreement_id)
    scope.check_region(principal, agreement.region_code)
    period = closed_period(agreement, period_start)
    await record(
        session,
        actor=principal.username,
        action="rebate_period.accrual_requested",
        subject_type="rebate_agreement",
        subject_id=agreement.id,
        region_code=agreement.region_code,
        reason=reason,
        after={"period_start": period.starts_on.isoformat()},
    )
    return agreement, period


async def _approved_by_village(session: AsyncSession, period_id: UUID) -> dict[str, int]:
    rows = await session.execute(
        select(RebateEntry.village_code, func.sum(RebateEntry.amount_fen))
        .where(RebateEntry.period_id == period_id, RebateEntry.kind == EntryKind.APPROVAL.value)
        .group_by(RebateEntry.village_code)
    )
    return {village: int(total) for village, total in rows.all()}


async def accrue_closed_periods(session: AsyncSession) -> int:
    """The scheduled run: accrue every period that has ended and was never accrued."""
    agreements = await AgreementService(session=session).get_many(
        RebateAgreement.starts_on < clock.today(), order_by=RebateAgreement.id.asc()
    )
    count = 0
    for agreement in agreements:
        done = await accrued_periods(session, agreement.id)
        for period in periods_of(agreement):
            if period.ends_on <= clock.today() and period.starts_on not in done:
                await accrue_period(session, agreement.id, period.starts_on)
                count += 1
    return count
