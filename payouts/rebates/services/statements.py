"""Rebate statements: one village and one period, as JSON, CSV and a one-page PDF."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.clock import utcnow
from core.documents.formatting import yuan
from core.documents.pdf import render_pdf_async
from payouts.rebates.domain import CATEGORY_NAMES_ZH, EntryKind, ExpenditureCategory
from payouts.rebates.models import RebateAgreement, RebateEntry
from payouts.rebates.schemas import VillageStatement
from payouts.rebates.services.agreements import get_agreement, get_period_over
from payouts.rebates.services.funds import get_visible_village, list_expenditures
from payouts.rebates.services.ledger import EntryService, fund_balance, list_entries, stages, standing
from policies.domain import Funding
from policies.models import Program

# What fits on one A4 page under the summary; the CSV always carries every line.
PDF_ENTRY_ROWS = 14


def share_text(agreement: RebateAgreement) -> str:
    if agreement.share_bps is not None:
        whole, hundredths = divmod(agreement.share_bps, 100)
        return f"保费的 {whole}.{hundredths:02d}%"
    return f"每户 {yuan(agreement.per_household_fen)} 元"


async def village_statement(
    session: AsyncSession, *, principal: Principal, period_id: UUID, village_code: str
) -> VillageStatement:
    village = await get_visible_village(session, principal=principal, village_code=village_code)
    period = await get_period_over(session, period_id, village_code)
    agreement = await get_agreement(session, period.agreement_id)
    program = await session.get_one(Program, agreement.program_id)
    held = await stages(session, period.id, village_code)
    accruals = await EntryService(session=session).get_many(
        *standing(period.id, EntryKind.ACCRUAL), RebateEntry.village_code == village_code
    )
    accrual = accruals[0] if accruals else None
    spent = await list_expenditures(
        session,
        principal=principal,
        village_code=village_code,
        spent_from=period.starts_on,
        spent_before=period.ends_on,
    )
    return VillageStatement(
        village_code=village_code,
        village_name=village.name,
        program_name=program.name,
        insurer=program.insurer,
        share=share_text(agreement),
        period_start=period.starts_on,
        period_end=period.ends_on,
        basis=accrual.basis if accrual else None,
        basis_is_households=program.funding == Funding.DISTRICT or agreement.per_household_fen is not None,
        accrued_fen=held.accrued_fen,
        approved_fen=held.approved_fen,
        disbursed_fen=held.disbursed_fen,
        spent_in_period_fen=sum(row.amount_fen for row in spent),
        balance_fen=await fund_balance(session, village_code),
        entries=await list_entries(
            session, principal=principal, period_id=period.id, village_code=village_code
        ),
        expenditures=spent,
    )


KIND_ZH = {EntryKind.ACCRUAL: "计提", EntryKind.APPROVAL: "审批", EntryKind.DISBURSEMENT: "拨付"}


def _plain_yuan(fen: int | None) -> str:
    """Yuan without thousands separators, so that Excel reads the cell as a number."""
    return yuan(fen).replace(",", "")


def statement_csv(statement: VillageStatement) -> bytes:
    """The statement as CSV, UTF-8 with a byte-order mark: Excel on Windows then reads the Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["村（社区）", statement.village_name, statement.village_code])
    writer.writerow(["保险方案", statement.program_name, statement.insurer])
    writer.writerow(["返还标准", statement.share])
    writer.writerow(["期间", statement.period_start.isoformat(), statement.period_end.isoformat()])
    for label, fen in (
        ("计提（元）", statement.accrued_fen),
        ("已审批（元）", statement.approved_fen),
        ("已拨付（元）", statement.disbursed_fen),
        ("本期支出（元）", statement.spent_in_period_fen),
        ("资金余额（元）", statement.balance_fen),
    ):
        writer.writerow([label, _plain_yuan(fen)])
    writer.writerow([])
    writer.writerow(["记账时间", "类别", "金额（元）", "冲销记录", "经办人", "说明"])
    for entry in statement.entries:
        reversal = str(entry.reverses_id) if entry.reverses_id else ""
        when = entry.posted_at.isoformat()
        writer.writerow(
            [when, KIND_ZH[entry.kind], _plain_yuan(entry.amount_fen), reversal, entry.actor, entry.reason]
        )
    writer.writerow([])
    writer.writerow(["支出日期", "支出类别", "金额（元）", "说明", "票据 SHA-256"])
    for row in statement.expenditures:
        category = CATEGORY_NAMES_ZH[row.category]
        amount = _plain_yuan(row.amount_fen)
        writer.writerow([row.spent_on.isoformat(), category, amount, row.description, row.receipt_sha256])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


async def statement_pdf(statement: VillageStatement) -> bytes:
    by_category: dict[ExpenditureCategory, int] = defaultdict(int)
    for row in statement.expenditures:
        by_category[row.category] += row.amount_fen
    context: dict[str, Any] = {
        "s": statement,
        "kind_zh": {kind.value: name for kind, name in KIND_ZH.items()},
        "entries": statement.entries[:PDF_ENTRY_ROWS],
        "more_entries": max(0, len(statement.entries) - PDF_ENTRY_ROWS),
        "categories": [(CATEGORY_NAMES_ZH[c], by_category[c]) for c in ExpenditureCategory],
        "printed_at": utcnow(),
    }
    return await render_pdf_async("payouts.rebates/rebate_statement.html", context)
