"""Reading a premium collection list: the household import's decoding, the list's own columns."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from policies.imports.errors import ImportColumnsInvalid, ImportEncodingUnsupported, ImportFileUnsupported
from policies.imports.premium_files import PaymentRow, read_collection_list

HEADER = "户编号,方案代码,金额,缴费日期,缴费方式,收据号,收款人\n"
ROW = "HJ001,HA-2026,200,2026-03-05,现金,R001,王村委\n"
EXPECTED = PaymentRow(2, "HJ001", "", "HA-2026", "200", "2026-03-05", "现金", "R001", "王村委")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_reads_in_every_encoding_the_household_import_reads(encoding: str) -> None:
    assert read_collection_list((HEADER + ROW).encode(encoding), "清单.csv") == [EXPECTED]


def test_xlsx_cells_typed_as_numbers_and_dates_read_as_written() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["household_no", "program", "amount", "paid_on", "channel", "receipt_no", "collector"])
    sheet.append(["HJ001", "HA-2026", 200.0, datetime(2026, 3, 5), "cash", 9001.0, "王村委"])
    buffer = io.BytesIO()
    book.save(buffer)
    [row] = read_collection_list(buffer.getvalue(), "清单.xlsx")
    assert (row.amount, row.paid_on, row.receipt_no) == ("200", "2026-03-05 00:00:00", "9001")


def test_a_list_naming_neither_the_household_nor_its_head_is_refused() -> None:
    with pytest.raises(ImportColumnsInvalid, match="household_no or resident_id"):
        read_collection_list("方案代码,金额,缴费日期,缴费方式,收据号,收款人\n".encode(), "清单.csv")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ((HEADER + ROW).encode("utf-16"), ImportEncodingUnsupported),
        (b"\xd0\xcf\x11\xe0legacy", ImportFileUnsupported),
        ((HEADER.replace("收款人", "经手人") + ROW).encode(), ImportColumnsInvalid),
    ],
)
def test_unreadable_lists_are_refused_as_a_whole(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error):
        read_collection_list(data, "清单.csv")


def test_cells_are_cleaned_as_api_text_is() -> None:
    dirty = ROW.replace("R001", "R\u200b001").replace("王村委", "王\u2060村委 ")
    assert dirty != ROW
    assert read_collection_list((HEADER + dirty).encode(), "清单.csv") == [EXPECTED]
