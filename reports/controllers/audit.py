"""The read side's HTTP API: auditors read the audit log in their district and verify its chain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import ChainReport, verify_chain
from core.auth import AuthRequest, Role, require_roles
from core.params import RowIdBefore
from reports.services.audit import AuditEventService


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


async def provide_audit_events(db_session: NamedDependency[AsyncSession]) -> AuditEventService:
    return AuditEventService(session=db_session)


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]
    guards = [require_roles(Role.AUDITOR, Role.ADMIN)]
    dependencies = {"audit_events": Provide(provide_audit_events)}

    @get("/events", summary="Audit events in the caller's district, newest first")
    async def list_events(
        self,
        request: AuthRequest,
        audit_events: NamedDependency[AuditEventService],
        subject_id: FromQuery[str | None] = None,
        action: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        before_id: RowIdBefore = None,
    ) -> list[AuditEventView]:
        rows = await audit_events.list_visible(
            principal=request.user, subject_id=subject_id, action=action, before_id=before_id, limit=limit
        )
        return [audit_events.to_schema(row, schema_type=AuditEventView) for row in rows]

    @get("/verify", summary="Verify the whole hash chain; names the first broken event")
    async def verify(self, db_session: NamedDependency[AsyncSession]) -> ChainReport:
        return await verify_chain(db_session)
