"""Households and their people: register, change, look up; one person belongs to one household."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination, SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import privacy, scope
from core.audit import record
from core.auth import Principal
from core.clock import utcnow
from core.views import from_row
from policies.domain import Relation, normalize_phone, normalize_resident_id, require_village_code
from policies.errors import (
    HouseholdNoTaken,
    HouseholdNotFound,
    InvalidMembers,
    PersonAlreadyEnrolled,
    PersonNotFound,
    UnknownRegion,
)
from policies.models import Household, Person
from policies.schemas import HouseholdUpdate, HouseholdView, MemberIn, PersonUpdate
from policies.services.regions import RegionService


class HouseholdService(SQLAlchemyAsyncRepositoryService[Household]):
    class Repo(SQLAlchemyAsyncRepository[Household]):
        model_type = Household
        # Two queries, not a window function: a page past the end still reports the total.
        count_with_window_function = False

    repository_type = Repo


def household_view(household: Household) -> HouseholdView:
    """One household in full, head first, then by name (`people` is loaded with the household)."""
    people = sorted(household.people, key=lambda p: (p.relation != "head", p.name))
    return from_row(household, HouseholdView, people=people)


def listed_household_view(household: Household, principal: Principal) -> HouseholdView:
    """A household as a listing shows it: ID numbers and phones masked unless the caller lists in full."""
    view = household_view(household)
    if privacy.lists_in_full(principal):
        return view
    people = [
        msgspec.structs.replace(
            person,
            resident_id=privacy.mask_resident_id(person.resident_id),
            phone=privacy.mask_phone(person.phone) if person.phone else None,
        )
        for person in view.people
    ]
    return msgspec.structs.replace(view, phone=privacy.mask_phone(view.phone), people=people)


def _snapshot(household: Household) -> dict[str, Any]:
    """The audit log is permanent, so it keeps only enough of an ID to tell people apart."""
    return {
        "village_code": household.village_code,
        "household_no": household.household_no,
        "address": household.address,
        "head_name": household.head_name,
        "phone": household.phone,
        "people": [
            {
                "id": str(p.id),
                "name": p.name,
                "resident_id": privacy.mask_resident_id(p.resident_id),
                "relation": p.relation,
            }
            for p in household.people
        ],
    }


async def get_household(session: AsyncSession, household_id: UUID) -> Household:
    household = await HouseholdService(session=session).get_one_or_none(Household.id == household_id)
    if household is None:
        raise HouseholdNotFound()
    return household


async def get_visible_household(session: AsyncSession, principal: Principal, household_id: UUID) -> Household:
    """The household if the caller may see it; otherwise 404, exactly as for an unknown id."""
    household = await get_household(session, household_id)
    if not scope.may_see_household(principal, household.id, household.village_code):
        raise HouseholdNotFound()
    return household


async def _ensure_not_enrolled(session: AsyncSession, resident_ids: Sequence[str]) -> None:
    taken = await session.scalar(select(Person.resident_id).where(Person.resident_id.in_(resident_ids)))
    if taken is not None:
        raise PersonAlreadyEnrolled(
            f"{privacy.mask_resident_id(taken)} already belongs to a household", resident_id=taken
        )


async def _ensure_number_free(session: AsyncSession, household_no: str | None) -> None:
    if household_no and await HouseholdService(session=session).exists(household_no=household_no):
        raise HouseholdNoTaken(f"household number {household_no} is taken")


def _person(member: MemberIn) -> Person:
    return Person(
        name=member.name.strip(),
        resident_id=normalize_resident_id(member.resident_id),
        relation=Relation(member.relation).value,
        phone=normalize_phone(member.phone) if member.phone else None,
    )


async def _audit(
    session: AsyncSession, actor: str, action: str, household: Household, **changes: Any
) -> None:
    await record(
        session,
        actor=actor,
        action=action,
        subject_type="household",
        subject_id=household.id,
        region_code=household.village_code,
        **changes,
    )


async def register_household(
    session: AsyncSession,
    *,
    actor: str,
    village_code: str,
    address: str,
    phone: str,
    members: Sequence[MemberIn],
    household_no: str | None = None,
    principal: Principal | None = None,
) -> Household:
    """A new household in a known village, with exactly one head and nobody already enrolled.

    principal: the caller over HTTP, who must cover the village; None for a trusted caller (seed, tests).
    """
    if principal is not None:
        scope.check_region(principal, village_code)
    require_village_code(village_code)
    if not await RegionService(session=session).exists(code=village_code):
        raise UnknownRegion(f"no village {village_code}", field="village_code")
    people = [_person(member) for member in members]
    heads = [p for p in people if p.relation == Relation.HEAD]
    if len(heads) != 1:
        raise InvalidMembers(f"{len(heads)} heads given; a household has exactly one")
    ids = [p.resident_id for p in people]
    if len(set(ids)) != len(ids):
        raise InvalidMembers("the same resident ID is listed twice")
    await _ensure_not_enrolled(session, ids)
    await _ensure_number_free(session, household_no)
    household = Household(
        village_code=village_code,
        household_no=household_no,
        address=address.strip(),
        head_name=heads[0].name,
        phone=normalize_phone(phone),
        registered_at=utcnow(),
        people=people,
    )
    session.add(household)
    await session.flush()
    await _audit(session, actor, "household.registered", household, after=_snapshot(household))
    return household


async def update_household(
    session: AsyncSession, *, actor: str, household: Household, changes: HouseholdUpdate
) -> Household:
    before = _snapshot(household)
    if changes.address is not msgspec.UNSET:
        household.address = changes.address.strip()
    if changes.phone is not msgspec.UNSET:
        household.phone = normalize_phone(changes.phone)
    if changes.household_no is not msgspec.UNSET and changes.household_no != household.household_no:
        await _ensure_number_free(session, changes.household_no)
        household.household_no = changes.household_no or None
    await session.flush()
    await _audit(session, actor, "household.updated", household, before=before, after=_snapshot(household))
    return household


async def add_member(session: AsyncSession, *, actor: str, household: Household, member: MemberIn) -> Person:
    person = _person(member)
    if person.relation == Relation.HEAD:
        raise InvalidMembers("the household already has a head; change the head's relation instead")
    await _ensure_not_enrolled(session, [person.resident_id])
    before = _snapshot(household)
    household.people.append(person)
    await session.flush()
    await _audit(
        session, actor, "household.member_added", household, before=before, after=_snapshot(household)
    )
    return person


def _member(household: Household, person_id: UUID) -> Person:
    person = next((p for p in household.people if p.id == person_id), None)
    if person is None:
        raise PersonNotFound()
    return person


async def update_member(
    session: AsyncSession, *, actor: str, household: Household, person_id: UUID, changes: PersonUpdate
) -> Person:
    """Naming a new head demotes the old one to `other`, so a household always has exactly one."""
    person = _member(household, person_id)
    before = _snapshot(household)
    if changes.name is not msgspec.UNSET:
        person.name = changes.name.strip()
    if changes.phone is not msgspec.UNSET:
        person.phone = normalize_phone(changes.phone) if changes.phone else None
    if changes.relation is not msgspec.UNSET and changes.relation.value != person.relation:
        if person.relation == Relation.HEAD:
            raise InvalidMembers("name another member head instead of demoting the head")
        if changes.relation is Relation.HEAD:
            for other in household.people:
                if other.relation == Relation.HEAD:
                    other.relation = Relation.OTHER.value
        person.relation = changes.relation.value
    household.head_name = next(p.name for p in household.people if p.relation == Relation.HEAD)
    await session.flush()
    await _audit(
        session, actor, "household.member_updated", household, before=before, after=_snapshot(household)
    )
    return person


async def remove_member(session: AsyncSession, *, actor: str, household: Household, person_id: UUID) -> None:
    """A person leaves (to join another household, say); the head stays until another is named."""
    person = _member(household, person_id)
    if person.relation == Relation.HEAD:
        raise InvalidMembers("name another member head before removing the head")
    before = _snapshot(household)
    household.people.remove(person)
    await session.delete(person)
    await session.flush()
    await _audit(
        session, actor, "household.member_removed", household, before=before, after=_snapshot(household)
    )


async def find_households(
    session: AsyncSession,
    principal: Principal,
    *,
    village_code: str | None = None,
    resident_id: str | None = None,
    phone: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> OffsetPagination[HouseholdView]:
    """Households the caller may see, narrowed by village, a member's resident ID or any phone."""
    filters: list[ColumnElement[bool]] = [
        scope.household_clause(principal, Household.id, Household.village_code)
    ]
    if village_code:
        filters.append(Household.village_code.startswith(village_code, autoescape=True))
    if resident_id:
        member = select(Person.household_id).where(Person.resident_id == normalize_resident_id(resident_id))
        filters.append(Household.id.in_(member))
    if phone:
        number = normalize_phone(phone)
        member = select(Person.household_id).where(Person.phone == number)
        filters.append(or_(Household.phone == number, Household.id.in_(member)))
    rows, total = await HouseholdService(session=session).get_many_and_count(
        *filters,
        LimitOffset(limit=limit, offset=offset),
        order_by=[Household.registered_at.asc(), Household.id.asc()],
    )
    items = [listed_household_view(h, principal) for h in rows]
    return OffsetPagination(items=items, limit=limit, offset=offset, total=total)
