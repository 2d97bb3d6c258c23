"""Errors of the dashboard and the monthly report (app.py maps their kinds to HTTP statuses)."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotFound


class RegionNotFound(NotFound):
    code = "region_not_found"
    message_zh = "找不到该地区"
    message_en = "No such region"


class PeriodInvalid(InvalidInput):
    code = "period_invalid"
    message_zh = "起止日期有误：开始日期不能晚于结束日期，且跨度不超过三年"
    message_en = (
        "The period is invalid: the start must not be after the end, and it spans at most three years"
    )


class NotADistrict(InvalidInput):
    code = "not_a_district"
    message_zh = "月度报告按区（县）生成，请选择一个区（县）"
    message_en = "Monthly reports are built per district; choose a district"


class MonthNotOver(InvalidInput):
    code = "month_not_over"
    message_zh = "该月尚未结束，不能生成月度报告"
    message_en = "That month is not over yet; its report cannot be built"


class MonthlyReportNotFound(NotFound):
    code = "monthly_report_not_found"
    message_zh = "找不到该月度报告"
    message_en = "No such monthly report"


class MonthlyReportNotReady(Conflict):
    code = "monthly_report_not_ready"
    message_zh = "月度报告正在生成，请稍后再试"
    message_en = "The monthly report is still being built; try again shortly"
