"""Reading the audit log: the events an auditor may see, newest first (writing is `core.audit.record`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService

from core import scope
from core.audit import AuditEvent
from core.auth import Principal


class AuditEventService(SQLAlchemyAsyncRepositoryService[AuditEvent]):
    """Reading the log (writing goes through `core.audit.record`, which keeps the chain)."""

    class Repo(SQLAlchemyAsyncRepository[AuditEvent]):
        model_type = AuditEvent

    repository_type = Repo

    async def list_visible(
        self,
        *,
        principal: Principal,
        subject_id: str | None,
        action: str | None,
        before_id: int | None,
        limit: int,
    ) -> Sequence[AuditEvent]:
        """Events in the principal's regions and the system's own, newest first; `before_id` pages
        further back."""
        filters: list[Any] = [scope.audit_clause(principal, AuditEvent.region_code)]
        if subject_id:
            filters.append(AuditEvent.subject_id == subject_id)
        if action:
            filters.append(AuditEvent.action == action)
        if before_id:
            filters.append(AuditEvent.id < before_id)
        return await self.get_many(
            *filters, LimitOffset(limit=limit, offset=0), order_by=(AuditEvent.id, True)
        )
