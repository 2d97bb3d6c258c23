"""HTTP for payouts: listing, the second officer's approval, a failed payout's payee put right. Thin."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.openapi import problem_spec
from core.params import Offset
from payouts import schemas
from payouts.domain import PayoutStatus
from payouts.services import approvals, views

READERS = require_roles(Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN)
PAGE = 100


class PayoutController(Controller):
    path = "/payouts"
    tags = ["payouts"]
    guards = [READERS]

    @get("/", summary="Payouts in the caller's regions, oldest approval first")
    async def list_payouts(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        status: FromQuery[PayoutStatus | None] = None,
        unbatched: FromQuery[bool] = False,
        batch_id: FromQuery[UUID | None] = None,
        offset: Offset = 0,
    ) -> OffsetPagination[schemas.Payout]:
        items, total = await views.list_payouts(
            db_session,
            request.user,
            status=status,
            unbatched=unbatched,
            batch_id=batch_id,
            limit=PAGE,
            offset=offset,
        )
        return OffsetPagination(items=items, limit=PAGE, offset=offset, total=total)

    @get("/{payout_id:uuid}", summary="One payout")
    async def get_payout(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], payout_id: FromPath[UUID]
    ) -> schemas.Payout:
        return await views.get_payout_view(db_session, request.user, payout_id)

    @post(
        "/{payout_id:uuid}/approve",
        status_code=200,
        guards=[require_roles(Role.CLAIMS_OFFICER)],
        summary="Another officer's approval of a pending payout (over the maker's limit, or payee corrected)",
        responses={409: problem_spec(409, "The payout is not pending")},
    )
    async def approve(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        payout_id: FromPath[UUID],
        data: JSONBody[schemas.Approval],
    ) -> schemas.Payout:
        return await approvals.approve_payout(
            db_session, principal=request.user, payout_id=payout_id, note=data.note
        )

    @patch(
        "/{payout_id:uuid}/payee",
        guards=[require_roles(Role.CLAIMS_OFFICER)],
        summary="Correct a failed payout's payee; it then waits for another officer's approval",
        responses={409: problem_spec(409, "The payout has not failed")},
    )
    async def correct_payee(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        payout_id: FromPath[UUID],
        data: JSONBody[schemas.PayeeCorrection],
    ) -> schemas.Payout:
        return await approvals.correct_payee(
            db_session, principal=request.user, payout_id=payout_id, data=data
        )
