"""The premium collection import's row rules, without a database."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from policies.domain import Funding, PaymentChannel, PolicyStatus
from policies.imports.premium_files import PaymentRow
from policies.imports.premium_rules import (
    KnownHousehold,
    PremiumPlan,
    ProgramSale,
    Receipt,
    Term,
    parse_day,
    parse_yuan,
    plan_payments,
)

TODAY = date(2026, 6, 1)
HOME = KnownHousehold(uuid4(), "370211001001", "张建国")
AWAY = KnownHousehold(uuid4(), "370211002001", "李志强")
FAR = KnownHousehold(uuid4(), "370212001001", "赵伟")
HEAD_ID = "370211198001010011"
VOLUNTARY = ProgramSale(uuid4(), "HA-2026", Funding.HOUSEHOLD.value, "370211", 20_000, 36, date(2026, 1, 1))
BLANKET = ProgramSale(uuid4(), "QD-2026", Funding.DISTRICT.value, "370211", 200_000_000, 12, date(2026, 1, 1))


def row(line: int = 2, **fields: str) -> PaymentRow:
    values = {
        "household_no": "HJ001",
        "resident_id": "",
        "program": "HA-2026",
        "amount": "200",
        "paid_on": "2026-03-05",
        "channel": "现金",
        "receipt_no": f"R{line}",
        "collector": "王村委",
    } | fields
    return PaymentRow(line, **values)


def plan(
    *rows: PaymentRow,
    terms: dict[tuple, list[Term]] | None = None,
    receipts: dict[tuple[str, str], Receipt] | None = None,
) -> PremiumPlan:
    return plan_payments(
        list(rows),
        households_by_no={"HJ001": HOME, "HJ002": AWAY, "HJ009": FAR},
        households_by_head={HEAD_ID: HOME},
        programs={"HA-2026": VOLUNTARY, "QD-2026": BLANKET},
        terms=terms or {},
        receipts=receipts or {},
        in_scope=lambda village: village != AWAY.village_code,
        today=TODAY,
    )


def idle_term(starts_on: date = date(2026, 2, 1), status: PolicyStatus = PolicyStatus.IDLE) -> Term:
    term = Term(HOME, VOLUNTARY, starts_on, date(2029, 2, 1), status, 20_000, 0)
    term.id, term.number = uuid4(), "HA-2026-20260201-AAAA"
    return term


def test_a_new_household_is_enrolled_from_the_day_paid_and_active_when_paid_in_full() -> None:
    result = plan(row())
    assert result.errors == []
    [term] = result.new_terms
    assert (term.starts_on, term.ends_on) == (date(2026, 3, 5), date(2029, 3, 5))
    assert term.status is PolicyStatus.ACTIVE
    assert term.premium_paid_fen == 20_000
    [payment] = result.payments
    assert (payment.amount_fen, payment.channel, payment.collector) == (20_000, PaymentChannel.CASH, "王村委")


def test_the_head_resident_id_finds_the_household_when_there_is_no_number() -> None:
    result = plan(row(household_no="", resident_id=HEAD_ID.lower()))
    assert [t.household for t in result.new_terms] == [HOME]


def test_an_idle_term_awaiting_its_premium_is_paid_and_activated_not_duplicated() -> None:
    term = idle_term()
    result = plan(row(), terms={(HOME.id, VOLUNTARY.id): [term]})
    assert result.new_terms == []
    assert result.paid_terms == {term.id: term}
    assert term.status is PolicyStatus.ACTIVE


def test_a_receipt_already_recorded_for_the_same_payment_is_skipped() -> None:
    result = plan(row(), receipts={("cash", "R2"): Receipt(HOME.id, 20_000)})
    assert (result.already_recorded, result.payments, result.errors) == (1, [], [])


@pytest.mark.parametrize(
    ("fields", "code", "column"),
    [
        ({"household_no": "HJ404"}, "unknown_household", "household_no"),
        ({"household_no": "HJ002"}, "household_out_of_scope", "household_no"),
        ({"household_no": "HJ009"}, "household_outside_program", "program"),
        ({"program": "NOPE"}, "unknown_program", "program"),
        ({"program": "QD-2026"}, "blanket_program", "program"),
        ({"amount": "150"}, "wrong_amount", "amount"),
        ({"amount": "200.001"}, "invalid_amount", "amount"),
        ({"amount": "-200"}, "invalid_amount", "amount"),
        ({"paid_on": "2025-12-31"}, "paid_before_program", "paid_on"),
        ({"paid_on": "2026-06-02"}, "paid_in_future", "paid_on"),
        ({"paid_on": "3月5日"}, "invalid_date", "paid_on"),
        ({"channel": "支票"}, "unknown_channel", "channel"),
        ({"collector": ""}, "missing_field", "collector"),
        ({"household_no": "", "resident_id": ""}, "missing_field", "household_no"),
    ],
)
def test_a_bad_row_is_reported_with_its_line_and_reason(
    fields: dict[str, str], code: str, column: str
) -> None:
    result = plan(row(7, **fields))
    assert [(e.line, e.column, e.code) for e in result.errors] == [(7, column, code)]
    assert result.payments == []


def test_the_wrong_amount_says_what_is_due() -> None:
    [error] = plan(row(amount="150")).errors
    assert error.message_en == "The amount due is 200.00 yuan"


def test_a_receipt_used_for_another_household_is_refused() -> None:
    result = plan(row(), receipts={("cash", "R2"): Receipt(AWAY.id, 20_000)})
    assert [e.code for e in result.errors] == ["receipt_used"]


def test_a_receipt_repeated_in_the_file_is_refused_on_its_second_line() -> None:
    result = plan(row(2), row(3, receipt_no="R2", household_no="HJ001"))
    assert [(e.line, e.code, e.message_en) for e in result.errors] == [
        (3, "duplicate_receipt", "Receipt number repeats line 2")
    ]


def test_a_second_payment_for_a_term_paid_earlier_in_the_file_is_refused() -> None:
    result = plan(row(2), row(3, paid_on="2026-04-01"))
    assert [(e.line, e.code) for e in result.errors] == [(3, "already_paid")]
    assert len(result.new_terms) == 1


def test_a_term_starting_later_blocks_a_new_one_that_would_overlap_it() -> None:
    later = idle_term(date(2026, 5, 1), PolicyStatus.ACTIVE)
    result = plan(row(), terms={(HOME.id, VOLUNTARY.id): [later]})
    assert [e.code for e in result.errors] == ["policy_overlaps"]


@pytest.mark.parametrize(("text", "fen"), [("200", 20_000), ("200.5", 20_050), ("¥1,200.00", 120_000)])
def test_yuan_are_read_as_whole_fen(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text", ["2026-03-05", "2026/3/5", "20260305", "2026-03-05 00:00:00"])
def test_dates_are_read_as_clerks_and_spreadsheets_write_them(text: str) -> None:
    assert parse_day(text) == date(2026, 3, 5)
