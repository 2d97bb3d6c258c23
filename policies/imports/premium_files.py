"""Reading a premium collection list (CSV or XLSX) into rows of its fixed columns.

The columns, one row per household payment (a header row first; Chinese or English names, any order):

| column      | Chinese    | English     | required | notes                                          |
|-------------|------------|-------------|----------|------------------------------------------------|
| household_no| 户编号     | household_no| one of   | the household's number in the register         |
| resident_id | 户主身份证号 | resident_id | the two  | the head's resident ID, when there is no number |
| program     | 方案代码   | program     | yes      | the program's code                             |
| amount      | 金额       | amount      | yes      | in yuan, at most two decimals (200 or 200.00)  |
| paid_on     | 缴费日期   | paid_on     | yes      | 2026-03-05, 2026/3/5 or 20260305               |
| channel     | 缴费方式   | channel     | yes      | 现金 银行 移动支付 微信 支付宝, or English |
| receipt_no  | 收据号     | receipt_no  | yes      | the receipt or the bank's transaction number    |
| collector   | 收款人     | collector   | yes      | who collected the money                        |

The bytes are read exactly as the household import reads its files: CSV text through
`policies.imports.files.decode_csv` (UTF-8, UTF-8 with BOM or GBK, and its refusals), XLSX through
openpyxl's first sheet, with the same refusal of legacy .xls. Line numbers are the file's.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any, NamedTuple

from policies.imports.errors import ImportColumnsInvalid, ImportFileUnsupported
from policies.imports.files import decode_csv

COLUMNS = (
    "household_no",
    "resident_id",
    "program",
    "amount",
    "paid_on",
    "channel",
    "receipt_no",
    "collector",
)
OPTIONAL = frozenset({"household_no", "resident_id"})  # a row needs one of them: see premium_rules
HEADERS = {
    "户编号": "household_no",
    "户主身份证号": "resident_id",
    "身份证号": "resident_id",
    "方案代码": "program",
    "金额": "amount",
    "金额（元）": "amount",
    "金额(元)": "amount",
    "缴费日期": "paid_on",
    "缴费方式": "channel",
    "收据号": "receipt_no",
    "交易流水号": "receipt_no",
    "收款人": "collector",
} | {column: column for column in COLUMNS}

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


class PaymentRow(NamedTuple):
    line: int
    household_no: str
    resident_id: str
    program: str
    amount: str
    paid_on: str
    channel: str
    receipt_no: str
    collector: str


def read_collection_list(data: bytes, filename: str | None = None) -> list[PaymentRow]:
    """Every non-blank row of the file; raises if the file as a whole cannot be read."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix not in ("", ".csv", ".xlsx"):
        raise ImportFileUnsupported(f"{filename!r} is neither .csv nor .xlsx")
    if data.startswith(_XLSX_MAGIC):
        return list(_xlsx_rows(data))
    if data.startswith(_OLE_MAGIC):
        raise ImportFileUnsupported("legacy .xls workbooks are not read; save the sheet as .xlsx or .csv")
    if suffix == ".xlsx":
        raise ImportFileUnsupported(f"{filename!r} is not a valid .xlsx workbook")
    return list(_csv_rows(decode_csv(data)))


def _columns(header: list[Any]) -> list[int]:
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        title = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        if not title:
            continue
        column = HEADERS.get(title) or HEADERS.get(title.lower())
        if column is None:
            unknown.append(title)
        elif column in positions:
            raise ImportColumnsInvalid(f"column {title!r} appears twice")
        else:
            positions[column] = index
    missing = [column for column in COLUMNS if column not in positions and column not in OPTIONAL]
    if not OPTIONAL & positions.keys():
        missing.append("household_no or resident_id")
    if unknown or missing:
        raise ImportColumnsInvalid(
            f"unknown columns: {unknown or 'none'}; missing columns: {missing or 'none'}"
        )
    return [positions.get(column, -1) for column in COLUMNS]


def _csv_rows(text: str) -> Iterator[PaymentRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ImportColumnsInvalid("the file is empty")
    positions = _columns(header)
    width = max(positions) + 1
    for cells in reader:
        # Short rows (editors drop trailing empty cells) read as empty fields; -1 picks the pad.
        padded = [*cells, *[""] * (width - len(cells)), ""]
        values = [padded[p].strip() for p in positions]
        if any(values):
            yield PaymentRow(reader.line_num, *values)


def _cell(value: Any) -> str:
    """A receipt number or amount typed as a number must read back as written (200.0 is 200)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[PaymentRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileUnsupported(f"not a readable .xlsx workbook ({exc})") from exc
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ImportColumnsInvalid("the first sheet is empty")
        positions = _columns(list(header))
        for line, cells in enumerate(lines, start=2):
            values = [_cell(cells[p]) if 0 <= p < len(cells) else "" for p in positions]
            if any(values):
                yield PaymentRow(line, *values)
    finally:
        workbook.close()
