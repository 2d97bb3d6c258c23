"""HTTP for village security funds: spending with receipts, balances, statements, the district view."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, MultipartBody
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from core import files
from core.auth import Principal, Role, require_roles
from core.idempotency import create_once
from core.settings import Settings
from payouts import rebate_agreements, rebate_statements, security_funds
from payouts.errors import VillageNotFound
from payouts.rebate_statements import expenditure_view
from payouts.schemas import (
    ExpenditureFingerprint,
    ExpenditureForm,
    SecurityExpenditure,
    VillageFund,
    VillageStatement,
)

AuthRequest = Request[Principal, Any, Any]
# Everyone with a stake in rebates reads them, each within their own regions; only some write.
READERS = require_roles(Role.LIAISON, Role.FINANCE, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN)


def _download(content: bytes, media_type: str, statement: VillageStatement, suffix: str) -> Response[bytes]:
    name = f"rebate-{statement.village_code}-{statement.period_start:%Y%m%d}.{suffix}"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'inline; filename="{name}"'}
    )


class VillageFundController(Controller):
    """The village side: funds, spending with receipts, statements, and the district overview."""

    path = "/rebates"
    tags = ["rebates"]
    guards = [READERS]

    @get("/villages/{village_code:str}/fund", summary="A village's security fund: disbursed, spent, balance")
    async def fund(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], village_code: FromPath[str]
    ) -> VillageFund:
        rebate_agreements.require_region(request.user, village_code)
        funds = await rebate_statements.region_funds(db_session, request.user, village_code, None)
        if not funds:
            raise VillageNotFound(village_code)
        return funds[0]

    @get("/villages/{village_code:str}/expenditures", summary="What a village spent from its fund")
    async def list_expenditures(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: FromPath[str],
        spent_from: FromQuery[date | None] = None,
        spent_before: FromQuery[date | None] = None,
    ) -> list[SecurityExpenditure]:
        rebate_agreements.require_region(request.user, village_code)
        rows = await security_funds.list_expenditures(
            db_session, village_code, spent_from=spent_from, spent_before=spent_before
        )
        return [expenditure_view(row) for row in rows]

    @post(
        "/villages/{village_code:str}/expenditures",
        guards=[require_roles(Role.LIAISON)],
        summary="Record spending from the village fund, with its receipt (multipart)",
    )
    async def record_expenditure(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: FromPath[str],
        data: MultipartBody[ExpenditureForm],
    ) -> Response[Any]:
        settings: Settings = request.app.state.settings
        content = await data.receipt.read()
        fingerprint = ExpenditureFingerprint(
            village_code=village_code,
            category=data.category,
            amount_fen=data.amount_fen,
            spent_on=data.spent_on,
            description=data.description,
            receipt_sha256=hashlib.sha256(content).hexdigest(),
        )

        async def create() -> SecurityExpenditure:
            row = await security_funds.record_expenditure(
                db_session,
                principal=request.user,
                village_code=village_code,
                form=data,
                content=content,
                storage_dir=settings.storage_dir,
            )
            return expenditure_view(row)

        owner = request.user.username
        return await create_once(request, db_session, owner=owner, data=fingerprint, create=create)

    @get("/expenditures/{expenditure_id:uuid}/receipt", summary="The receipt file of an expenditure")
    async def receipt(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], expenditure_id: FromPath[UUID]
    ) -> File:
        row = await security_funds.get_expenditure(db_session, request.user, expenditure_id)
        settings: Settings = request.app.state.settings
        return File(
            path=files.stored_path(settings.storage_dir, row.receipt_sha256),
            media_type=row.receipt_media_type,
            filename=row.receipt_name,
        )

    @get("/districts/{district_code:str}/villages", summary="Every village of a district: accrued to balance")
    async def district_funds(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        district_code: FromPath[str],
        period_id: FromQuery[UUID | None] = None,
    ) -> list[VillageFund]:
        return await rebate_statements.region_funds(db_session, request.user, district_code, period_id)

    @get("/periods/{period_id:uuid}/villages/{village_code:str}/statement", summary="A village's statement")
    async def statement(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> VillageStatement:
        return await rebate_statements.village_statement(db_session, request.user, period_id, village_code)

    @get("/periods/{period_id:uuid}/villages/{village_code:str}/statement.pdf", summary="The statement, PDF")
    async def statement_pdf(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> Response[bytes]:
        statement = await rebate_statements.village_statement(
            db_session, request.user, period_id, village_code
        )
        pdf = await rebate_statements.statement_pdf(statement)
        return _download(pdf, "application/pdf", statement, "pdf")

    @get("/periods/{period_id:uuid}/villages/{village_code:str}/statement.csv", summary="The statement, CSV")
    async def statement_csv(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> Response[bytes]:
        statement = await rebate_statements.village_statement(
            db_session, request.user, period_id, village_code
        )
        csv = rebate_statements.statement_csv(statement)
        return _download(csv, "text/csv; charset=utf-8", statement, "csv")
