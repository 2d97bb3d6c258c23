"""HTTP for the assessment at the door: photos, recording, reading, and the adjuster's page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, MultipartBody
from litestar.response import Template
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas as claim_schemas
from claims.assessments import schemas
from claims.assessments.services import photos, reading, recording
from core import idempotency
from core.auth import AuthRequest, Role, require_roles
from core.documents.templating import PERIL_ZH
from core.openapi import problem_spec

STATIC_DIR = Path(__file__).parent / "static"
ADJUSTERS = require_roles(Role.ADJUSTER)
# Whoever may see a claim may read its assessment; finance reads payouts, not assessments.
READERS = require_roles(
    Role.RESIDENT, Role.LIAISON, Role.ADJUSTER, Role.CLAIMS_OFFICER, Role.AUDITOR, Role.ADMIN
)


@dataclass
class PhotoUpload:
    files: list[UploadFile]


class VisitAssessmentController(Controller):
    path = "/visits/{visit_id:uuid}"
    tags = ["assessments"]

    @post(
        "/photos",
        guards=[ADJUSTERS],
        summary="Upload site photos (one or more images); the same bytes again return the same record",
    )
    async def add_photos(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        visit_id: FromPath[UUID],
        data: MultipartBody[PhotoUpload],
    ) -> list[claim_schemas.Document]:
        settings = request.app.state.settings
        uploads = [
            photos.Upload(upload.filename or "", upload.content_type, await upload.read())
            for upload in data.files
        ]
        return await photos.add_photos(
            db_session,
            request.user,
            visit_id,
            uploads,
            storage_dir=settings.storage_dir,
            max_bytes=settings.max_upload_bytes,
        )

    @post(
        "/assessment",
        guards=[ADJUSTERS],
        summary="Record the assessment at the door (the visit's adjuster); send an Idempotency-Key",
        responses={409: problem_spec(409, "Already assessed, visit closed, or claim not awaiting its visit")},
    )
    async def record(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        visit_id: FromPath[UUID],
        data: JSONBody[schemas.AssessmentCreate],
    ) -> Response[schemas.Assessment]:
        return await idempotency.create_once(
            request,
            db_session,
            owner=request.user.username,
            data=data,
            create=lambda: recording.record(db_session, request.user, visit_id, data),
        )

    @get("/assessment", guards=[READERS], summary="The assessment recorded at this visit")
    async def for_visit(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], visit_id: FromPath[UUID]
    ) -> schemas.Assessment:
        return await reading.for_visit(db_session, request.user, visit_id)

    @get(
        "/assessment-form",
        guards=[ADJUSTERS],
        summary="What the adjuster needs at the door: the claim's essentials, photos so far, the result",
    )
    async def sheet(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], visit_id: FromPath[UUID]
    ) -> schemas.AssessmentForm:
        return await reading.sheet(db_session, request.user, visit_id)


@get(
    "/claims/{claim_id:uuid}/assessment",
    guards=[READERS],
    tags=["assessments"],
    summary="A claim's assessment",
)
async def claim_assessment(
    request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
) -> schemas.Assessment:
    return await reading.for_claim(db_session, request.user, claim_id)


@get(
    "/adjuster/visits/{visit_id:uuid}/assess",
    opt={"exclude_from_auth": True},
    include_in_schema=False,
    sync_to_thread=False,
)
def assess_page(visit_id: FromPath[UUID]) -> Template:
    """A shell without data (it loads without a token); its script reads the API with the login cookie."""
    return Template(
        template_name="claims.assessments/page_assess.html",
        context={
            "title": "现场定损",
            "visit_id": str(visit_id),
            "perils_json": json.dumps(PERIL_ZH, ensure_ascii=False),
        },
        headers={"Cache-Control": "no-store"},
    )


ROUTES: list[ControllerRouterHandler] = [VisitAssessmentController, claim_assessment, assess_page]
