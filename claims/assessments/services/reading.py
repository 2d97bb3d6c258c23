"""The assessment as its readers get it, and the adjuster's sheet for the page at the door."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments import domain, schemas
from claims.assessments.errors import AssessmentNotFound
from claims.assessments.models import Assessment
from claims.assessments.services.access import assigned_visit, visible_claim, visible_visit
from claims.assessments.services.photos import site_photos, view
from claims.domain import ClaimStatus
from core.auth import Principal, Role
from core.views import from_row
from policies.domain import Peril
from policies.models import Household


def to_view(assessment: Assessment, principal: Principal, advance_paid_fen: int) -> schemas.Assessment:
    """A resident reads their own figures, lines and steps, but not the adjuster's notes or account.
    The final payout and what is owed back are worked out from the advances paid now (the claim's),
    as payouts will pay; the steps keep them as at the assessment."""
    resident = principal.role is Role.RESIDENT
    return from_row(
        assessment,
        schemas.Assessment,
        assessed_at=assessment.created_at,
        assessed_by=None if resident else assessment.assessed_by,
        notes=None if resident else assessment.notes,
        advance_paid_fen=advance_paid_fen,
        final_payout_fen=domain.final_payout(assessment.payable_fen, advance_paid_fen),
        owed_back_fen=domain.owed_back(assessment.payable_fen, advance_paid_fen),
    )


async def _of(session: AsyncSession, condition: ColumnElement[bool]) -> Assessment | None:
    return await session.scalar(select(Assessment).where(condition))


async def for_visit(session: AsyncSession, principal: Principal, visit_id: UUID) -> schemas.Assessment:
    found = await visible_visit(session, principal, visit_id)
    assessment = await _of(session, Assessment.visit_id == found.visit.id)
    if assessment is None:
        raise AssessmentNotFound()
    return to_view(assessment, principal, found.claim.advance_paid_fen)


async def for_claim(session: AsyncSession, principal: Principal, claim_id: UUID) -> schemas.Assessment:
    claim = await visible_claim(session, principal, claim_id)
    assessment = await _of(session, Assessment.claim_id == claim.id)
    if assessment is None:
        raise AssessmentNotFound()
    return to_view(assessment, principal, claim.advance_paid_fen)


async def sheet(session: AsyncSession, principal: Principal, visit_id: UUID) -> schemas.AssessmentForm:
    """Everything the page at the door shows, for the visit's own adjuster."""
    found = await assigned_visit(session, principal, visit_id)
    visit, claim = found.visit, found.claim
    household = await session.get_one(Household, claim.household_id)
    assessment = await _of(session, Assessment.visit_id == visit.id)
    return schemas.AssessmentForm(
        visit_id=visit.id,
        visit_on=visit.visit_on,
        visit_status=visit.status,
        claim_id=claim.id,
        claim_number=claim.number,
        claim_status=ClaimStatus(claim.status),
        peril=Peril(claim.peril),
        loss_at=claim.loss_at,
        loss_place=claim.loss_place,
        description=claim.description,
        estimated_loss_fen=claim.estimated_loss_fen,
        payable_cap_fen=claim.payable_cap_fen,
        advance_paid_fen=claim.advance_paid_fen,
        household_head=household.head_name,
        address=household.address,
        claimant_name=claim.claimant_name,
        claimant_phone=claim.claimant_phone,
        photos=[view(doc) for doc in await site_photos(session, claim.id)],
        assessment=None if assessment is None else to_view(assessment, principal, claim.advance_paid_fen),
    )
