"""The claim PDFs: the blank one-page paper form and the filled one-page summary of a claim."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.services.views import STAGE_ZH, get_claim_view
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Principal
from core.clock import utcnow
from core.documents.pdf import render_pdf, render_pdf_async
from core.documents.templating import PERIL_ZH
from policies.models import Region
from users.models import User

FORM_VERSION = "v1"

# The stage time-stamps a claim view may carry, in lifecycle order (DESIGN §4).
STAGE_TIMES = (
    ("reported_at", "报案"),
    ("confirmed_at", "联络员确认"),
    ("accepted_at", "受理"),
    ("rejected_at", "不予受理"),
    ("reopened_at", "重新受理"),
    ("visit_scheduled_at", "安排查勘"),
    ("assessed_at", "定损"),
    ("approved_at", "核准赔付"),
    ("paid_at", "赔款到账"),
    ("closed_at", "结案"),
    ("withdrawn_at", "撤案"),
    ("cleared_at", "经核实无损失"),
)
VISIT_STATUS_ZH = {"planned": "已安排", "announced": "已通知住户", "done": "已查勘", "cancelled": "已取消"}
FLAG_ZH = {
    "possible_duplicate": "可能重复报案（同户、同险种、同日）",
    "shared_resident_id": "报案人身份证号也用于其他家庭的报案",
    "shared_bank_account": "收款账号也用于其他家庭的报案",
    "new_voluntary_policy": "自愿保单生效不足 30 天",
    "no_adjuster": "没有查勘员负责该村，需人工安排",
    "visit_at_risk": "查勘日期晚于时限要求，可能超时",
    "payout_in_flight": "赔款正在支付中",
}


@lru_cache(maxsize=1)
def claim_form_pdf() -> bytes:
    """The blank form never changes while the process runs, so it is rendered once."""
    return render_pdf(
        "claims/pdf_claim_form.html", {"perils": list(PERIL_ZH.items()), "form_version": FORM_VERSION}
    )


def stage_times(claim: Any) -> list[tuple[str, datetime]]:
    """The stages this claim has reached, read from whichever `*_at` fields its view carries."""
    stages = getattr(claim, "stage_times", None)
    if isinstance(stages, dict):
        lookup = {name if name.endswith("_at") else f"{name}_at": when for name, when in stages.items()}
    else:
        lookup = {field: getattr(claim, field, None) for field, _ in STAGE_TIMES}
    return [(label, lookup[field]) for field, label in STAGE_TIMES if lookup.get(field) is not None]


async def claim_summary_pdf(
    claim: Any,
    *,
    village_name: str | None = None,
    visit: dict[str, Any] | None = None,
    assessment: dict[str, Any] | None = None,
) -> bytes:
    """`claim` is a claims.schemas.Claim, as returned by claims.services.get_claim_view; `visit` and
    `assessment` (see `visit_facts`) add the site visit and the assessed lines and steps once they exist."""
    context = {
        "visit": visit,
        "assessment": assessment,
        "claim": claim,
        "status_zh": STAGE_ZH.get(claim.status, str(claim.status)),
        "village_name": village_name,
        "stages": stage_times(claim) or [("报案", claim.reported_at)],
        "flags_zh": [FLAG_ZH.get(str(flag), str(flag)) for flag in claim.flags or ()],
        "printed_at": utcnow(),
    }
    return await render_pdf_async("claims/pdf_claim_summary.html", context)


async def visit_facts(session: AsyncSession, claim_id: UUID) -> dict[str, Any] | None:
    """The claim's live visit (the latest, if every one was cancelled): day, adjuster, status."""
    row = (
        await session.execute(
            select(SiteVisit, User.display_name)
            .join(Adjuster, Adjuster.id == SiteVisit.adjuster_id)
            .join(User, User.id == Adjuster.user_id)
            .where(SiteVisit.claim_id == claim_id)
            .order_by((SiteVisit.status == "cancelled").asc(), SiteVisit.created_at.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    visit, adjuster_name = row
    return {
        "visit_on": visit.visit_on,
        "adjuster": adjuster_name,
        "status_zh": VISIT_STATUS_ZH.get(visit.status, visit.status),
        "done_at": visit.done_at,
    }


async def claim_summary(session: AsyncSession, principal: Principal, claim_id: UUID) -> tuple[str, bytes]:
    """The claim's number and its summary PDF, if the caller may see the claim."""
    view = await get_claim_view(session, principal, claim_id)
    village_name = await session.scalar(select(Region.name).where(Region.code == view.village_code))
    visit = await visit_facts(session, view.id)
    row = await session.scalar(select(Assessment).where(Assessment.claim_id == view.id))
    # Plain values: the page is rendered in a worker thread, away from the session.
    assessment = (
        None
        if row is None
        else {
            "lines": row.lines,
            "steps": row.steps,
            "acknowledged_by": row.acknowledged_by,
            "assessed_at": row.created_at,
        }
    )
    pdf = await claim_summary_pdf(view, village_name=village_name, visit=visit, assessment=assessment)
    return view.number, pdf
