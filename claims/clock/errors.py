"""What can go wrong when asking for a clock report."""

from __future__ import annotations

from core.errors import InvalidInput


class PeriodInvalid(InvalidInput):
    code = "clock_period_invalid"
    message_zh = "报表期间有误：须在 2000 年至明年之间，结束不早于开始，且最长十年"
    message_en = (
        "The report period is invalid: it lies between 2000 and next year, ends no earlier than it starts "
        "and spans at most ten years"
    )
