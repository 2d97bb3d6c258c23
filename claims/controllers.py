"""HTTP for claims: filing, reading, the lifecycle, documents, public status and catastrophes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import UUID

from advanced_alchemy.service import OffsetPagination
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.params import FromPath, FromQuery, JSONBody, MultipartBody, QueryParameter
from litestar.response import File
from litestar.types import ControllerRouterHandler
from sqlalchemy.ext.asyncio import AsyncSession

from claims import catastrophes, documents, schemas, services
from claims.documents import DocumentKind
from claims.domain import ClaimStatus
from claims.filing import ClaimFilings, Submission
from claims.intake import Filing
from core import idempotency
from core.auth import Principal, Role, require_roles
from core.idempotency import create_once

FILERS = require_roles(Role.RESIDENT, Role.LIAISON, Role.CLAIMS_OFFICER)
OFFICERS = require_roles(Role.CLAIMS_OFFICER)
CONFIRMERS = require_roles(Role.LIAISON, Role.CLAIMS_OFFICER)
UPLOADERS = require_roles(Role.RESIDENT, Role.LIAISON, Role.CLAIMS_OFFICER, Role.ADJUSTER)
# Ten lookups a minute per address: plenty for a resident, hopeless for guessing numbers.
PUBLIC_STATUS_LIMIT = RateLimitConfig(rate_limit=("minute", 10))

AnyRequest = Request[Principal, Any, Any]


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
        request: AnyRequest,
        claim_filings: NamedDependency[ClaimFilings],
        data: JSONBody[schemas.ClaimCreate],
    ) -> Response[schemas.Claim]:
        ticket = idempotency.ticket(request, owner=request.user.username, data=data)
        return await claim_filings.submit(Submission(Filing(request.user, data), ticket))

    @get("/", summary="Claims the caller may see, the nearest payment deadline first")
    async def list_claims(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        status: FromQuery[ClaimStatus | None] = None,
        village: Annotated[str | None, QueryParameter(pattern=r"^\d{6,15}$")] = None,
        catastrophe_id: FromQuery[UUID | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> OffsetPagination[schemas.Claim]:
        return await services.list_claims(
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
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> schemas.Claim:
        return await services.get_claim_view(db_session, request.user, claim_id)

    @post("/{claim_id:uuid}/accept", guards=[OFFICERS], status_code=200, summary="Accept a reported claim")
    async def accept(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> schemas.Claim:
        return await services.change_status(db_session, request.user, claim_id, "accept")

    @post("/{claim_id:uuid}/reject", guards=[OFFICERS], status_code=200, summary="Reject, with a reason")
    async def reject(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await services.change_status(db_session, request.user, claim_id, "reject", reason=data.reason)

    @post("/{claim_id:uuid}/reopen", guards=[OFFICERS], status_code=200, summary="Reopen a rejected claim")
    async def reopen(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await services.change_status(db_session, request.user, claim_id, "reopen", reason=data.reason)

    @post("/{claim_id:uuid}/withdraw", guards=[FILERS], status_code=200, summary="Withdraw an open claim")
    async def withdraw(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await services.change_status(
            db_session, request.user, claim_id, "withdraw", reason=data.reason
        )

    @post("/{claim_id:uuid}/documents", guards=[UPLOADERS], summary="Attach a photo or PDF")
    async def attach(
        self,
        request: AnyRequest,
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
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], claim_id: FromPath[UUID]
    ) -> list[schemas.Document]:
        return await documents.list_documents(db_session, request.user, claim_id)

    @get("/{claim_id:uuid}/documents/{document_id:uuid}", summary="Download one document")
    async def download(
        self,
        request: AnyRequest,
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
)
async def public_status(
    db_session: NamedDependency[AsyncSession],
    number: Annotated[str, QueryParameter(min_length=1, max_length=20)],
    phone_last4: Annotated[str, QueryParameter(pattern=r"^\d{4}$")],
) -> schemas.PublicStatus:
    return await services.public_status(db_session, number=number, phone_last4=phone_last4)


class CatastropheController(Controller):
    path = "/catastrophes"
    tags = ["catastrophes"]
    guards = [
        require_roles(
            Role.LIAISON, Role.CLAIMS_OFFICER, Role.ADJUSTER, Role.FINANCE, Role.AUDITOR, Role.ADMIN
        )
    ]

    @post("/", guards=[OFFICERS], summary="Declare an event: files a claim for every covered household")
    async def declare(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[schemas.CatastropheCreate],
    ) -> Response[schemas.Catastrophe]:
        async def create() -> schemas.Catastrophe:
            return await catastrophes.declare(db_session, request.user, data)

        return await create_once(request, db_session, owner=request.user.username, data=data, create=create)

    @get("/", summary="Events touching the caller's regions, newest first")
    async def list_events(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession]
    ) -> list[schemas.Catastrophe]:
        return await catastrophes.list_events(db_session, request.user)

    @get("/{catastrophe_id:uuid}", summary="The event with its claims counted by village and stage")
    async def get_event(
        self, request: AnyRequest, db_session: NamedDependency[AsyncSession], catastrophe_id: FromPath[UUID]
    ) -> schemas.Catastrophe:
        return await catastrophes.view(db_session, request.user, catastrophe_id)

    @post(
        "/{catastrophe_id:uuid}/claims/{claim_id:uuid}/confirm",
        guards=[CONFIRMERS],
        status_code=200,
        summary="Confirm a household's loss with the resident's estimate",
    )
    async def confirm(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        catastrophe_id: FromPath[UUID],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Confirmation],
    ) -> schemas.Claim:
        return await catastrophes.confirm(db_session, request.user, catastrophe_id, claim_id, data)

    @post(
        "/{catastrophe_id:uuid}/claims/{claim_id:uuid}/clear",
        guards=[CONFIRMERS],
        status_code=200,
        summary="No loss at this household: clear its claim, with a reason",
    )
    async def clear(
        self,
        request: AnyRequest,
        db_session: NamedDependency[AsyncSession],
        catastrophe_id: FromPath[UUID],
        claim_id: FromPath[UUID],
        data: JSONBody[schemas.Decision],
    ) -> schemas.Claim:
        return await catastrophes.clear(db_session, request.user, catastrophe_id, claim_id, data.reason)


ROUTES: list[ControllerRouterHandler] = [ClaimController, CatastropheController, public_status]
