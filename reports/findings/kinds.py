"""What a finding is: its kinds with their titles (Chinese first), and its evidence and link."""

from __future__ import annotations

import enum
from typing import Any

import msgspec


class FindingKind(enum.StrEnum):
    SHARED_BANK_ACCOUNT = "shared_bank_account"
    RESIDENT_ID_TWO_HOUSEHOLDS = "resident_id_two_households"
    CLAIMANT_SEVERAL_HOUSEHOLDS = "claimant_several_households"
    PAID_OVER_LIMIT = "paid_over_limit"
    LOSS_OUTSIDE_COVER = "loss_outside_cover"
    PAID_WITHOUT_VISIT = "paid_without_visit"
    AUDIT_CHAIN_BROKEN = "audit_chain_broken"
    REBATE_LEDGER_MISMATCH = "rebate_ledger_mismatch"
    VILLAGE_OVERSPENT = "village_overspent"
    CYCLE_OUTLIER = "cycle_outlier"


TITLES: dict[FindingKind, tuple[str, str]] = {
    FindingKind.SHARED_BANK_ACCOUNT: (
        "赔款打入其他住户使用过的银行账户",
        "Payout to a bank account another household uses",
    ),
    FindingKind.RESIDENT_ID_TWO_HOUSEHOLDS: (
        "同一身份证号出现在两个住户",
        "One resident ID in two households",
    ),
    FindingKind.CLAIMANT_SEVERAL_HOUSEHOLDS: (
        "同一报案人为多个住户报案",
        "One claimant claims for several households",
    ),
    FindingKind.PAID_OVER_LIMIT: ("赔付超过险种限额或封顶", "Paid above the peril limit or cap"),
    FindingKind.LOSS_OUTSIDE_COVER: ("出险时间不在保险期间内", "Loss outside the policy period"),
    FindingKind.PAID_WITHOUT_VISIT: ("未查勘定损即赔付", "Paid without a site visit and assessment"),
    FindingKind.AUDIT_CHAIN_BROKEN: ("审计日志链条断裂", "Audit chain broken"),
    FindingKind.REBATE_LEDGER_MISMATCH: (
        "返还台账与保费×比例不符",
        "Rebate ledger does not match premiums × share",
    ),
    FindingKind.VILLAGE_OVERSPENT: ("村级支出超过已拨付金额", "Village spending above what was disbursed"),
    FindingKind.CYCLE_OUTLIER: (
        "赔付周期明显偏离本区常态",
        "Paid far faster or slower than the district's usual",
    ),
}


class Finding(msgspec.Struct, frozen=True, kw_only=True):
    kind: FindingKind
    title_zh: str
    title_en: str
    subject_type: str
    subject_id: str
    link: str
    evidence: dict[str, Any]


def finding(kind: FindingKind, subject_type: str, subject_id: object, link: str, **evidence: Any) -> Finding:
    zh, en = TITLES[kind]
    return Finding(
        kind=kind,
        title_zh=zh,
        title_en=en,
        subject_type=subject_type,
        subject_id=str(subject_id),
        link=link,
        evidence=evidence,
    )


def claim_link(claim_id: object) -> str:
    return f"/reports/claims/{claim_id}/trail"
