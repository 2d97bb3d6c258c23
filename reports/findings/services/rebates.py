"""The reads behind the rebate findings: each period's ledger against its agreement, villages' funds.

A period's expected rebate is recomputed the way accrual computes it (payouts.rebates: the premiums
received in the period, now, and the agreement's share of them), so a ledger that was not re-accrued
after late premiums, or an entry posted outside accrual, shows. Grouped sums by hand: the repository
reads rows, it does not add them up.
"""

from __future__ import annotations

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.auth import Principal
from payouts.rebates import domain as rebate_domain
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from payouts.rebates.services.accruals import period_basis
from policies.models import Program
from reports.findings.rows import LedgerCheck, VillageFund
from reports.findings.window import Window


async def ledger_checks(session: AsyncSession, principal: Principal, window: Window) -> list[LedgerCheck]:
    """Periods overlapping the window whose agreement covers or lies in the region."""
    accrued = (
        select(RebateEntry.period_id, func.sum(RebateEntry.amount_fen).label("accrued_fen"))
        .where(RebateEntry.kind == rebate_domain.EntryKind.ACCRUAL)
        .group_by(RebateEntry.period_id)
        .subquery()
    )
    query = (
        select(RebatePeriod, RebateAgreement, Program, func.coalesce(accrued.c.accrued_fen, 0))
        .join(RebateAgreement, RebateAgreement.id == RebatePeriod.agreement_id)
        .join(Program, Program.id == RebateAgreement.program_id)
        .outerjoin(accrued, accrued.c.period_id == RebatePeriod.id)
        .where(
            or_(
                RebatePeriod.region_code.startswith(window.region_code, autoescape=True),
                literal(window.region_code).startswith(RebatePeriod.region_code),
            ),
            scope.readable_region_clause(principal, RebatePeriod.region_code),
            RebatePeriod.starts_on <= window.to_on,
            RebatePeriod.ends_on > window.from_on,
        )
        .order_by(RebatePeriod.region_code, RebatePeriod.starts_on)
    )
    checks = []
    # One basis per accrued period (a district has a few a year), as accrual reads it.
    for period, agreement, program, accrued_fen in (await session.execute(query)).all():
        basis = await period_basis(session, program, rebate_domain.Period(period.starts_on, period.ends_on))
        share = rebate_domain.Share(bps=agreement.share_bps, per_household_fen=agreement.per_household_fen)
        checks.append(
            LedgerCheck(
                period.id,
                period.region_code,
                period.starts_on,
                period.ends_on,
                basis.premiums_fen,
                rebate_domain.rebate_due(share, basis),
                int(accrued_fen),
            )
        )
    return checks


async def village_funds(session: AsyncSession, principal: Principal, window: Window) -> list[VillageFund]:
    """Each village's disbursements and spending as they stand (the fund is a running balance, and
    disbursements are often posted after the spending they fund, so the period does not cut it)."""
    in_region = and_(
        RebateEntry.village_code.startswith(window.region_code, autoescape=True),
        scope.region_clause(principal, RebateEntry.village_code),
    )
    disbursed_query = (
        select(RebateEntry.village_code, func.sum(RebateEntry.amount_fen))
        .where(in_region, RebateEntry.kind == rebate_domain.EntryKind.DISBURSEMENT)
        .group_by(RebateEntry.village_code)
    )
    spent_query = (
        select(SecurityExpenditure.village_code, func.sum(SecurityExpenditure.amount_fen))
        .where(
            SecurityExpenditure.village_code.startswith(window.region_code, autoescape=True),
            scope.region_clause(principal, SecurityExpenditure.village_code),
        )
        .group_by(SecurityExpenditure.village_code)
    )
    disbursed = {code: int(total) for code, total in (await session.execute(disbursed_query)).all()}
    spent = {code: int(total) for code, total in (await session.execute(spent_query)).all()}
    return [
        VillageFund(code, disbursed.get(code, 0), spent.get(code, 0)) for code in sorted(disbursed | spent)
    ]
