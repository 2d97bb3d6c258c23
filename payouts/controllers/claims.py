"""HTTP for a claim's money: approving it, its advance, its payouts and its payout notice. Thin."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, JSONBody, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.openapi import problem_spec
from payouts import schemas
from payouts.services import approvals, notices, views

PDF = "application/pdf"
PUBLIC_NOTICE_LIMIT = RateLimitConfig(rate_limit=("minute", 10))


def pdf_response(content: bytes, number: str, *, private: bool = True) -> Response[bytes]:
    return Response(
        content,
        media_type=PDF,
        headers={
            "Content-Disposition": f'inline; filename="payout-notice-{number}.pdf"',
            "Cache-Control": "private, no-store" if private else "no-store",
        },
    )


class ClaimPayoutController(Controller):
    path = "/claims/{claim_id:uuid}"
    tags = ["payouts"]

    @post(
        "/approve",
        guards=[require_roles(Role.CLAIMS_OFFICER)],
        summary="Approve an assessed claim: its final payout (payable less advances paid)",
        description="Within the officer's authority (approval_limit_fen) the payout is approved and the "
        "claim moves to `approved`; above it the payout is `pending` until a second officer approves "
        "it (POST /payouts/{id}/approve). When the advance paid covers the assessment no payout is "
        "made: the claim is closed and `owed_back_fen` shows what was advanced beyond it.",
        responses={409: problem_spec(409, "Not assessed, already approved, or its advance not paid yet")},
    )
    async def approve(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Approval],
    ) -> Response[schemas.ClaimPayouts]:
        async def create() -> schemas.ClaimPayouts:
            return await approvals.approve_claim(
                db_session, principal=request.user, claim_id=claim_id, note=data.note
            )

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @post(
        "/advance",
        guards=[require_roles(Role.CLAIMS_OFFICER)],
        summary="An advance payout (预赔) for a catastrophe claim before its visit",
        description="An amount, or a share (basis points) of the claim's payable cap; at most the "
        "program's advance_max_bps of the payable cap. One advance per claim.",
        responses={409: problem_spec(409, "No advance allowed for this claim, or it has one")},
    )
    async def advance(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.AdvanceRequest],
    ) -> Response[schemas.ClaimPayouts]:
        async def create() -> schemas.ClaimPayouts:
            return await approvals.request_advance(
                db_session, principal=request.user, claim_id=claim_id, data=data
            )

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/payouts", summary="A claim's money: assessed, advanced, paid, owed back, and its payouts")
    async def claim_payouts(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> schemas.ClaimPayouts:
        return await views.get_claim_payouts(db_session, request.user, claim_id)

    @get(
        "/payout-notice.pdf",
        summary="The payout notice (赔款通知书), one page, once money has been paid",
        media_type=PDF,
        responses={409: problem_spec(409, "Nothing paid yet")},
    )
    async def payout_notice(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> Response[bytes]:
        number, content = await notices.notice_for(db_session, request.user, claim_id)
        return pdf_response(content, number)


@get(
    "/public/claims/payout-notice.pdf",
    tags=["public"],
    summary="The payout notice by claim number and the phone's last four digits",
    media_type=PDF,
    middleware=[PUBLIC_NOTICE_LIMIT.middleware],
    opt={"rate_limited": True},
    responses={
        404: problem_spec(404, "No claim with this number and phone"),
        409: problem_spec(409, "Nothing paid yet"),
    },
)
async def public_payout_notice(
    db_session: NamedDependency[AsyncSession],
    number: Annotated[str, QueryParameter(min_length=1, max_length=20)],
    phone_last4: Annotated[str, QueryParameter(pattern=r"^\d{4}$")],
) -> Response[bytes]:
    found, content = await notices.public_notice(db_session, number=number, phone_last4=phone_last4)
    return pdf_response(content, found)
