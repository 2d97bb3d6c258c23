"""What can go wrong in enrollment, each with a code and a zh-CN and English message."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotFound


class InvalidResidentId(InvalidInput):
    code = "invalid_resident_id"
    message_zh = "身份证号码无效（须为 18 位且校验位正确）"
    message_en = "Invalid resident ID (18 characters with a correct check digit)"


class InvalidPhone(InvalidInput):
    code = "invalid_phone"
    message_zh = "电话号码无效"
    message_en = "Invalid phone number"


class UnknownRegion(InvalidInput):
    code = "unknown_region"
    message_zh = "行政区划代码不存在"
    message_en = "Unknown region code"


class NotAVillage(InvalidInput):
    code = "not_a_village"
    message_zh = "住户必须属于一个村或社区（12 位代码）"
    message_en = "A household must belong to a village or community (12-digit code)"


class PersonAlreadyEnrolled(Conflict):
    code = "person_already_enrolled"
    message_zh = "此人已是另一户的成员"
    message_en = "This person already belongs to a household"


class HouseholdNotFound(NotFound):
    code = "household_not_found"
    message_zh = "找不到该住户"
    message_en = "Household not found"
