"""Policies: issue, suspend, resume, renew, expire, list (what covers a household: services/cover.py)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID, uuid4

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination, SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import scope
from core.audit import record
from core.auth import Principal
from core.clock import add_months, today, utcnow
from core.views import from_row
from policies import domain, premium_shares
from policies.domain import Funding, PolicyStatus
from policies.errors import (
    HouseholdNotFound,
    HouseholdOutsideProgram,
    PolicyNotFound,
    PolicyOverlaps,
    PolicyStartInvalid,
    WrongFunding,
)
from policies.models import Policy, Program
from policies.premium_shares import PremiumBasis
from policies.schemas import PolicyView
from policies.services.households import get_household
from policies.services.programs import get_program


class PolicyService(SQLAlchemyAsyncRepositoryService[Policy]):
    class Repo(SQLAlchemyAsyncRepository[Policy]):
        model_type = Policy
        # Two queries, not a window function: a page past the end still reports the total.
        count_with_window_function = False

    repository_type = Repo


async def get_policy(session: AsyncSession, policy_id: UUID, *, for_update: bool = False) -> Policy:
    policy = await PolicyService(session=session).get_one_or_none(
        Policy.id == policy_id, with_for_update=for_update or None
    )
    if policy is None:
        raise PolicyNotFound()
    return policy


def check_policy(principal: Principal, policy: Policy) -> None:
    """`core.scope.may_see_policy` as a check: a policy the caller may not see is answered as unknown."""
    if not scope.may_see_policy(principal, policy.household_id, policy.region_code):
        raise PolicyNotFound()


def check_may_act(principal: Principal, policy: Policy) -> None:
    """Renewing or paying needs the policy's region in scope; reading a blanket over it is not enough
    (that caller knows the policy, so 403 tells them nothing new)."""
    check_policy(principal, policy)
    scope.check_region(principal, policy.region_code)


async def get_visible_policy(session: AsyncSession, principal: Principal, policy_id: UUID) -> Policy:
    """The policy if the caller may see it; otherwise 404, exactly as for an unknown id."""
    policy = await get_policy(session, policy_id)
    check_policy(principal, policy)
    return policy


async def _audit(session: AsyncSession, actor: str, action: str, policy: Policy, **fields: Any) -> None:
    await record(
        session,
        actor=actor,
        action=action,
        subject_type="policy",
        subject_id=policy.id,
        region_code=policy.region_code,
        **fields,
    )


async def change_status(
    session: AsyncSession, policy: Policy, new: PolicyStatus, *, actor: str, reason: str | None = None
) -> Policy:
    """Persist, time-stamp and audit a transition that policies.domain has already allowed."""
    old = policy.status
    policy.status = new.value
    policy.status_changed_at = utcnow()
    if new is PolicyStatus.ACTIVE and policy.activated_at is None:
        policy.activated_at = policy.status_changed_at
    await session.flush()
    await _audit(
        session,
        actor,
        f"policy.{new.value}",
        policy,
        reason=reason,
        before={"status": old},
        after=from_row(policy, PolicyView),
    )
    return policy


async def _ensure_no_overlap(
    session: AsyncSession, program: Program, household_id: UUID | None, starts_on: date, ends_on: date
) -> None:
    same_holder = (
        Policy.household_id.is_(None) if household_id is None else Policy.household_id == household_id
    )
    clash = await session.scalar(
        select(Policy.number).where(
            Policy.program_id == program.id,
            same_holder,
            Policy.starts_on < ends_on,
            Policy.ends_on > starts_on,
        )
    )
    if clash is not None:
        raise PolicyOverlaps(f"policy {clash} already covers part of that period", policy_number=clash)


async def _issue(
    session: AsyncSession,
    *,
    actor: str,
    program: Program,
    household_id: UUID | None,
    region_code: str,
    starts_on: date,
    renewed_from: Policy | None = None,
) -> Policy:
    people = 1
    if household_id is not None and program.premium_basis == PremiumBasis.RESIDENT:
        people = len((await get_household(session, household_id)).people)
    if starts_on < program.starts_on:
        raise PolicyStartInvalid(f"the program starts on {program.starts_on}")
    ends_on = add_months(starts_on, program.term_months)
    await _ensure_no_overlap(session, program, household_id, starts_on, ends_on)
    policy = Policy(
        number=f"{program.code}-{starts_on:%Y%m%d}-{uuid4().hex[:8].upper()}",
        program_id=program.id,
        household_id=household_id,
        region_code=region_code,
        starts_on=starts_on,
        ends_on=ends_on,
        status=PolicyStatus.IDLE.value,
        premium_due_fen=premium_shares.premium_due(
            basis=PremiumBasis(program.premium_basis), premium_fen=program.premium_fen, people=people
        ),
        premium_paid_fen=0,
        renewed_from_id=renewed_from.id if renewed_from else None,
    )
    session.add(policy)
    await session.flush()
    await _audit(session, actor, "policy.issued", policy, after=from_row(policy, PolicyView))
    # The district's contract puts a blanket policy in force at once; the lump sum follows it.
    # A household policy waits for its premium, unless the program charges none.
    if household_id is None or policy.premium_due_fen == 0:
        await change_status(session, policy, PolicyStatus.ACTIVE, actor=actor)
    return policy


async def issue_household_policy(
    session: AsyncSession,
    *,
    actor: str,
    household_id: UUID,
    program_id: UUID,
    starts_on: date | None = None,
    principal: Principal | None = None,
) -> Policy:
    """principal: the caller over HTTP, who must see the household; None for a trusted caller."""
    household = await get_household(session, household_id)
    if principal is not None and not scope.may_see_household(principal, household.id, household.village_code):
        raise HouseholdNotFound()
    program = await get_program(session, program_id)
    if program.funding != Funding.HOUSEHOLD:
        raise WrongFunding("a district-funded program covers households through its blanket policy")
    if not household.village_code.startswith(program.region_code):
        raise HouseholdOutsideProgram(f"the program is sold in {program.region_code} only")
    return await _issue(
        session,
        actor=actor,
        program=program,
        household_id=household.id,
        region_code=household.village_code,
        starts_on=starts_on or today(),
    )


async def issue_blanket_policy(
    session: AsyncSession, *, actor: str, program_id: UUID, starts_on: date | None = None
) -> Policy:
    """One blanket policy per term; by default the term after the latest one issued."""
    program = await get_program(session, program_id)
    if program.funding != Funding.DISTRICT:
        raise WrongFunding("only a district-funded program has a blanket policy")
    if starts_on is None:
        latest = await session.scalar(
            select(func.max(Policy.ends_on)).where(
                Policy.program_id == program.id, Policy.household_id.is_(None)
            )
        )
        starts_on = latest or program.starts_on
    return await _issue(
        session,
        actor=actor,
        program=program,
        household_id=None,
        region_code=program.region_code,
        starts_on=starts_on,
    )


async def suspend_policy(session: AsyncSession, *, actor: str, policy_id: UUID, reason: str) -> Policy:
    policy = await get_policy(session, policy_id, for_update=True)
    new = domain.suspend(PolicyStatus(policy.status))
    return await change_status(session, policy, new, actor=actor, reason=reason)


async def resume_policy(session: AsyncSession, *, actor: str, policy_id: UUID, reason: str) -> Policy:
    policy = await get_policy(session, policy_id, for_update=True)
    new = domain.resume(PolicyStatus(policy.status), ends_on=policy.ends_on, today=today())
    return await change_status(session, policy, new, actor=actor, reason=reason)


async def renew_policy(
    session: AsyncSession, *, actor: str, policy_id: UUID, principal: Principal | None = None
) -> Policy:
    """The next term starts the day this one ends, at the program's current premium."""
    policy = await get_policy(session, policy_id, for_update=True)
    if principal is not None:
        check_may_act(principal, policy)
    new = domain.renew(PolicyStatus(policy.status))
    program = await get_program(session, policy.program_id)
    successor = await _issue(
        session,
        actor=actor,
        program=program,
        household_id=policy.household_id,
        region_code=policy.region_code,
        starts_on=policy.ends_on,
        renewed_from=policy,
    )
    await change_status(session, policy, new, actor=actor, reason=f"renewed as {successor.number}")
    return successor


async def expire_due_policies(session: AsyncSession, *, on: date | None = None, actor: str = "system") -> int:
    """Expire every policy whose period ended before `on`; safe to run any number of times."""
    day = on or today()
    due = await PolicyService(session=session).get_many(
        Policy.ends_on <= day,
        Policy.status.in_([PolicyStatus.IDLE.value, PolicyStatus.ACTIVE.value, PolicyStatus.SUSPENDED.value]),
    )
    count = 0
    for policy in due:
        new = domain.expire(PolicyStatus(policy.status), ends_on=policy.ends_on, today=day)
        await change_status(session, policy, new, actor=actor, reason="period ended")
        count += 1
    return count


async def list_policies(
    session: AsyncSession,
    principal: Principal,
    *,
    household_id: UUID | None = None,
    program_id: UUID | None = None,
    status: PolicyStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> OffsetPagination[PolicyView]:
    """The policies the caller may see (a resident: their household's), latest term first."""
    filters: list[ColumnElement[bool]] = [
        scope.policy_clause(principal, Policy.household_id, Policy.region_code)
    ]
    if household_id:
        filters.append(Policy.household_id == household_id)
    if program_id:
        filters.append(Policy.program_id == program_id)
    if status:
        filters.append(Policy.status == status.value)
    rows, total = await PolicyService(session=session).get_many_and_count(
        *filters,
        LimitOffset(limit=limit, offset=offset),
        order_by=[Policy.starts_on.desc(), Policy.number.asc()],
    )
    return OffsetPagination(
        items=[from_row(p, PolicyView) for p in rows], limit=limit, offset=offset, total=total
    )
