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

The file is read by the household import's own reader (`policies.imports.files.read_table` with
this layout): the same encodings and refusals, every cell cleaned as API text is. Line numbers are
the file's.
"""

from __future__ import annotations

from typing import NamedTuple

from policies.imports.files import Layout, read_table

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


PAYMENTS = Layout(COLUMNS, HEADERS, OPTIONAL, PaymentRow, one_of=OPTIONAL)


def read_collection_list(data: bytes, filename: str | None = None) -> list[PaymentRow]:
    """Every non-blank row of the file; raises if the file as a whole cannot be read."""
    rows: list[PaymentRow] = read_table(data, filename, PAYMENTS).rows
    return rows
