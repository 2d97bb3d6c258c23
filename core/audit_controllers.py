"""HTTP view of the audit log: auditors read events in their district and verify the chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, ChainReport, verify_chain
from core.auth import Principal, Role, require_roles
from core.views import from_row


class AuditEventView(msgspec.Struct):
    id: int
    occurred_at: datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    region_code: str | None
    reason: str | None
    before: Any
    after: Any
    prev_hash: str
    hash: str


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [require_roles(Role.AUDITOR, Role.ADMIN)]

    @get("/events", summary="Audit events in the caller's district, newest first")
    async def list_events(
        self,
        request: Request[Principal, Any, Any],
        db_session: NamedDependency[AsyncSession],
        subject_id: FromQuery[str | None] = None,
        action: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        before_id: FromQuery[int | None] = None,
    ) -> list[AuditEventView]:
        query = select(AuditEvent).where(request.user.region_clause(AuditEvent.region_code))
        if subject_id:
            query = query.where(AuditEvent.subject_id == subject_id)
        if action:
            query = query.where(AuditEvent.action == action)
        if before_id:
            query = query.where(AuditEvent.id < before_id)
        rows = await db_session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit))
        return [from_row(row, AuditEventView) for row in rows]

    @get("/verify", summary="Verify the whole hash chain; names the first broken event")
    async def verify(self, db_session: NamedDependency[AsyncSession]) -> ChainReport:
        return await verify_chain(db_session)
