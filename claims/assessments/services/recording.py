"""Recording the assessment at the door: the figures computed, the visit done, the claim assessed,
all audited in one transaction."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain as claim_domain
from claims.assessments import domain, schemas
from claims.assessments.errors import AlreadyAssessed, NotAcknowledged, VisitNotOpen
from claims.assessments.models import Assessment
from claims.assessments.services.access import assigned_visit
from claims.assessments.services.photos import OPEN_VISIT, check_photos
from claims.assessments.services.reading import to_view
from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services import lifecycle
from core import audit
from core.auth import Principal
from core.clock import utcnow
from policies.domain import Cover, Funding, Peril


def covers_of(claim: Claim) -> list[Cover]:
    """The claim's covers as snapshot at filing, in paying order (blanket first, as filed).

    `limit_fen` is already the peril limit within the per-claim cap; claims filed before the snapshot
    kept the cap, the deductible or the advance share count them as the limit itself and 0."""
    peril = Peril(claim.peril)
    covers = []
    for entry in claim.covers:
        limit = int(entry.get("limit_fen", 0))
        covers.append(
            Cover(
                policy_id=UUID(entry["policy_id"]),
                policy_number=entry["policy_number"],
                program_id=UUID(entry["program_id"]),
                program_code=entry.get("program_code", ""),
                program_name=entry.get("program_name", ""),
                funding=Funding(entry["funding"]),
                perils={peril: limit},
                per_claim_cap_fen=int(entry.get("per_claim_cap_fen", limit)),
                combined_cap_fen=entry.get("combined_cap_fen"),
                clock_target_hours=claim.clock_target_hours,
                reporting_window_days=0,
                starts_on=claim.loss_on,
                ends_on=claim.loss_on,
                deductible_fen=int(entry.get("deductible_fen", 0)),
                advance_max_bps=int(entry.get("advance_max_bps", 0)),
            )
        )
    return covers


def lines_of(data: schemas.AssessmentCreate) -> list[domain.Line]:
    return [
        domain.Line(
            item=line.item,
            quantity=line.quantity,
            unit_value_fen=line.unit_value_fen,
            age_years=line.age_years,
            depreciation_bps=line.depreciation_bps,
        )
        for line in data.lines
    ]


async def record(
    session: AsyncSession, principal: Principal, visit_id: UUID, data: schemas.AssessmentCreate
) -> schemas.Assessment:
    """Refused, with nothing written: not the caller's visit (404), not acknowledged (422), a photo
    of another visit (422), a visit already assessed, cancelled or done, a claim not awaiting its
    visit (409)."""
    found = await assigned_visit(session, principal, visit_id, for_update=True)
    visit, claim = found.visit, found.claim
    assert found.adjuster is not None
    if not data.acknowledged:
        raise NotAcknowledged()
    if await session.scalar(select(Assessment.id).where(Assessment.visit_id == visit.id)) is not None:
        raise AlreadyAssessed()
    if visit.status not in OPEN_VISIT:
        raise VisitNotOpen()
    claim_domain.assess(ClaimStatus(claim.status))
    await check_photos(session, claim.id, data.photo_ids)
    result = domain.compute(
        lines_of(data), covers_of(claim), Peril(claim.peril), advance_paid_fen=claim.advance_paid_fen
    )
    now = utcnow()
    assessment = Assessment(
        id=uuid4(),
        claim_id=claim.id,
        visit_id=visit.id,
        adjuster_id=found.adjuster.id,
        assessed_by=principal.username,
        lines=result.lines,
        assessed_loss_fen=result.assessed_loss_fen,
        deductible_fen=result.deductible_fen,
        payable_fen=result.payable_fen,
        owed_back_fen=result.owed_back_fen,
        steps=result.steps,
        shares=[asdict(share) for share in result.shares],
        photo_ids=[str(photo) for photo in data.photo_ids],
        notes=data.notes,
        acknowledged_by=data.acknowledged_by,
    )
    session.add(assessment)
    was = visit.status
    visit.status = "done"
    visit.done_at = now
    await lifecycle.move(session, principal, claim, "assess", changes={"visited_at": now})
    figures: dict[str, Any] = {
        "visit_id": str(visit.id),
        "assessed_loss_fen": result.assessed_loss_fen,
        "deductible_fen": result.deductible_fen,
        "payable_fen": result.payable_fen,
        "advance_paid_fen": result.advance_paid_fen,
        "final_payout_fen": result.final_payout_fen,
        "owed_back_fen": result.owed_back_fen,
        "shares": assessment.shares,
        "lines": len(result.lines),
        "acknowledged_by": data.acknowledged_by,
    }
    await audit.record(
        session,
        actor=principal.username,
        action="visit.done",
        subject_type="visit",
        subject_id=visit.id,
        region_code=claim.village_code,
        before={"status": was},
        after={"status": "done"},
    )
    await audit.record(
        session,
        actor=principal.username,
        action="assessment.recorded",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        after=figures,
    )
    await session.flush()
    return to_view(assessment, principal, claim.advance_paid_fen)
