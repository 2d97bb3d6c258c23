"""Pure rules of the premium collection import: which payment rows are good, and what each one does.

No session, no web. `plan_payments` weighs the file against what the register already holds (loaded
once by premium_services) and decides, row by row and in file order:

- the household (by 户编号, else by the head's resident ID), which must lie in the caller's villages;
- the program, which must be voluntary (a blanket program is paid by its district as one lump sum),
  sold where the household lives, and open on the day paid (not before it started, not in the future);
- the receipt: one already recorded for the same household and amount is the same payment again
  (skipped, so re-importing a file changes nothing); for another household, or repeated within the
  file, it is a bad row;
- the term paid for: the household's idle term of the program still running on the day paid (a new
  enrolment, or a renewal awaiting its premium); else a new idle term starting that day, as
  `POST /policies` issues one, unless another term already covers it;
- the amount, which must be exactly what the household's share of the term still owes (the whole
  premium, unless the program is co-funded: policies.premium_shares.split_premium): no partial payments. A
  term with every share paid becomes active, as a single payment does (policies.domain.activate); a
  per-resident program is not imported (its price depends on the household's people).

Each bad row gets one error, its first problem; the good rows go in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from uuid import UUID

from core.clock import add_months
from policies.domain import MAX_HOUSEHOLD_PREMIUM_FEN, Funding, PaymentChannel, PolicyStatus, activate
from policies.imports.premium_files import PaymentRow
from policies.imports.premium_messages import row_error
from policies.imports.rules import RowError
from policies.premium_shares import WHOLE_BPS, PremiumBasis, Share, split_premium

CHANNELS: dict[str, PaymentChannel] = {
    "现金": PaymentChannel.CASH,
    "银行": PaymentChannel.BANK,
    "移动支付": PaymentChannel.MOBILE,
    "微信": PaymentChannel.WECHAT,
    "支付宝": PaymentChannel.ALIPAY,
} | {channel.value: channel for channel in PaymentChannel if channel is not PaymentChannel.DISTRICT_FINANCE}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d")
REQUIRED = ("program", "amount", "paid_on", "channel", "receipt_no", "collector")
# The column sizes of policies.models.PremiumPayment.
MAX_LENGTH = {"receipt_no": 60, "collector": 100}


class Refused(Exception):
    """A row's first problem; caught by plan_payments and turned into the row's RowError."""

    def __init__(self, column: str | None, code: str, *args: object) -> None:
        super().__init__(code)
        self.column, self.code, self.args_ = column, code, args


@dataclass(frozen=True, slots=True)
class KnownHousehold:
    id: UUID
    village_code: str
    head_name: str


@dataclass(frozen=True, slots=True)
class ProgramSale:
    id: UUID
    code: str
    funding: str
    region_code: str
    premium_fen: int
    term_months: int
    starts_on: date
    premium_basis: str = "household"
    household_share_bps: int = 10_000
    district_share_bps: int = 0
    township_share_bps: int = 0

    @property
    def co_funded(self) -> bool:
        return self.household_share_bps != WHOLE_BPS

    def household_owes(self, due_fen: int) -> int:
        """The household's share of a term's premium."""
        if not self.co_funded:
            return due_fen
        shares = {
            Share.HOUSEHOLD: self.household_share_bps,
            Share.DISTRICT: self.district_share_bps,
            Share.TOWNSHIP: self.township_share_bps,
        }
        return split_premium(due_fen, shares)[Share.HOUSEHOLD]


@dataclass(slots=True, eq=False)  # identity: two new terms with the same fields are still two
class Term:
    """A policy term of one household in one program: in the register already, or new from this file."""

    household: KnownHousehold
    program: ProgramSale
    starts_on: date
    ends_on: date
    status: PolicyStatus
    premium_due_fen: int
    premium_paid_fen: int
    id: UUID | None = None  # None: a new term, written by premium_writer
    household_paid_fen: int = 0  # of premium_paid_fen, what the household paid (the rest: government)
    number: str | None = None

    @property
    def label(self) -> str:
        return self.number or f"{self.program.code} {self.starts_on}"


@dataclass(frozen=True, slots=True)
class Receipt:
    household_id: UUID
    amount_fen: int


@dataclass(frozen=True, slots=True)
class PaymentDraft:
    line: int
    term: Term
    amount_fen: int
    channel: PaymentChannel
    receipt_no: str
    collector: str
    paid_on: date


@dataclass(slots=True)
class PremiumPlan:
    new_terms: list[Term] = field(default_factory=list)
    paid_terms: dict[UUID, Term] = field(default_factory=dict)  # terms in the register that take money
    payments: list[PaymentDraft] = field(default_factory=list)
    already_recorded: int = 0
    errors: list[RowError] = field(default_factory=list)
    villages: set[str] = field(default_factory=set)


@lru_cache(maxsize=4096)  # a city's list repeats one or two amounts
def parse_yuan(value: str, ceiling: int = MAX_HOUSEHOLD_PREMIUM_FEN) -> int:
    """Yuan as written on a collection list ("200", "200.5", "200.00") to fen; no floats on the way."""
    try:
        amount = Decimal(value.replace(",", "").removeprefix("¥").strip())
    except InvalidOperation:
        raise ValueError(value) from None
    fen = amount * 100
    if not amount.is_finite() or fen != fen.to_integral_value() or not 0 < fen <= ceiling:
        raise ValueError(value)
    return int(fen)


@lru_cache(maxsize=4096)  # a collection list has few distinct dates and many rows
def parse_day(value: str) -> date:
    """A date as clerks type it; a spreadsheet's date cell reads as "2026-03-05 00:00:00"."""
    text = value.strip().split(" ")[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def plan_payments(
    rows: list[PaymentRow],
    *,
    households_by_no: Mapping[str, KnownHousehold],
    households_by_head: Mapping[str, KnownHousehold],
    programs: Mapping[str, ProgramSale],
    terms: Mapping[tuple[UUID, UUID], list[Term]],
    receipts: Mapping[tuple[str, str], Receipt],
    in_scope: Callable[[str], bool],
    today: date,
) -> PremiumPlan:
    """What each row does, in file order; `terms` gains the file's new terms as they are planned."""
    plan = PremiumPlan()
    open_terms = {key: list(value) for key, value in terms.items()}
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        try:
            draft = _check(row, households_by_no, households_by_head, programs, in_scope, today)
            if draft is None:
                continue
            household, program, amount_fen, channel, paid_on = draft
            key = (channel.value, row.receipt_no)
            recorded = receipts.get(key)
            if recorded is not None:
                if recorded.household_id == household.id and recorded.amount_fen == amount_fen:
                    plan.already_recorded += 1
                    continue
                raise Refused("receipt_no", "receipt_used", row.receipt_no)
            if key in seen:
                raise Refused("receipt_no", "duplicate_receipt", seen[key])
            held = open_terms.setdefault((household.id, program.id), [])
            term = _term_for(held, household, program, paid_on)
            owed = program.household_owes(term.premium_due_fen) - term.household_paid_fen
            if amount_fen != owed:
                raise Refused("amount", "wrong_amount", f"{Decimal(owed) / 100:.2f}")
        except Refused as refusal:
            plan.errors.append(row_error(row.line, refusal.column, refusal.code, *refusal.args_))
            continue
        seen[key] = row.line
        if term.id is None and term not in held:
            held.append(term)
            plan.new_terms.append(term)
        elif term.id is not None:
            plan.paid_terms[term.id] = term
        term.premium_paid_fen += amount_fen
        term.household_paid_fen += amount_fen
        if term.premium_paid_fen == term.premium_due_fen:
            term.status = activate(
                term.status, premium_due_fen=term.premium_due_fen, premium_paid_fen=term.premium_paid_fen
            )
        plan.villages.add(household.village_code)
        plan.payments.append(
            PaymentDraft(row.line, term, amount_fen, channel, row.receipt_no, row.collector, paid_on)
        )
    return plan


def _check(
    row: PaymentRow,
    households_by_no: Mapping[str, KnownHousehold],
    households_by_head: Mapping[str, KnownHousehold],
    programs: Mapping[str, ProgramSale],
    in_scope: Callable[[str], bool],
    today: date,
) -> tuple[KnownHousehold, ProgramSale, int, PaymentChannel, date] | None:
    """The row's own fields, its household and its program; raises Refused on the first problem."""
    for column in REQUIRED:
        if not getattr(row, column):
            raise Refused(column, "missing_field", column)
    if not (row.household_no or row.resident_id):
        raise Refused("household_no", "missing_field", "household_no / resident_id")
    for column, limit in MAX_LENGTH.items():
        if len(getattr(row, column)) > limit:
            raise Refused(column, "too_long", column)
    try:
        amount_fen = parse_yuan(row.amount)
    except ValueError:
        raise Refused("amount", "invalid_amount", row.amount) from None
    try:
        paid_on = parse_day(row.paid_on)
    except ValueError:
        raise Refused("paid_on", "invalid_date", row.paid_on) from None
    if paid_on > today:
        raise Refused("paid_on", "paid_in_future", row.paid_on)
    channel = CHANNELS.get(row.channel) or CHANNELS.get(row.channel.lower())
    if channel is None:
        raise Refused("channel", "unknown_channel", row.channel)
    if row.household_no:
        household = households_by_no.get(row.household_no)
    else:
        household = households_by_head.get(row.resident_id.upper())
    if household is None:
        raise Refused("household_no", "unknown_household", row.household_no or row.resident_id)
    if not in_scope(household.village_code):
        raise Refused("household_no", "household_out_of_scope", household.village_code)
    program = programs.get(row.program)
    if program is None:
        raise Refused("program", "unknown_program", row.program)
    if program.funding != Funding.HOUSEHOLD:
        raise Refused("program", "blanket_program", row.program)
    if program.premium_basis != PremiumBasis.HOUSEHOLD:
        raise Refused("program", "per_resident_program", row.program)
    if not household.village_code.startswith(program.region_code):
        raise Refused("program", "household_outside_program", row.program)
    if paid_on < program.starts_on:
        raise Refused("paid_on", "paid_before_program", program.starts_on)
    return household, program, amount_fen, channel, paid_on


@lru_cache(maxsize=4096)
def term_end(starts_on: date, months: int) -> date:
    """core.clock.add_months, cached: a city's terms share a few hundred start dates."""
    return add_months(starts_on, months)


def _term_for(held: list[Term], household: KnownHousehold, program: ProgramSale, paid_on: date) -> Term:
    """The idle term still running on `paid_on`, else a new one from that day if nothing covers it."""
    waiting = [t for t in held if t.status is PolicyStatus.IDLE and t.ends_on > paid_on]
    if waiting:
        return min(waiting, key=lambda t: t.starts_on)
    ends_on = term_end(paid_on, program.term_months)
    for other in held:
        if other.starts_on < ends_on and other.ends_on > paid_on:
            code = "already_paid" if other.starts_on <= paid_on else "policy_overlaps"
            raise Refused("paid_on", code, other.label)
    return Term(
        household=household,
        program=program,
        starts_on=paid_on,
        ends_on=ends_on,
        status=PolicyStatus.IDLE,
        premium_due_fen=program.premium_fen,
        premium_paid_fen=0,
    )
