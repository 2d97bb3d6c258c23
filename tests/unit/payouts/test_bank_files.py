"""The bank files without a database: yuan in and out, and the result file's lines."""

from __future__ import annotations

import pytest

from payouts import bank_files
from payouts.bank_files import BankLine


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12460.50", 1_246_050),
        ("12460.5", 1_246_050),
        ("0.01", 1),
        ("20000", 2_000_000),
        ("1,000.00", 100_000),
    ],
)
def test_amounts_in_yuan(text: str, fen: int) -> None:
    assert bank_files.fen(text) == fen


@pytest.mark.parametrize("text", ["", "-5.00", "1.005", "12a.00", "1e3", "NaN", "١٢"])
def test_malformed_amounts(text: str) -> None:
    assert bank_files.fen(text) is None


def test_yuan_keeps_every_fen() -> None:
    assert [bank_files.yuan(n) for n in (1, 100, 1_246_050)] == ["0.01", "1.00", "12460.50"]


def test_the_result_file_in_chinese_and_gbk() -> None:
    text = "付款参考号,金额,状态,银行流水号,原因\nabc,12.30,成功,B1,\ndef,1.00,失败,,账户已销户\n\n"
    lines = bank_files.parse_results(bank_files.decode(text.encode("gbk")) or "")
    assert lines == [
        bank_files.ResultLine(line=2, reference="abc", amount_fen=1_230, status="paid", bank_reference="B1"),
        bank_files.ResultLine(line=3, reference="def", amount_fen=100, status="failed", reason="账户已销户"),
    ]


def test_a_file_without_the_columns_is_refused() -> None:
    assert bank_files.parse_results("name,value\nx,1\n") is None
    assert bank_files.parse_results("") is None


def test_the_csv_bank_file() -> None:
    line = BankLine("ref1", "AJ-20261202-000001", "王建国", None, "6228480012345678901", 1_246_050)
    assert bank_files.bank_csv([line]).decode("utf-8-sig").splitlines() == [
        "reference,claim_number,payee_name,payee_bank,payee_account,amount,purpose",
        "ref1,AJ-20261202-000001,王建国,,6228480012345678901,12460.50,安居保险赔款 AJ-20261202-000001",
    ]


def test_a_field_past_the_csv_limit_makes_the_file_unreadable() -> None:
    assert bank_files.parse_results("reference,amount,status\n" + "x" * 200_000 + ",1.00,paid\n") is None
