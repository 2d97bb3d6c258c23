"""What can go wrong recording an assessment, each with a code and a zh-CN and English message."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotFound


class AssessmentNotFound(NotFound):
    code = "assessment_not_found"
    message_zh = "该案件尚未定损"
    message_en = "No assessment has been recorded yet"


class AlreadyAssessed(Conflict):
    code = "already_assessed"
    message_zh = "该查勘已录入定损结果，不能重复录入"
    message_en = "This visit's assessment is already recorded"


class VisitNotOpen(Conflict):
    code = "visit_not_open"
    message_zh = "该查勘任务已取消或已完成"
    message_en = "This site visit is cancelled or already done"


class NotAcknowledged(InvalidInput):
    code = "not_acknowledged"
    message_zh = "请由住户确认定损结果（填写姓名并勾选确认）"
    message_en = "The resident must acknowledge the assessment (name typed and box ticked)"


class PhotoNotOfVisit(InvalidInput):
    code = "photo_not_of_visit"
    message_zh = "照片不属于本次查勘"
    message_en = "A photo does not belong to this visit"
