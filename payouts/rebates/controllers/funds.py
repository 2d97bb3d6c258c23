"""HTTP for village security funds: spending with receipts, balances, statements, the district view."""

from __future__ import annotations

import hashlib
from datetime import date
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, MultipartBody
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from core import files
from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from core.settings import Settings
from payouts.rebates.controllers.guards import READERS
from payouts.rebates.schemas import (
    ExpenditureFingerprint,
    ExpenditureForm,
    SecurityExpenditure,
    VillageFund,
    VillageStatement,
)
from payouts.rebates.services import funds, statements

PDF = "application/pdf"
CSV = "text/csv"


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
        return await funds.village_fund(db_session, principal=request.user, village_code=village_code)

    @get("/villages/{village_code:str}/expenditures", summary="What a village spent from its fund")
    async def list_expenditures(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        village_code: FromPath[str],
        spent_from: FromQuery[date | None] = None,
        spent_before: FromQuery[date | None] = None,
    ) -> list[SecurityExpenditure]:
        return await funds.list_expenditures(
            db_session,
            principal=request.user,
            village_code=village_code,
            spent_from=spent_from,
            spent_before=spent_before,
        )

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
    ) -> Response[SecurityExpenditure]:
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
            row = await funds.record_expenditure(
                db_session,
                principal=request.user,
                village_code=village_code,
                form=data,
                content=content,
                storage_dir=settings.storage_dir,
            )
            return funds.expenditure_view(row)

        owner = request.user.username
        return await create_once(request, db_session, owner=owner, data=fingerprint, create=create)

    # The file goes out as the type sniffed from its bytes when it was recorded (an image or a PDF).
    @get(
        "/expenditures/{expenditure_id:uuid}/receipt",
        media_type="application/octet-stream",
        summary="The receipt file of an expenditure: a JPEG, PNG or WebP image, or a PDF",
    )
    async def receipt(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], expenditure_id: FromPath[UUID]
    ) -> File:
        row = await funds.get_expenditure(db_session, principal=request.user, expenditure_id=expenditure_id)
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
        return await funds.region_funds(
            db_session, principal=request.user, region_code=district_code, period_id=period_id
        )

    @get("/periods/{period_id:uuid}/villages/{village_code:str}/statement", summary="A village's statement")
    async def statement(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> VillageStatement:
        return await statements.village_statement(
            db_session, principal=request.user, period_id=period_id, village_code=village_code
        )

    @get(
        "/periods/{period_id:uuid}/villages/{village_code:str}/statement.pdf",
        media_type=PDF,
        summary="The statement, PDF",
    )
    async def statement_pdf(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> Response[bytes]:
        statement = await statements.village_statement(
            db_session, principal=request.user, period_id=period_id, village_code=village_code
        )
        return _download(await statements.statement_pdf(statement), PDF, statement, "pdf")

    @get(
        "/periods/{period_id:uuid}/villages/{village_code:str}/statement.csv",
        media_type=CSV,
        summary="The statement, CSV",
    )
    async def statement_csv(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        period_id: FromPath[UUID],
        village_code: FromPath[str],
    ) -> Response[bytes]:
        statement = await statements.village_statement(
            db_session, principal=request.user, period_id=period_id, village_code=village_code
        )
        csv = statements.statement_csv(statement)
        # Litestar adds `; charset=utf-8` to every text/* type itself.
        return _download(csv, CSV, statement, "csv")
