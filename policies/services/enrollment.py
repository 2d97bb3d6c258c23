"""Enrollment progress per village: households registered, enrolled, paid; premium collected against due.

Each household counts by its latest term of the program (the one with the latest start): during a
renewal campaign that is the idle next term, during first enrolment the only one. A household is
enrolled when that term has not expired, paid when its premium is paid in full. Liaisons see their
villages, officers and auditors their districts (core.scope); a village's unpaid list is for those
who cover it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, ColumnElement, Subquery, and_, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.auth import Principal
from policies.domain import PolicyStatus
from policies.models import Household, Policy, Region
from policies.schemas import EnrollmentProgress, UnpaidHousehold, VillageProgress
from policies.services.programs import get_program


def _latest_term(program_id: UUID) -> Subquery:
    """Each household's latest term of the program, unless it has expired."""
    latest = (
        select(Policy.household_id, func.max(Policy.starts_on).label("starts_on"))
        .where(Policy.program_id == program_id, Policy.household_id.is_not(None))
        .group_by(Policy.household_id)
        .subquery()
    )
    same_term = and_(Policy.household_id == latest.c.household_id, Policy.starts_on == latest.c.starts_on)
    return (
        select(Policy)
        .join(latest, same_term)
        .where(Policy.program_id == program_id, Policy.status != PolicyStatus.EXPIRED.value)
        .subquery()
    )


def _whole(total: ColumnElement[Any]) -> ColumnElement[int]:
    """A sum of fen as an integer: PostgreSQL sums BIGINT as NUMERIC, which would come back a Decimal."""
    return cast(func.coalesce(total, 0), BigInteger)


async def village_progress(
    session: AsyncSession, principal: Principal, *, program_id: UUID
) -> EnrollmentProgress:
    """One sum per village in the caller's scope, computed by the database (280,000 households)."""
    program = await get_program(session, program_id)
    term = _latest_term(program.id)
    paid = case((term.c.premium_paid_fen >= term.c.premium_due_fen, 1), else_=0)
    rows = await session.execute(
        select(
            Household.village_code,
            Region.name,
            func.count(Household.id),
            func.count(term.c.id),
            func.coalesce(func.sum(paid), 0),
            _whole(func.sum(term.c.premium_due_fen)),
            _whole(func.sum(term.c.premium_paid_fen)),
        )
        .join(Region, Region.code == Household.village_code)
        .outerjoin(term, term.c.household_id == Household.id)
        .where(
            Household.village_code.startswith(program.region_code),
            scope.region_clause(principal, Household.village_code),
        )
        .group_by(Household.village_code, Region.name)
        .order_by(Household.village_code)
    )
    return EnrollmentProgress(
        program_id=program.id,
        program_code=program.code,
        villages=[VillageProgress(*row) for row in rows],
    )


async def unpaid_households(
    session: AsyncSession, principal: Principal, *, program_id: UUID, village_code: str
) -> list[UnpaidHousehold]:
    """Who in the village has not paid their latest term, or has no term at all; by household number."""
    scope.check_region(principal, village_code)
    program = await get_program(session, program_id)
    term = _latest_term(program.id)
    rows = await session.execute(
        select(
            Household.id,
            Household.household_no,
            Household.head_name,
            Household.phone,
            Household.address,
            term.c.number,
            func.coalesce(term.c.premium_due_fen - term.c.premium_paid_fen, program.premium_fen),
        )
        .outerjoin(term, term.c.household_id == Household.id)
        .where(
            Household.village_code == village_code,
            func.coalesce(term.c.premium_paid_fen < term.c.premium_due_fen, True),
        )
        .order_by(Household.household_no, Household.head_name)
    )
    return [UnpaidHousehold(*row) for row in rows]
