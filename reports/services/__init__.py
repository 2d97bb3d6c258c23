"""The read side's services: the audit log, the dashboard's figures, the monthly report builds."""

from reports.services.audit import AuditEventService

__all__ = ["AuditEventService"]
