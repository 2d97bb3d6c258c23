"""Who may reach a site visit and the claim behind it: the adjuster of the visit, and whoever may
see the claim (core.scope decides; an adjuster is `assigned` to a claim by a visit of theirs)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.services.views import ClaimService, get_visible
from claims.visits.errors import VisitNotFound
from claims.visits.models import Adjuster, SiteVisit
from core import scope
from core.auth import Principal, Role


class SiteVisitService(SQLAlchemyAsyncRepositoryService[SiteVisit]):
    class Repo(SQLAlchemyAsyncRepository[SiteVisit]):
        model_type = SiteVisit

    repository_type = Repo


@dataclass(frozen=True)
class VisitAtDoor:
    visit: SiteVisit
    claim: Claim
    adjuster: Adjuster | None  # the caller, when the caller is the visit's adjuster


async def own_adjuster(session: AsyncSession, principal: Principal) -> Adjuster | None:
    if principal.role is not Role.ADJUSTER:
        return None
    return await session.scalar(select(Adjuster).where(Adjuster.user_id == principal.user_id))


async def visible_visit(
    session: AsyncSession, principal: Principal, visit_id: UUID, *, for_update: bool = False
) -> VisitAtDoor:
    """The visit and its claim if the caller may see the claim; else 404, like an unknown visit."""
    visit = await SiteVisitService(session=session).get_one_or_none(
        SiteVisit.id == visit_id, with_for_update=for_update
    )
    if visit is None:
        raise VisitNotFound()
    claim = await ClaimService(session=session).get_one(
        Claim.id == visit.claim_id, with_for_update=for_update
    )
    adjuster = await own_adjuster(session, principal)
    assigned = adjuster is not None and adjuster.id == visit.adjuster_id
    if not scope.may_see_household(principal, claim.household_id, claim.village_code, assigned=assigned):
        raise VisitNotFound()
    return VisitAtDoor(visit, claim, adjuster if assigned else None)


async def assigned_visit(
    session: AsyncSession, principal: Principal, visit_id: UUID, *, for_update: bool = False
) -> VisitAtDoor:
    """The visit, for its own adjuster only: any other caller gets the 404 of an unknown visit."""
    found = await visible_visit(session, principal, visit_id, for_update=for_update)
    if found.adjuster is None:
        raise VisitNotFound()
    return found


async def visible_claim(session: AsyncSession, principal: Principal, claim_id: UUID) -> Claim:
    """The claim if the caller may see it (an adjuster through a visit of theirs): views.get_visible."""
    return await get_visible(session, principal, claim_id)
