"""HTTP for claims: filing, reading, the lifecycle, documents and the public status lookup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody, QueryParameter
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas
from claims.domain import ClaimStatus
from claims.services import documents, lifecycle, views
from claims.services.documents import DocumentKind
from claims.services.filing import ClaimFilings, Submission
from claims.services.intake import Filing
from claims.visits import tasks as visit_tasks
from core import idempotency
from core.auth import AuthRequest, Role, require_roles
from core.openapi import problem_spec
from core.params import Offset

FILERS = require_roles(Role.RESIDENT, Role.LIAISON, Role.CLAIMS_OFFICER)
OFFICERS = require_roles(Role.CLAIMS_OFFICER)
UPLOADERS = require_roles(Role.RESIDENT, Role.LIAISON, Role.CLAIMS_OFFICER, Role.ADJUSTER)
# Ten lookups a minute per address: plenty for a resident, hopeless for guessing numbers.
PUBLIC_STATUS_LIMIT = RateLimitConfig(rate_limit=("minute", 10))


@dataclass
class DocumentUpload:
    kind: DocumentKind
    file: UploadFile


class ClaimController(Controller):
    path = "/claims"
    tags = ["claims"]

    @post("/", guards=[FILERS], summary="File a claim (one page); send an Idempotency-Key")
    async def report(
        self,
        request: AuthRequest,
        claim_filings: NamedDependency[ClaimFilings],
        data: JSONBody[schemas.ClaimCreate],
    ) -> Response[schemas.Claim]:
        ticket = idempotency.ticket(request, owner=request.user.username, data=data)
        return await claim_filings.submit(Submission(Filing(request.user, data), ticket))

    @get("/", summary="Claims the caller may see, the nearest payment deadline first")
    async def list_claims(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        status: FromQuery[ClaimStatus | None] = None,
        village: Annotated[str | None, QueryParameter(pattern=r"^\d{6,15}$")] = None,
        catastrophe_id: FromQuery[UUID | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Offset = 0,
    ) -> OffsetPagination[schemas.Claim]:
        return await views.list_claims(
            db_session,
            request.user,
            status=status,
            village_code=village,
            catastrophe_id=catastrophe_id,
            limit=limit,
            offset=offset,
        )

    @get("/{claim_id:uuid}", summary="One claim")
    async def get_claim(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> schemas.Claim:
        return await views.get_claim_view(db_session, request.user, claim_id)

    @post(
        "/{claim_id:uuid}/accept",
        guards=[OFFICERS],
        status_code=200,
        summary="Accept a reported claim; its site visit is planned right after",
    )
    async def accept(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> schemas.Claim:
        accepted = await lifecycle.change_status(db_session, request.user, claim_id, "accept")
        visit_tasks.plan_when_accepted(db_session, accepted)
        return accepted

    @post("/{claim_id:uuid}/reject", guards=[OFFICERS], status_code=200, summary="Reject, with a reason")
    async def reject(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await lifecycle.change_status(db_session, request.user, claim_id, "reject", reason=data.reason)

    @post("/{claim_id:uuid}/reopen", guards=[OFFICERS], status_code=200, summary="Reopen a rejected claim")
    async def reopen(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await lifecycle.change_status(db_session, request.user, claim_id, "reopen", reason=data.reason)

    @post("/{claim_id:uuid}/withdraw", guards=[FILERS], status_code=200, summary="Withdraw an open claim")
    async def withdraw(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await lifecycle.change_status(
            db_session, request.user, claim_id, "withdraw", reason=data.reason
        )

    @post("/{claim_id:uuid}/documents", guards=[UPLOADERS], summary="Attach a photo or PDF")
    async def attach(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: MultipartBody[DocumentUpload],
    ) -> schemas.Document:
        settings = request.app.state.settings
        return await documents.attach(
            db_session,
            request.user,
            claim_id,
            kind=data.kind,
            filename=data.file.filename or "",
            declared_type=data.file.content_type,
            content=await data.file.read(),
            storage_dir=settings.storage_dir,
            max_bytes=settings.max_upload_bytes,
        )

    @get("/{claim_id:uuid}/documents", summary="A claim's documents")
    async def list_documents(
        self, request: AuthRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> list[schemas.Document]:
        return await documents.list_documents(db_session, request.user, claim_id)

    @get(
        "/{claim_id:uuid}/documents/{document_id:uuid}",
        summary="Download one document (a photo or a PDF, sent with its own type)",
        media_type="application/octet-stream",
    )
    async def download(
        self,
        request: AuthRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        document_id: FromPath[UUID],
    ) -> File:
        doc, path = await documents.open_document(
            db_session, request.user, claim_id, document_id, request.app.state.settings.storage_dir
        )
        return File(path=path, filename=doc.filename, media_type=doc.content_type)


@get(
    "/public/claims/status",
    tags=["public"],
    summary="Stage and expected payment date, by claim number and the phone's last four digits",
    middleware=[PUBLIC_STATUS_LIMIT.middleware],
    opt={"rate_limited": True},
    responses={404: problem_spec(404, "No claim with this number and phone")},
)
async def public_status(
    db_session: NamedDependency[AsyncSession],
    number: Annotated[str, QueryParameter(min_length=1, max_length=20)],
    phone_last4: Annotated[str, QueryParameter(pattern=r"^\d{4}$")],
) -> schemas.PublicStatus:
    return await views.public_status(db_session, number=number, phone_last4=phone_last4)
