"""Domain exceptions: each carries a machine-readable code and a zh-CN and English message.

Domain code raises these; only app.py decides which HTTP status each kind becomes.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error a user can cause. Subclasses set code and messages."""

    code: ClassVar[str] = "domain_error"
    message_zh: ClassVar[str] = "请求无法处理"
    message_en: ClassVar[str] = "The request cannot be processed"

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.message_en)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"
    message_zh = "找不到该记录"
    message_en = "Not found"


class Conflict(DomainError):
    code = "conflict"
    message_zh = "与现有记录冲突"
    message_en = "Conflicts with an existing record"


class InvalidInput(DomainError):
    code = "invalid_input"
    message_zh = "输入有误"
    message_en = "Invalid input"


class NotAllowed(DomainError):
    code = "not_allowed"
    message_zh = "无权进行此操作"
    message_en = "You may not do this"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message_zh = "该幂等键已用于另一内容不同的请求"
    message_en = "This Idempotency-Key was already used with a different request body"


class DateImplausible(InvalidInput):
    """A date outside the plausible range of its kind (core.dates states them)."""

    code = "date_implausible"
    message_zh = "日期超出合理范围"
    message_en = "The date is outside its plausible range"


class OutsideYourRegion(NotAllowed):
    """The record or region lies outside the caller's scope (core.scope decides)."""

    code = "outside_your_region"
    message_zh = "该记录或地区不在您的辖区内"
    message_en = "This record or region is outside your region"
