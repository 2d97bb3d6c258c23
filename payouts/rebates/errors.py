"""What can go wrong with rebates and village security funds, each with a code and zh-CN/English text."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound


class AgreementNotFound(NotFound):
    code = "rebate_agreement_not_found"
    message_zh = "找不到该返还协议"
    message_en = "Rebate agreement not found"


class PeriodNotFound(NotFound):
    code = "rebate_period_not_found"
    message_zh = "该期间尚未计提"
    message_en = "This rebate period has not been accrued"


class EntryNotFound(NotFound):
    code = "rebate_entry_not_found"
    message_zh = "找不到该台账记录"
    message_en = "Rebate ledger entry not found"


class ExpenditureNotFound(NotFound):
    code = "security_expenditure_not_found"
    message_zh = "找不到该支出记录"
    message_en = "Security expenditure not found"


class VillageNotFound(NotFound):
    code = "village_not_found"
    message_zh = "找不到该村或社区"
    message_en = "Village not found"


class OverlappingAgreement(Conflict):
    code = "rebate_agreement_overlaps"
    message_zh = "该项目在此期间已有返还协议"
    message_en = "The program already has a rebate agreement overlapping these dates"


class InvalidShare(InvalidInput):
    code = "invalid_rebate_share"
    message_zh = "返还比例须在 0 至 100% 之间，或为每户固定金额（二者择一）"
    message_en = "The share must be 0–100 % of premiums or a fixed amount per household, not both"


class InvalidAgreementDates(InvalidInput):
    code = "invalid_agreement_dates"
    message_zh = "协议须从某月 1 日开始，并覆盖整数个年度或季度"
    message_en = "An agreement starts on the 1st of a month and spans whole years or quarters"


class NotAPeriodStart(InvalidInput):
    code = "not_a_rebate_period"
    message_zh = "该日期不是协议中某一期间的开始日"
    message_en = "This date does not start one of the agreement's periods"


class PeriodNotClosed(Conflict):
    code = "rebate_period_not_closed"
    message_zh = "期间尚未结束，不能计提"
    message_en = "The period has not ended yet and cannot be accrued"


class ExceedsAccrued(Conflict):
    code = "approval_exceeds_accrued"
    message_zh = "审批金额超过尚未审批的计提金额"
    message_en = "The approval exceeds what is accrued and not yet approved"


class ExceedsApproved(Conflict):
    code = "disbursement_exceeds_approved"
    message_zh = "拨付金额超过尚未拨付的审批金额"
    message_en = "The disbursement exceeds what is approved and not yet disbursed"


class ExceedsBalance(Conflict):
    code = "spending_exceeds_balance"
    message_zh = "支出金额超过村治安资金余额"
    message_en = "The spending exceeds the village security fund balance"


class ReversalBreaksLedger(Conflict):
    code = "reversal_not_possible"
    message_zh = "冲销后台账将不平衡（后续环节已使用该金额）"
    message_en = "Reversing this entry would leave a later stage above it (already approved, paid or spent)"


class AccrualBelowApproved(Conflict):
    code = "accrual_below_approved"
    message_zh = "重新计提后将低于已审批金额，请先冲销相关审批"
    message_en = "Recomputed, the accrual would fall below what is already approved; reverse approvals first"


class AccrualReversedByRecompute(Conflict):
    code = "accrual_corrected_by_recompute"
    message_zh = "计提记录不能手工冲销，请重新计提该期间"
    message_en = "Accruals are corrected by running the accrual for the period again, not by hand"


class AlreadyReversed(Conflict):
    code = "rebate_entry_already_reversed"
    message_zh = "该记录已被冲销"
    message_en = "This entry has already been reversed"


class NotTheApprover(NotAllowed):
    code = "not_the_rebate_approver"
    message_zh = "该协议指定了其他审批角色"
    message_en = "This agreement names another role as its approver"


class InvalidSpendingDate(InvalidInput):
    code = "invalid_spending_date"
    message_zh = "支出日期超出合理范围（不能晚于今天）"
    message_en = "The spending date is outside its plausible range (it cannot be after today)"


class ReceiptNotImageOrPdf(InvalidInput):
    code = "receipt_not_image_or_pdf"
    message_zh = "票据须为图片（JPEG、PNG、WebP）或 PDF 文件"
    message_en = "The receipt must be an image (JPEG, PNG, WebP) or a PDF"


class AgreementBeforeProgram(InvalidInput):
    code = "agreement_before_program"
    message_zh = "协议不能早于保险方案开始的月份"
    message_en = "An agreement cannot start before the month its program starts"
