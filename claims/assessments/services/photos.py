"""Site photos taken at the door: claim documents of kind "site_photo", checked to be images by
their bytes and kept once per sha256, so a retried upload returns the record the first one made."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas
from claims.assessments.errors import PhotoNotOfVisit, VisitNotOpen
from claims.assessments.services.access import assigned_visit
from claims.errors import FileTooLarge
from claims.models import ClaimDocument
from claims.services.documents import ClaimDocumentService, DocumentKind, add_document, check_file
from core import files
from core.auth import Principal
from core.views import from_row

SITE_PHOTO = "site_photo"
OPEN_VISIT = frozenset({"planned", "announced"})


@dataclass(frozen=True)
class Upload:
    filename: str
    declared_type: str | None
    content: bytes


def view(doc: ClaimDocument) -> schemas.Document:
    return from_row(doc, schemas.Document, uploaded_at=doc.created_at)


async def add_photos(
    session: AsyncSession,
    principal: Principal,
    visit_id: UUID,
    uploads: list[Upload],
    *,
    storage_dir: Path,
    max_bytes: int,
) -> list[schemas.Document]:
    """Every upload checked before any is kept: one bad file refuses the request and keeps none."""
    found = await assigned_visit(session, principal, visit_id)
    if found.visit.status not in OPEN_VISIT:
        raise VisitNotOpen()
    for upload in uploads:
        if len(upload.content) > max_bytes:
            raise FileTooLarge(f"at most {max_bytes} bytes", max_bytes=max_bytes)
    types = [check_file(DocumentKind.PHOTO, u.filename, u.declared_type, u.content) for u in uploads]
    service = ClaimDocumentService(session=session)
    kept = []
    for upload, content_type in zip(uploads, types, strict=True):
        digest = await asyncio.to_thread(files.store, storage_dir, upload.content)
        existing = await service.get_one_or_none(
            ClaimDocument.claim_id == found.claim.id,
            ClaimDocument.kind == SITE_PHOTO,
            ClaimDocument.sha256 == digest,
        )
        if existing is not None:
            kept.append(existing)
            continue
        doc = await add_document(
            session,
            principal,
            found.claim,
            kind=SITE_PHOTO,
            filename=upload.filename or "photo",
            content_type=content_type,
            size_bytes=len(upload.content),
            sha256=digest,
            facts={"visit_id": str(visit_id)},
        )
        kept.append(doc)
    return [view(doc) for doc in kept]


async def site_photos(session: AsyncSession, claim_id: UUID) -> list[ClaimDocument]:
    return list(
        await ClaimDocumentService(session=session).get_many(
            ClaimDocument.claim_id == claim_id,
            ClaimDocument.kind == SITE_PHOTO,
            order_by=[ClaimDocument.created_at.asc()],
        )
    )


async def check_photos(session: AsyncSession, claim_id: UUID, photo_ids: list[UUID]) -> None:
    """Each photo named must be a site photo of this visit's claim."""
    ours = {doc.id for doc in await site_photos(session, claim_id)}
    if not set(photo_ids) <= ours:
        raise PhotoNotOfVisit(photo_ids=sorted(str(i) for i in set(photo_ids) - ours))
