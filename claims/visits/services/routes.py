"""An adjuster's day in route order: when planned visits join a day, the day is numbered 1, 2, …
again, and the places of the visits already booked that change are audited."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits import domain
from claims.visits.models import SiteVisit
from core import audit


async def renumber(session: AsyncSession, new: Sequence[SiteVisit], *, actor: str) -> None:
    """Number the live visits of each adjuster-day that `new` visits joined 1, 2, … again. The
    planner gives a new visit its place among those already booked (which keep their order), so a
    booked visit at or after that place moves one down: on a tie the new visit goes first. A day
    whose booked visits change place is audited once, with their order before and after."""
    await session.flush()
    new_ids = {visit.id for visit in new}
    events: list[audit.Event] = []
    for adjuster_id, day in sorted({(visit.adjuster_id, visit.visit_on) for visit in new}, key=str):
        visits = list(
            await session.scalars(
                select(SiteVisit).where(
                    SiteVisit.adjuster_id == adjuster_id,
                    SiteVisit.visit_on == day,
                    SiteVisit.status.in_(domain.LIVE),
                )
            )
        )
        visits.sort(key=lambda v: (v.route_order, v.id not in new_ids, str(v.id)))
        # The new visits' own places are in their visit.planned event; only booked ones are news.
        before = {str(v.id): v.route_order for v in visits if v.id not in new_ids}
        for place, visit in enumerate(visits, start=1):
            visit.route_order = place
        after = {str(v.id): v.route_order for v in visits if v.id not in new_ids}
        if after != before:
            events.append(
                audit.Event(
                    actor=actor,
                    action="visits.renumbered",
                    subject_type="adjuster",
                    subject_id=adjuster_id,
                    region_code=visits[0].village_code[:6],
                    before={"visit_on": day.isoformat(), "route_order": before},
                    after={"visit_on": day.isoformat(), "route_order": after},
                )
            )
    await audit.record_many(session, events)
