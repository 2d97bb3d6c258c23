"""HTTP for payment batches: building, exporting, the bank files (CSV, pain.001) and the bank's
results. Thin."""

from __future__ import annotations

import hashlib
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, RawBody
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.openapi import problem_spec
from core.params import Offset
from payouts import schemas
from payouts.services import batches, results, views

READERS = require_roles(Role.FINANCE, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)
FINANCE = require_roles(Role.FINANCE)
PAGE = 50


def _file(content: bytes, filename: str, media_type: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


class PaymentBatchController(Controller):
    path = "/payment-batches"
    tags = ["payouts"]
    guards = [READERS]

    @get("/", summary="Payment batches of the caller's regions, newest first")
    async def list_batches(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], offset: Offset = 0
    ) -> OffsetPagination[schemas.PaymentBatch]:
        items, total = await views.list_batches(db_session, request.user, limit=PAGE, offset=offset)
        return OffsetPagination(items=items, limit=PAGE, offset=offset, total=total)

    @post(
        "/",
        guards=[FINANCE],
        summary="Build a batch of the region's approved payouts not in a batch yet",
        responses={409: problem_spec(409, "No approved payout is waiting")},
    )
    async def build(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[schemas.BatchCreate],
    ) -> Response[schemas.PaymentBatch]:
        async def create() -> schemas.PaymentBatch:
            return await batches.build_batch(db_session, principal=request.user, data=data)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/{batch_id:uuid}", summary="One payment batch")
    async def get_batch(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], batch_id: FromPath[UUID]
    ) -> schemas.PaymentBatch:
        return views.batch_view(await views.get_visible_batch(db_session, request.user, batch_id))

    @post(
        "/{batch_id:uuid}/export",
        guards=[FINANCE],
        summary="Export the batch: its payouts are handed to the bank (sent); then download its files",
        description="201 when this call exported the batch; 200 with the batch unchanged when it was "
        "exported before (a retry sends nothing twice).",
    )
    async def export(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], batch_id: FromPath[UUID]
    ) -> Response[schemas.PaymentBatch]:
        batch, exported = await batches.export(db_session, principal=request.user, batch_id=batch_id)
        return Response(batch, status_code=201 if exported else 200)

    @get(
        "/{batch_id:uuid}/bank-file.csv",
        guards=[FINANCE],
        media_type="text/csv",
        summary="The exported batch's bank file as CSV (read-only: the same file every time)",
        responses={409: problem_spec(409, "The batch is not exported yet")},
    )
    async def bank_csv(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], batch_id: FromPath[UUID]
    ) -> Response[bytes]:
        number, content = await batches.bank_csv(db_session, principal=request.user, batch_id=batch_id)
        return _file(content, f"{number}.csv", "text/csv; charset=utf-8")

    @get(
        "/{batch_id:uuid}/pain001.xml",
        guards=[FINANCE],
        media_type="application/xml",
        summary="The exported batch's bank file as ISO 20022 pain.001.001.03 (read-only)",
        responses={409: problem_spec(409, "The batch is not exported yet")},
    )
    async def pain001(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], batch_id: FromPath[UUID]
    ) -> Response[bytes]:
        number, content = await batches.pain001(db_session, principal=request.user, batch_id=batch_id)
        return _file(content, f"{number}.xml", "application/xml")

    @post(
        "/{batch_id:uuid}/results",
        status_code=200,
        guards=[FINANCE],
        opt={"raw_body": "text/csv"},
        summary="Import the bank's result CSV: each line marks a payout paid or failed",
        description="Columns reference, amount (yuan), status (paid|failed), bank_reference, reason "
        "(or 付款参考号 金额 状态 银行流水号 原因). Re-importing a file changes nothing; a line for an "
        "unknown payout, a payout of another batch, a differing or malformed amount is reported in "
        "`errors` and changes nothing for that line.",
    )
    async def import_results(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        batch_id: FromPath[UUID],
        body: RawBody,
    ) -> Response[schemas.ResultImport]:
        async def run() -> schemas.ResultImport:
            return await results.import_results(
                db_session, principal=request.user, batch_id=batch_id, content=body
            )

        fingerprint = {"batch_id": str(batch_id), "sha256": hashlib.sha256(body).hexdigest()}
        return await create_once(
            request, db_session, owner=request.user.username, data=fingerprint, create=run, status_code=200
        )
