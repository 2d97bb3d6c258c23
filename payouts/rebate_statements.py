"""Rebate statements: one village and period (JSON, CSV, one-page PDF), and a district's villages."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Principal
from core.clock import utcnow
from core.documents.formatting import yuan
from core.documents.pdf import render_pdf_async
from core.views import from_row
from payouts.domain import CATEGORY_NAMES_ZH, EntryKind, ExpenditureCategory
from payouts.errors import OutsideYourRegion, VillageNotFound
from payouts.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from payouts.rebate_agreements import get_agreement, get_period_over, require_region
from payouts.rebate_ledger import fund_balance, list_entries, stages, unreversed
from payouts.schemas import RebateEntry as EntryView
from payouts.schemas import SecurityExpenditure as ExpenditureView
from payouts.schemas import VillageFund, VillageStatement
from payouts.security_funds import list_expenditures
from policies.domain import Funding
from policies.models import Program, Region

# What fits on one A4 page under the summary; the CSV always carries every line.
PDF_ENTRY_ROWS = 14


def entry_view(entry: RebateEntry) -> EntryView:
    return from_row(entry, EntryView, posted_at=entry.created_at)


def expenditure_view(row: SecurityExpenditure) -> ExpenditureView:
    return from_row(row, ExpenditureView, recorded_at=row.created_at)


def share_text(agreement: RebateAgreement) -> str:
    if agreement.share_bps is not None:
        whole, hundredths = divmod(agreement.share_bps, 100)
        return f"保费的 {whole}.{hundredths:02d}%"
    return f"每户 {yuan(agreement.per_household_fen)} 元"


async def village_statement(
    session: AsyncSession, principal: Principal, period_id: UUID, village_code: str
) -> VillageStatement:
    require_region(principal, village_code)
    period = await get_period_over(session, period_id, village_code)
    agreement = await get_agreement(session, period.agreement_id)
    program = await session.get_one(Program, agreement.program_id)
    village = await session.get(Region, village_code)
    if village is None or village.level != "village":
        raise VillageNotFound(village_code)
    held = await stages(session, period.id, village_code)
    standing = await session.scalar(
        unreversed(period.id, EntryKind.ACCRUAL).where(RebateEntry.village_code == village_code)
    )
    spent = await list_expenditures(
        session, village_code, spent_from=period.starts_on, spent_before=period.ends_on
    )
    return VillageStatement(
        village_code=village_code,
        village_name=village.name,
        program_name=program.name,
        insurer=program.insurer,
        share=share_text(agreement),
        period_start=period.starts_on,
        period_end=period.ends_on,
        basis=standing.basis if standing else None,
        basis_is_households=program.funding == Funding.DISTRICT or agreement.per_household_fen is not None,
        accrued_fen=held.accrued_fen,
        approved_fen=held.approved_fen,
        disbursed_fen=held.disbursed_fen,
        spent_in_period_fen=sum(row.amount_fen for row in spent),
        balance_fen=await fund_balance(session, village_code),
        entries=[
            entry_view(e)
            for e in await list_entries(session, principal, period_id=period.id, village_code=village_code)
        ],
        expenditures=[expenditure_view(row) for row in spent],
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
    return await render_pdf_async("reports/rebate_statement.html", context)


async def _sums_by_village(
    session: AsyncSession, region_code: str, period: RebatePeriod | None
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], dict[str, int]]:
    """(village, kind) → ledger sum in the period; spent in it; disbursed and spent ever."""
    in_region: ColumnElement[bool] = RebateEntry.village_code.startswith(region_code)
    movements = select(RebateEntry.village_code, RebateEntry.kind, func.sum(RebateEntry.amount_fen))
    movements = movements.where(in_region)
    spending = select(SecurityExpenditure.village_code, func.sum(SecurityExpenditure.amount_fen)).where(
        SecurityExpenditure.village_code.startswith(region_code)
    )
    all_spending = spending
    if period is not None:
        movements = movements.where(RebateEntry.period_id == period.id)
        spending = spending.where(
            SecurityExpenditure.spent_on >= period.starts_on, SecurityExpenditure.spent_on < period.ends_on
        )
    ever_paid = (
        select(RebateEntry.village_code, func.sum(RebateEntry.amount_fen))
        .where(in_region, RebateEntry.kind == EntryKind.DISBURSEMENT.value)
        .group_by(RebateEntry.village_code)
    )
    by_kind = {
        (v, k): int(total)
        for v, k, total in await session.execute(
            movements.group_by(RebateEntry.village_code, RebateEntry.kind)
        )
    }

    async def totals(query: Any) -> dict[str, int]:
        return {v: int(total) for v, total in await session.execute(query)}

    by_village = SecurityExpenditure.village_code
    return (
        by_kind,
        await totals(spending.group_by(by_village)),
        await totals(ever_paid),
        await totals(all_spending.group_by(by_village)),
    )


async def region_funds(
    session: AsyncSession, principal: Principal, region_code: str, period_id: UUID | None
) -> list[VillageFund]:
    """Every village in a region (a district, town or one village) that the caller may see.

    With a period, accrued to spent are the movements within it; the balance is always today's.
    """
    if not (principal.covers(region_code) or any(s.startswith(region_code) for s in principal.regions)):
        raise OutsideYourRegion(region_code)
    period = await get_period_over(session, period_id, region_code) if period_id else None
    villages = await session.execute(
        select(Region.code, Region.name)
        .where(
            Region.level == "village",
            Region.code.startswith(region_code),
            principal.region_clause(Region.code),
        )
        .order_by(Region.code)
    )
    by_kind, spent, ever_paid, ever_spent = await _sums_by_village(session, region_code, period)
    return [
        VillageFund(
            village_code=code,
            village_name=name,
            accrued_fen=by_kind.get((code, EntryKind.ACCRUAL.value), 0),
            approved_fen=by_kind.get((code, EntryKind.APPROVAL.value), 0),
            disbursed_fen=by_kind.get((code, EntryKind.DISBURSEMENT.value), 0),
            spent_fen=spent.get(code, 0),
            balance_fen=ever_paid.get(code, 0) - ever_spent.get(code, 0),
        )
        for code, name in villages.all()
    ]
