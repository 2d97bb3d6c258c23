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


class InvalidProgram(InvalidInput):
    code = "invalid_program"
    message_zh = "保险方案设置有误"
    message_en = "Invalid program terms"


class PolicyTransitionNotAllowed(Conflict):
    code = "policy_transition_not_allowed"
    message_zh = "保单当前状态不允许此操作"
    message_en = "The policy's status does not allow this"


class InvalidPayment(InvalidInput):
    code = "invalid_payment"
    message_zh = "缴费金额无效"
    message_en = "Invalid payment amount"


class Overpayment(InvalidPayment):
    code = "premium_overpaid"
    message_zh = "缴费金额超过应缴保费"
    message_en = "The payment exceeds the premium still due"


class RegionNotFound(NotFound):
    code = "region_not_found"
    message_zh = "找不到该行政区划"
    message_en = "Region not found"


class InvalidRegionFile(InvalidInput):
    code = "invalid_region_file"
    message_zh = "行政区划文件有误"
    message_en = "The region file is invalid"


class PersonNotFound(NotFound):
    code = "person_not_found"
    message_zh = "找不到该人员"
    message_en = "Person not found"


class InvalidMembers(InvalidInput):
    code = "invalid_members"
    message_zh = "住户成员有误（须有且只有一位户主）"
    message_en = "Invalid members (a household has exactly one head)"


class ProgramNotFound(NotFound):
    code = "program_not_found"
    message_zh = "找不到该保险方案"
    message_en = "Program not found"


class ProgramCodeTaken(Conflict):
    code = "program_code_taken"
    message_zh = "方案编号已被使用"
    message_en = "This program code is already in use"


class PolicyNotFound(NotFound):
    code = "policy_not_found"
    message_zh = "找不到该保单"
    message_en = "Policy not found"


class WrongFunding(InvalidInput):
    code = "wrong_funding"
    message_zh = "该方案的筹资方式不支持此操作"
    message_en = "The program's funding does not allow this"


class HouseholdOutsideProgram(InvalidInput):
    code = "household_outside_program"
    message_zh = "该住户不在此方案的承保区域内"
    message_en = "The household lives outside the program's region"


class PolicyStartInvalid(InvalidInput):
    code = "policy_start_invalid"
    message_zh = "保单起始日期无效（不得早于方案开始日期）"
    message_en = "Invalid start date (not before the program starts)"


class PolicyOverlaps(Conflict):
    code = "policy_overlaps"
    message_zh = "该期间已有同一方案的保单"
    message_en = "A policy of this program already covers that period"


class ReceiptAlreadyRecorded(Conflict):
    code = "receipt_already_recorded"
    message_zh = "该收据号已登记"
    message_en = "This receipt number is already recorded for that channel"


class HouseholdNoTaken(Conflict):
    code = "household_no_taken"
    message_zh = "户号已被使用"
    message_en = "This household number is already in use"
