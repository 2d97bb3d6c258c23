"""What can go wrong with a claim, each with a code and a zh-CN and English message."""

from __future__ import annotations

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound


class ClaimNotFound(NotFound):
    code = "claim_not_found"
    message_zh = "找不到该理赔案件"
    message_en = "Claim not found"


class CatastropheNotFound(NotFound):
    code = "catastrophe_not_found"
    message_zh = "找不到该灾害事件"
    message_en = "Catastrophe not found"


class DocumentNotFound(NotFound):
    code = "document_not_found"
    message_zh = "找不到该材料"
    message_en = "Document not found"


class PolicyNotActive(InvalidInput):
    code = "policy_not_active"
    message_zh = "出险时该户没有有效保单"
    message_en = "The household had no active policy on the loss date"


class PerilNotCovered(InvalidInput):
    code = "peril_not_covered"
    message_zh = "该户的保单不承保此类风险"
    message_en = "The household's policies do not cover this peril"


class LossInFuture(InvalidInput):
    code = "loss_in_future"
    message_zh = "出险时间不能晚于当前时间"
    message_en = "The loss cannot be in the future"


class LossTimeImplausible(InvalidInput):
    code = "loss_time_implausible"
    message_zh = "出险时间不合理"
    message_en = "The loss time is implausible"


class OutsideReportingWindow(InvalidInput):
    code = "outside_reporting_window"
    message_zh = "已超过报案期限"
    message_en = "The loss was reported after the program's reporting window"


class EvidenceMissing(InvalidInput):
    code = "evidence_missing"
    message_zh = "缺少必要的证明：盗窃、抢劫须提供报警回执号；火灾须提供火灾证明或由村联络员报案"
    message_en = (
        "Evidence missing: theft and robbery need a police report number; "
        "fire needs a fire certificate or a liaison's filing"
    )


class EstimateOverCap(InvalidInput):
    code = "estimate_over_cap"
    message_zh = "估计损失超过保单可赔付的上限"
    message_en = "The estimated loss exceeds what the policies can pay"


class ClaimantNotMember(InvalidInput):
    code = "claimant_not_member"
    message_zh = "报案人不是该户成员"
    message_en = "The claimant is not a member of the household"


class ReasonRequired(InvalidInput):
    code = "reason_required"
    message_zh = "请填写原因"
    message_en = "A reason is required"


class InvalidCatastrophe(InvalidInput):
    code = "invalid_catastrophe"
    message_zh = "灾害事件信息有误"
    message_en = "The catastrophe declaration is invalid"


class UnsupportedFile(InvalidInput):
    code = "unsupported_file"
    message_zh = "只接受 JPEG、PNG、WebP、HEIC 照片或 PDF 文件"
    message_en = "Only JPEG, PNG, WebP or HEIC photos and PDF files are accepted"


class FileTypeMismatch(InvalidInput):
    code = "file_type_mismatch"
    message_zh = "文件内容与其名称或类型不符"
    message_en = "The file's content does not match its name or declared type"


class FileTooLarge(InvalidInput):
    code = "file_too_large"
    message_zh = "文件过大"
    message_en = "The file is too large"


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"
    message_zh = "案件当前状态不允许此操作"
    message_en = "The claim's current status does not allow this"


class NotYourHousehold(NotAllowed):
    code = "not_your_household"
    message_zh = "只能为本户报案"
    message_en = "You may only file claims for your own household"


class PayoutInFlight(Conflict):
    code = "payout_in_flight"
    message_zh = "该案件有赔款正在支付中，不能撤案或拒赔"
    message_en = "Money for this claim is on its way: it cannot be withdrawn or rejected"
