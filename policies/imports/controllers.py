"""POST /imports/households: the bulk household import over HTTP (a multipart upload of one file).

Admins import anywhere. Village liaisons collect the enrolment forms in the voluntary scheme, so
they may import too, but only into the villages they cover: a row of another village is a bad
row (`village_out_of_scope`) and the rest of the file is imported, as for any other bad row.
Large registers (the 800,000-person case) go through `litestar anju import-households`, which has
no upload limit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Response, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import AuthRequest, Role, require_roles
from core.idempotency import create_once
from policies.imports import services
from policies.imports.services import ImportReport


@dataclass
class HouseholdUpload:
    """The form has one part, `file`: a named part, so that a form without it is a 400, not a crash."""

    file: UploadFile


class HouseholdImportController(Controller):
    path = "/imports"
    tags = ["enrollment"]
    guards = [require_roles(Role.ADMIN, Role.LIAISON)]

    @post(
        "/households",
        status_code=200,
        summary="Import households and their people from a CSV or XLSX file (admin; liaison: own villages)",
        description="One row per person; columns 户编号 村代码 地址 户主姓名(optional) 联系电话 姓名 "
        "身份证号 与户主关系, or household_no village_code address head_name phone name resident_id "
        "relation. "
        "Good rows are imported; every bad row comes back with its line number and reason. "
        "Re-sending the same file changes nothing.",
    )
    async def import_households(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        data: Annotated[HouseholdUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> Response[ImportReport]:
        principal = request.user
        # The app's request_max_body_size (ANJU_MAX_UPLOAD_BYTES) already refused oversized uploads (413).
        upload = data.file
        content = await upload.read()

        async def run() -> ImportReport:
            return await services.import_households(
                db_session, content, filename=upload.filename, actor=principal.username, principal=principal
            )

        fingerprint = {"sha256": hashlib.sha256(content).hexdigest(), "filename": upload.filename}
        return await create_once(
            request, db_session, owner=principal.username, data=fingerprint, create=run, status_code=200
        )
