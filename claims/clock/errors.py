"""What can go wrong when asking for a clock report."""

from __future__ import annotations

from core.errors import InvalidInput


class PeriodInvalid(InvalidInput):
    code = "clock_period_invalid"
    message_zh = "报表期间有误：结束日期不能早于开始日期，且最长十年"
    message_en = "The report period is invalid: it must not end before it starts, and spans at most ten years"
