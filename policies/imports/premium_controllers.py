"""POST /imports/premiums: the premium collection import over HTTP (a multipart upload of one file).

Admins import anywhere. Village liaisons hand in their villages' collection lists, and finance the
bank's files of collected payments; both only for households in their regions: a household outside
them is a bad row (`household_out_of_scope`) and the rest of the file goes in.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from litestar import Controller, Response, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from policies.imports import premium_services
from policies.imports.premium_services import PremiumImportReport


class PremiumImportController(Controller):
    path = "/imports"
    tags = ["enrollment"]
    guards = [require_roles(Role.ADMIN, Role.LIAISON, Role.FINANCE)]

    @post(
        "/premiums",
        status_code=200,
        summary="Import a premium collection list, CSV or XLSX (admin; liaison, finance: own regions)",
        description="One row per household payment; columns 户编号 (or 户主身份证号) 方案代码 金额 缴费日期 "
        "缴费方式 收据号 收款人, or household_no (or resident_id) program amount paid_on channel "
        "receipt_no collector. Amounts are in yuan. A household without a term of the program is "
        "enrolled (a new idle policy); a term paid in full becomes active. Good rows are recorded; every "
        "bad row comes back with its line number and reason. Re-sending the same file changes nothing.",
    )
    async def import_premiums(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[PremiumImportReport]:
        principal = request.user
        content = await data.read()

        async def run() -> PremiumImportReport:
            return await premium_services.import_premiums(
                db_session, content, filename=data.filename, actor=principal.username, principal=principal
            )

        fingerprint = {"sha256": hashlib.sha256(content).hexdigest(), "filename": data.filename}
        return await create_once(
            request, db_session, owner=principal.username, data=fingerprint, create=run, status_code=200
        )
