"""The four full listings (claims, payouts, rebate entries, village spending): their columns, their
filters, and the rows read in keyset chunks.

Each chunk is read in its own short session (outside SQLite's write lock, core.database.reading) and
its connection given back before the next, so a slow download never holds one of the pool's few
connections (SQLite's one) while the client reads. The listing is therefore not one snapshot: a row
written during a long export may or may not be in it. Rows follow the keyset (claim number, else id).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from claims.models import Claim
from core import scope
from core.auth import Principal
from core.database import reading
from core.documents.formatting import local_date, local_time
from core.documents.templating import PERIL_ZH
from core.privacy import mask_phone, mask_resident_id
from payouts.models import Payout
from payouts.rebates.domain import CATEGORY_NAMES_ZH, ExpenditureCategory
from payouts.rebates.models import RebateEntry, RebatePeriod, SecurityExpenditure
from reports.findings.services import account_shown
from reports.findings.services.claims import visible
from reports.findings.window import Window

CHUNK = 2000
KIND_ZH = {"accrual": "计提", "approval": "审批", "disbursement": "拨付", "advance": "预赔", "final": "赔款"}


def yuan(fen: int | None) -> Decimal | None:
    """Integer fen as an exact decimal of yuan (CSV writes 12.34, XLSX a number Excel can add up)."""
    return None if fen is None else Decimal(fen).scaleb(-2)


@dataclass(frozen=True)
class Listing:
    name: str
    headers: Sequence[str]
    query: Any  # a Select of every column a row needs, filtered; the keyset is added per chunk
    key: Any
    row: Callable[[Any], list[Any]]


def claims_listing(principal: Principal, window: Window, *, peril: str | None, status: str | None) -> Listing:
    """Claims reported in the period."""
    account = account_shown(principal)
    filters: list[ColumnElement[bool]] = [
        visible(principal, window.region_code),
        Claim.reported_at >= window.start,
        Claim.reported_at < window.end,
    ]
    if peril:
        filters.append(Claim.peril == peril)
    if status:
        filters.append(Claim.status == status)
    return Listing(
        "claims",
        [
            "案件号 Claim number", "状态 Status", "险种 Peril", "村（社区）Village",
            "出险日期 Loss date", "报案时间 Reported", "报案人 Claimant", "身份证号 Resident ID",
            "电话 Phone",
            "收款人 Payee", "收款账户 Account", "估损（元）Estimate (yuan)", "可赔上限（元）Cap (yuan)",
            "已赔付（元）Paid (yuan)", "赔付时间 Paid at",
        ],
        select(Claim).where(*filters),
        Claim.number,
        lambda c: [
            c.number, c.status, PERIL_ZH.get(c.peril, c.peril), c.village_code, local_date(c.loss_on),
            local_time(c.reported_at), c.claimant_name, mask_resident_id(c.claimant_resident_id),
            mask_phone(c.claimant_phone), c.payee_name or "",
            account(c.payee_account) if c.payee_account else "", yuan(c.estimated_loss_fen),
            yuan(c.payable_cap_fen), yuan(c.paid_fen), local_time(c.paid_at),
        ],
    )  # fmt: skip


def payouts_listing(principal: Principal, window: Window, *, status: str | None) -> Listing:
    """Payouts requested or paid in the period, of claims the caller may see."""
    account = account_shown(principal)
    filters: list[ColumnElement[bool]] = [
        Payout.region_code.startswith(window.region_code, autoescape=True),
        visible(principal, window.region_code),
        or_(
            and_(Payout.created_at >= window.start, Payout.created_at < window.end),
            and_(Payout.paid_at >= window.start, Payout.paid_at < window.end),
        ),
    ]
    if status:
        filters.append(Payout.status == status)
    return Listing(
        "payouts",
        [
            "案件号 Claim number", "类别 Kind", "金额（元）Amount (yuan)", "村（社区）Village",
            "收款人 Payee", "开户行 Bank", "收款账户 Account", "状态 Status", "银行流水号 Bank reference",
            "申请时间 Requested", "批准时间 Approved", "支付时间 Paid at",
        ],
        select(Payout, Claim.number).join(Claim, Claim.id == Payout.claim_id).where(*filters),
        Payout.id,
        lambda r: [
            r[1], KIND_ZH.get(r[0].kind, r[0].kind), yuan(r[0].amount_fen), r[0].region_code, r[0].payee_name,
            r[0].payee_bank_name or "", account(r[0].payee_account), r[0].status, r[0].bank_reference or "",
            local_time(r[0].created_at), local_time(r[0].approved_at), local_time(r[0].paid_at),
        ],
    )  # fmt: skip


def rebate_entries_listing(principal: Principal, window: Window) -> Listing:
    """Ledger entries posted in the period for villages of the region."""
    return Listing(
        "rebate-entries",
        [
            "村（社区）Village", "期间起 Period from", "期间止 Period to", "类别 Kind",
            "金额（元）Amount (yuan)", "冲正 Reverses", "银行流水号 Reference", "经办人 Actor",
            "原因 Reason", "记账时间 Posted",
        ],
        select(RebateEntry, RebatePeriod.starts_on, RebatePeriod.ends_on)
        .join(RebatePeriod, RebatePeriod.id == RebateEntry.period_id)
        .where(
            RebateEntry.village_code.startswith(window.region_code, autoescape=True),
            scope.region_clause(principal, RebateEntry.village_code),
            RebateEntry.created_at >= window.start,
            RebateEntry.created_at < window.end,
        ),
        RebateEntry.id,
        lambda r: [
            r[0].village_code, local_date(r[1]), local_date(r[2]), KIND_ZH.get(r[0].kind, r[0].kind),
            yuan(r[0].amount_fen), str(r[0].reverses_id or ""), r[0].reference or "", r[0].actor,
            r[0].reason or "", local_time(r[0].created_at),
        ],
    )  # fmt: skip


def expenditures_listing(principal: Principal, window: Window) -> Listing:
    """Village security spending dated in the period."""
    return Listing(
        "expenditures",
        [
            "村（社区）Village", "类别 Category", "金额（元）Amount (yuan)", "支出日期 Spent on",
            "说明 Description", "票据 Receipt", "票据 SHA-256", "登记人 Recorded by",
        ],
        select(SecurityExpenditure).where(
            SecurityExpenditure.village_code.startswith(window.region_code, autoescape=True),
            scope.region_clause(principal, SecurityExpenditure.village_code),
            SecurityExpenditure.spent_on >= window.from_on,
            SecurityExpenditure.spent_on <= window.to_on,
        ),
        SecurityExpenditure.id,
        lambda e: [
            e.village_code, CATEGORY_NAMES_ZH.get(ExpenditureCategory(e.category), e.category),
            yuan(e.amount_fen), local_date(e.spent_on), e.description, e.receipt_name, e.receipt_sha256,
            e.recorded_by,
        ],
    )  # fmt: skip


def _key_of(listing: Listing, row: Any) -> Any:
    entity = row[0]
    return getattr(entity, listing.key.key)


async def chunks(
    sessionmaker: async_sessionmaker[AsyncSession], listing: Listing
) -> AsyncIterator[list[list[Any]]]:
    """The listing's rows as cells, CHUNK rows at a time, each chunk in its own short session."""
    last: Any = None
    while True:
        query = listing.query.order_by(listing.key).limit(CHUNK)
        if last is not None:
            query = query.where(and_(listing.key > last))
        async with sessionmaker() as session, reading(session):
            rows = (await session.execute(query)).all()
        if not rows:
            return
        last = _key_of(listing, rows[-1])
        yield [listing.row(row[0] if len(row) == 1 else row) for row in rows]
        if len(rows) < CHUNK:
            return
