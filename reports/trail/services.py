"""Reading a claim's trail: the claim's events and those of its visits, assessment and payouts, in
chain order, each event's hash recomputed (core.audit.event_hash) and its links to its neighbours in
the whole log checked. Two queries: the ids the claim's records carry, then their events with the
hashes around each (correlated on the primary key)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from claims.assessments.models import Assessment
from claims.models import Claim
from claims.visits.models import SiteVisit
from core import audit_seal, scope
from core.audit import AuditEvent, event_hash
from core.audit_seal import GENESIS_HASH
from core.auth import Principal
from payouts.models import Payout
from reports.findings.errors import ClaimNotFound
from reports.trail import domain
from reports.trail.schemas import ClaimTrail, TrailEvent


async def _subject_ids(session: AsyncSession, claim_id: UUID) -> list[str]:
    related = (
        select(SiteVisit.id)
        .where(SiteVisit.claim_id == claim_id)
        .union_all(
            select(Assessment.id).where(Assessment.claim_id == claim_id),
            select(Payout.id).where(Payout.claim_id == claim_id),
        )
    )
    return [str(claim_id), *(str(row_id) for row_id in (await session.scalars(related)).all())]


async def claim_trail(session: AsyncSession, *, principal: Principal, claim_id: UUID) -> ClaimTrail:
    claim = await session.get(Claim, claim_id)
    if claim is None or not scope.may_see_household(principal, claim.household_id, claim.village_code):
        raise ClaimNotFound()
    seal = audit_seal.of_session(session)
    outer = aliased(AuditEvent)
    before_it = (
        select(AuditEvent.hash).where(AuditEvent.id < outer.id).order_by(AuditEvent.id.desc()).limit(1)
    )
    after_it = select(AuditEvent.prev_hash).where(AuditEvent.id > outer.id).order_by(AuditEvent.id).limit(1)
    query = (
        select(outer, before_it.scalar_subquery(), after_it.scalar_subquery())
        .where(outer.subject_id.in_(await _subject_ids(session, claim_id)))
        .order_by(outer.id)
    )
    events = []
    for row, prev_hash, next_prev_hash in (await session.execute(query)).all():
        hash_ok = event_hash(seal, row) == row.hash
        prev_matches = row.prev_hash == (prev_hash or GENESIS_HASH)
        next_matches = next_prev_hash is None or next_prev_hash == row.hash
        events.append(
            TrailEvent(
                id=row.id,
                occurred_at=row.occurred_at,
                actor=row.actor,
                action=row.action,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                reason=row.reason,
                before=row.before,
                after=row.after,
                changes=domain.changes(row.before, row.after),
                hash_ok=hash_ok,
                linked=prev_matches and next_matches,
                problem=domain.problem(hash_ok=hash_ok, prev_matches=prev_matches, next_matches=next_matches),
            )
        )
    broken = next((event.id for event in events if event.problem), None)
    return ClaimTrail(
        claim_id=str(claim.id),
        claim_number=claim.number,
        chain_ok=broken is None,
        checked=len(events),
        first_broken_id=broken,
        events=events,
    )
