"""What a findings, sample, trail or export request can get wrong, each with a code and zh-CN/English text."""

from __future__ import annotations

from core.errors import InvalidInput, NotFound


class PeriodReversed(InvalidInput):
    code = "period_reversed"
    message_zh = "开始日期晚于结束日期"
    message_en = "The period starts after it ends"


class PeriodTooLong(InvalidInput):
    code = "period_too_long"
    message_zh = "期间不能超过两年"
    message_en = "The period cannot be longer than two years"


class PeriodImplausible(InvalidInput):
    code = "period_implausible"
    message_zh = "期间超出合理范围"
    message_en = "The period lies outside the plausible range"


class ClaimNotFound(NotFound):
    code = "claim_not_found"
    message_zh = "找不到该理赔案件"
    message_en = "Claim not found"
