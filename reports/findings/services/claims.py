"""The set-based reads behind the claim and payout findings: a handful of queries per request, none per claim.

Hand-written SQL (grouped sums, EXISTS columns, IN over subqueries): the repository reads rows, it
does not add them up. The period selects money: a claim is "paid in the period" when one of its
payouts was confirmed paid in it (the payouts' (status, region_code) index narrows the scan).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.models import Claim
from claims.visits.models import SiteVisit
from core import scope
from core.auth import Principal
from payouts.models import Payout
from policies.models import Person, Policy
from reports.findings.rows import AccountUse, ClaimantUse, CoverPeriod, PaidClaim, PaidPayout
from reports.findings.window import Window

PAID = "paid"
_CHUNK = 500


def visible(principal: Principal, region_code: str) -> ColumnElement[bool]:
    """Claims of the region that the caller may see (core.scope: claims follow their household)."""
    return and_(
        Claim.village_code.startswith(region_code, autoescape=True),
        scope.household_clause(principal, Claim.household_id, Claim.village_code),
    )


def _paid_in(window: Window, region_code: str) -> Any:
    """Per claim of the region with a payout paid in the period: all it was paid, any final payment."""
    in_period = and_(Payout.paid_at >= window.start, Payout.paid_at < window.end)
    return (
        select(
            Payout.claim_id.label("claim_id"),
            func.sum(Payout.amount_fen).label("paid_total_fen"),
            func.max(case((Payout.kind == "final", 1), else_=0)).label("final_paid"),
            func.max(Payout.paid_at).label("last_paid_at"),
        )
        .where(Payout.status == PAID, Payout.region_code.startswith(region_code, autoescape=True))
        .group_by(Payout.claim_id)
        .having(func.sum(case((in_period, 1), else_=0)) > 0)
        .subquery()
    )


async def paid_claims(
    session: AsyncSession, window: Window, *, where: ColumnElement[bool]
) -> list[PaidClaim]:
    paid = _paid_in(window, window.region_code)
    visited = select(SiteVisit.id).where(SiteVisit.claim_id == Claim.id, SiteVisit.status == "done").exists()
    assessed = select(Assessment.id).where(Assessment.claim_id == Claim.id).exists()
    query = (
        select(
            Claim.id,
            Claim.number,
            Claim.household_id,
            Claim.village_code,
            Claim.loss_on,
            Claim.reported_at,
            func.coalesce(Claim.paid_at, paid.c.last_paid_at),
            Claim.covers,
            Claim.payable_cap_fen,
            paid.c.paid_total_fen,
            paid.c.final_paid,
            visited.label("visited"),
            assessed.label("assessed"),
        )
        .join(paid, paid.c.claim_id == Claim.id)
        .where(where)
        .order_by(Claim.number)
    )
    return [
        PaidClaim(
            claim_id=row[0],
            number=row[1],
            household_id=row[2],
            village_code=row[3],
            loss_on=row[4],
            reported_at=row[5],
            paid_at=row[6],
            covers=list(row[7] or []),
            payable_cap_fen=int(row[8]),
            paid_total_fen=int(row[9]),
            final_paid=bool(row[10]),
            visited=bool(row[11]),
            assessed=bool(row[12]),
        )
        for row in (await session.execute(query)).all()
    ]


async def district_cycles(session: AsyncSession, window: Window) -> list[float]:
    """Cycle hours of every claim of the district paid in the period: the baseline, figures only."""
    paid = _paid_in(window, window.district)
    query = select(Claim.reported_at, func.coalesce(Claim.paid_at, paid.c.last_paid_at)).join(
        paid, paid.c.claim_id == Claim.id
    )
    return [
        (paid_at - reported).total_seconds() / 3600
        for reported, paid_at in (await session.execute(query)).all()
    ]


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def cover_periods(session: AsyncSession, policy_ids: set[UUID]) -> dict[str, CoverPeriod]:
    """The periods of the policies the claims' covers name, by policy id (a few IN lists, not a query
    per claim)."""
    periods: dict[str, CoverPeriod] = {}
    for chunk in _chunks(sorted(policy_ids)):
        query = select(Policy.id, Policy.number, Policy.starts_on, Policy.ends_on).where(Policy.id.in_(chunk))
        for policy_id, number, starts_on, ends_on in (await session.execute(query)).all():
            periods[str(policy_id)] = CoverPeriod(number, starts_on, ends_on)
    return periods


def _payouts_paid(principal: Principal, window: Window) -> Any:
    return (
        select(
            Payout.id,
            Payout.claim_id,
            Claim.number,
            Claim.household_id,
            Payout.payee_account,
            Payout.amount_fen,
        )
        .join(Claim, Claim.id == Payout.claim_id)
        .where(
            Payout.status == PAID,
            Payout.region_code.startswith(window.region_code, autoescape=True),
            Payout.paid_at >= window.start,
            Payout.paid_at < window.end,
            visible(principal, window.region_code),
        )
    )


async def payouts_and_account_uses(
    session: AsyncSession, principal: Principal, window: Window
) -> tuple[list[PaidPayout], list[AccountUse]]:
    """The period's paid payouts, and every claim or payout anywhere naming one of their accounts
    (a match is found wherever it is; one outside the caller's scope is marked, and the rule shows
    only how many and in which districts)."""
    payouts_query = _payouts_paid(principal, window)
    payouts = [
        PaidPayout(*row) for row in (await session.execute(payouts_query.order_by(Claim.number))).all()
    ]
    accounts = payouts_query.with_only_columns(Payout.payee_account).scalar_subquery()
    by_claims = select(Claim.payee_account, Claim.household_id, Claim.number, Claim.village_code).where(
        Claim.payee_account.in_(accounts)
    )
    by_payouts = (
        select(Payout.payee_account, Claim.household_id, Claim.number, Claim.village_code)
        .join(Claim, Claim.id == Payout.claim_id)
        .where(Payout.payee_account.in_(accounts))
    )
    rows = (await session.execute(by_claims.union(by_payouts))).all()
    uses = [
        AccountUse(str(account), household_id, number, village, scope.covers(principal, village))
        for account, household_id, number, village in rows
    ]
    return payouts, uses


def _claims_reported(principal: Principal, window: Window) -> Any:
    return select(Claim.claimant_resident_id).where(
        visible(principal, window.region_code),
        Claim.reported_at >= window.start,
        Claim.reported_at < window.end,
    )


async def claimants_registered(
    session: AsyncSession, principal: Principal, window: Window
) -> list[ClaimantUse]:
    """The period's claimants, each with the household the register lists their resident ID in."""
    query = (
        _claims_reported(principal, window)
        .add_columns(Claim.id, Claim.number, Claim.household_id, Claim.village_code, Person.household_id)
        .outerjoin(Person, Person.resident_id == Claim.claimant_resident_id)
        .order_by(Claim.number)
    )
    return [ClaimantUse(*row) for row in (await session.execute(query)).all()]


async def claims_by_claimants(
    session: AsyncSession, principal: Principal, window: Window
) -> list[ClaimantUse]:
    """Every claim (any time, any place) whose claimant filed one in the region in the period; one
    outside the caller's scope is marked (the rule shows only how many and in which districts)."""
    residents = _claims_reported(principal, window).scalar_subquery()
    query = select(
        Claim.claimant_resident_id, Claim.id, Claim.number, Claim.household_id, Claim.village_code
    ).where(Claim.claimant_resident_id.in_(residents))
    return [
        ClaimantUse(*row, in_scope=scope.covers(principal, row[4]))
        for row in (await session.execute(query)).all()
    ]
