"""A claim's documents: photos and PDFs checked by their content, stored once per sha256."""

from __future__ import annotations

import asyncio
import enum
from pathlib import Path, PurePath
from uuid import UUID, uuid4

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

from claims import schemas
from claims.errors import DocumentNotFound, FileTooLarge, FileTypeMismatch, UnsupportedFile
from claims.models import Claim, ClaimDocument
from claims.services.views import get_visible
from core import audit, files
from core.auth import Principal
from core.files import IMAGE_TYPES, PDF
from core.views import from_row


class DocumentKind(enum.StrEnum):
    PHOTO = "photo"
    POLICE_REPORT = "police_report"
    FIRE_CERTIFICATE = "fire_certificate"
    ID_COPY = "id_copy"
    BANK_CARD = "bank_card"
    OTHER = "other"


EXTENSIONS = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heic",
    ".pdf": PDF,
}


def check_file(kind: DocumentKind, filename: str, declared_type: str | None, content: bytes) -> str:
    """The content type to store, if the bytes are an accepted type that agrees with name and label."""
    actual = files.sniff(content)
    if actual is None:
        raise UnsupportedFile()
    named = EXTENSIONS.get(PurePath(filename).suffix.lower())
    declared = (declared_type or "").split(";")[0].strip().lower()
    labelled = declared if declared in IMAGE_TYPES or declared == PDF else None
    if (named and named != actual) or (labelled and labelled != actual):
        raise FileTypeMismatch(f"the file is {actual}", actual=actual)
    if kind is DocumentKind.PHOTO and actual not in IMAGE_TYPES:
        raise FileTypeMismatch("a photo must be an image", actual=actual)
    return actual


class ClaimDocumentService(SQLAlchemyAsyncRepositoryService[ClaimDocument]):
    class Repo(SQLAlchemyAsyncRepository[ClaimDocument]):
        model_type = ClaimDocument

    repository_type = Repo


def _view(doc: ClaimDocument) -> schemas.Document:
    return from_row(doc, schemas.Document, uploaded_at=doc.created_at)


async def attach(
    session: AsyncSession,
    principal: Principal,
    claim_id: UUID,
    *,
    kind: DocumentKind,
    filename: str,
    declared_type: str | None,
    content: bytes,
    storage_dir: Path,
    max_bytes: int,
) -> schemas.Document:
    claim = await get_visible(session, principal, claim_id)
    if len(content) > max_bytes:
        raise FileTooLarge(f"at most {max_bytes} bytes", max_bytes=max_bytes)
    content_type = check_file(kind, filename, declared_type, content)
    digest = await asyncio.to_thread(files.store, storage_dir, content)
    doc = await add_document(
        session,
        principal,
        claim,
        kind=kind.value,
        filename=filename,
        content_type=content_type,
        size_bytes=len(content),
        sha256=digest,
    )
    return _view(doc)


async def add_document(
    session: AsyncSession,
    principal: Principal,
    claim: Claim,
    *,
    kind: str,
    filename: str,
    content_type: str,
    size_bytes: int,
    sha256: str,
    facts: dict[str, str] | None = None,
) -> ClaimDocument:
    """Record a stored file as one of the claim's documents, audited (`facts` add to the event)."""
    doc = ClaimDocument(
        id=uuid4(),
        claim_id=claim.id,
        kind=kind,
        filename=PurePath(filename).name[-200:] or "upload",
        content_type=content_type,
        size_bytes=size_bytes,
        sha256=sha256,
        uploaded_by=principal.username,
    )
    session.add(doc)
    await session.flush()
    await audit.record(
        session,
        actor=principal.username,
        action="claim.document_added",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        after={"document_id": str(doc.id), "kind": kind, "sha256": sha256, **(facts or {})},
    )
    return doc


async def list_documents(
    session: AsyncSession, principal: Principal, claim_id: UUID
) -> list[schemas.Document]:
    claim = await get_visible(session, principal, claim_id)
    rows = await ClaimDocumentService(session=session).get_many(
        ClaimDocument.claim_id == claim.id, order_by=[ClaimDocument.created_at.asc()]
    )
    return [_view(doc) for doc in rows]


async def open_document(
    session: AsyncSession, principal: Principal, claim_id: UUID, document_id: UUID, storage_dir: Path
) -> tuple[schemas.Document, Path]:
    claim = await get_visible(session, principal, claim_id)
    doc = await ClaimDocumentService(session=session).get_one_or_none(
        ClaimDocument.id == document_id, ClaimDocument.claim_id == claim.id
    )
    if doc is None:
        raise DocumentNotFound()
    return _view(doc), files.stored_path(storage_dir, doc.sha256)
