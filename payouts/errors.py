"""What can go wrong approving, batching and paying claims, each with a code and zh-CN/English text."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound


class PayoutNotFound(NotFound):
    code = "payout_not_found"
    message_zh = "找不到该赔款"
    message_en = "Payout not found"


class BatchNotFound(NotFound):
    code = "payment_batch_not_found"
    message_zh = "找不到该付款批次"
    message_en = "Payment batch not found"


class NotPaidYet(Conflict):
    code = "payout_not_paid_yet"
    message_zh = "赔款尚未到账，暂无赔款通知书"
    message_en = "Nothing has been paid yet: there is no payout notice"


class ClaimNotAssessed(Conflict):
    code = "claim_not_assessed"
    message_zh = "案件尚未定损，不能核准赔付"
    message_en = "Only an assessed claim can be approved"


class AssessmentMissing(Conflict):
    code = "assessment_missing"
    message_zh = "案件没有定损记录"
    message_en = "The claim has no assessment"


class AlreadyApproved(Conflict):
    code = "payout_already_requested"
    message_zh = "该案件的赔款已提交核准，请勿重复操作"
    message_en = "A payout for this claim has already been approved or requested"


class AdvanceInFlight(Conflict):
    code = "advance_in_flight"
    message_zh = "预赔款尚未到账，到账后才能核准最终赔款"
    message_en = "The advance is not paid yet: approve the final payout once it is"


class PayeeMissing(InvalidInput):
    code = "payee_missing"
    message_zh = "案件没有收款人或收款账号，请先补充"
    message_en = "The claim has no payee name or account: add them first"


class PayoutTransitionNotAllowed(Conflict):
    code = "payout_transition_not_allowed"
    message_zh = "赔款当前状态不允许此操作"
    message_en = "The payout's current status does not allow this"


class ApproverIsAssessor(NotAllowed):
    code = "approver_is_assessor"
    message_zh = "定损人员不能核准自己定损的案件"
    message_en = "You assessed this claim: another officer must approve it"


class ApproverIsMaker(NotAllowed):
    code = "approver_is_maker"
    message_zh = "第二次核准须由另一名理赔人员进行"
    message_en = "The second approval must come from another officer"


class CheckerLimitTooLow(NotAllowed):
    code = "checker_limit_too_low"
    message_zh = "赔款金额超出您的核准权限，须由权限足够的理赔人员核准"
    message_en = "The amount is above your approval limit: an officer with authority for it must approve"


class ClaimNotPayable(Conflict):
    code = "claim_not_payable"
    message_zh = "案件已撤案、拒赔或结案，不能再付款"
    message_en = "The claim is withdrawn, rejected or closed: nothing more can be paid for it"


class AdvanceNotAllowed(Conflict):
    code = "advance_not_allowed"
    message_zh = "该案件不能预赔（仅限查勘前的巨灾案件，且方案允许预赔）"
    message_en = (
        "No advance for this claim: only catastrophe claims before their visit, where the program allows"
    )


class AdvanceTooLarge(InvalidInput):
    code = "advance_too_large"
    message_zh = "预赔金额超出方案允许的比例"
    message_en = "The advance is more than the program allows"


class AdvanceAmountOrShare(InvalidInput):
    code = "advance_amount_or_share"
    message_zh = "请填写预赔金额或比例中的一项"
    message_en = "Give either an amount or a share, not both"


class NothingToBatch(Conflict):
    code = "nothing_to_batch"
    message_zh = "没有待付款的已核准赔款"
    message_en = "No approved payouts are waiting for a batch"


class BatchNotExported(Conflict):
    code = "batch_not_exported"
    message_zh = "付款批次尚未导出，请先导出再下载银行文件"
    message_en = "The batch is not exported yet: export it, then download its bank file"


class ResultFileUnreadable(InvalidInput):
    code = "result_file_unreadable"
    message_zh = "无法读取银行回单文件（应为 UTF-8 或 GBK 编码的 CSV，含表头）"
    message_en = "The bank result file cannot be read (a CSV in UTF-8 or GBK with a header row)"
