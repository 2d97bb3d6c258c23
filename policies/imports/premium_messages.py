"""The collection-list import's row errors: one code each, with its message in Chinese and English."""

from __future__ import annotations

from policies.imports.rules import RowError

MESSAGES = {
    "missing_field": ("缺少必填项：{}", "Required field is empty: {}"),
    "too_long": ("{} 过长", "{} is too long"),
    "invalid_amount": (
        "金额无效（以元为单位，最多两位小数）：{}",
        "Invalid amount (yuan, two decimals at most): {}",
    ),
    "invalid_date": ("缴费日期无效：{}", "Invalid payment date: {}"),
    "paid_in_future": ("缴费日期晚于今天：{}", "The payment date is in the future: {}"),
    "unknown_channel": ("缴费方式无法识别：{}", "Unknown payment channel: {}"),
    "unknown_household": ("找不到该住户：{}", "Unknown household: {}"),
    "household_out_of_scope": ("该户不在您负责的村：{}", "The household is outside your villages: {}"),
    "unknown_program": ("保险方案不存在：{}", "Unknown program: {}"),
    "blanket_program": ("{} 由区财政统一缴费，住户无需缴费", "{} is paid by the district as a lump sum"),
    "per_resident_program": (
        "{} 按人收费，请逐笔登记缴费",
        "{} is priced per resident: record its payments one by one",
    ),
    "household_outside_program": (
        "该户不在方案 {} 的销售区域",
        "The household is outside program {}'s region",
    ),
    "paid_before_program": ("缴费日期早于方案开始日 {}", "Paid before the program opened on {}"),
    "receipt_used": ("收据号已用于其他缴费：{}", "Receipt number already used for another payment: {}"),
    "duplicate_receipt": ("收据号与第 {} 行重复", "Receipt number repeats line {}"),
    "already_paid": ("保单 {} 已缴清", "Policy {} is already paid"),
    "policy_overlaps": ("保单 {} 已覆盖该期间", "Policy {} already covers that period"),
    "wrong_amount": ("金额应为 {} 元", "The amount due is {} yuan"),
}


def row_error(line: int, column: str | None, code: str, *args: object) -> RowError:
    zh, en = MESSAGES[code]
    return RowError(line, column, code, zh.format(*args), en.format(*args))
