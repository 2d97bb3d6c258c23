"""The bank's files: a batch out as CSV and as ISO 20022 pain.001.001.03, the result CSV back in.

Pure: rows in, bytes out (and bytes in, parsed lines out). Amounts in the files are yuan with two
decimals (the banks' convention); inside the service they stay integer fen. Each payout is named
by its reference (`EndToEndId`, the payout id in hex), which the bank echoes in its result file.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.clock import BUSINESS_TZ, as_utc

PAIN_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
CURRENCY = "CNY"
# The insurer's claims account the batches are paid from; a deployment's bank sets these up.
PAYER_NAME = "安居保险理赔专户"
PAYER_ACCOUNT = "ANJU-CLAIMS-ACCOUNT"
CSV_HEADER = ["reference", "claim_number", "payee_name", "payee_bank", "payee_account", "amount", "purpose"]
AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")  # ASCII digits: \d also takes ١٢
# Result columns by what banks call them (English or Chinese headers); status words likewise.
RESULT_COLUMNS = {
    "reference": "reference",
    "付款参考号": "reference",
    "amount": "amount",
    "金额": "amount",
    "status": "status",
    "状态": "status",
    "bank_reference": "bank_reference",
    "银行流水号": "bank_reference",
    "reason": "reason",
    "原因": "reason",
}
STATUS_WORDS = {"paid": "paid", "成功": "paid", "failed": "failed", "失败": "failed"}


@dataclass(frozen=True)
class BankLine:
    """One payout as the bank files carry it."""

    reference: str
    claim_number: str
    payee_name: str
    payee_bank: str | None
    payee_account: str
    amount_fen: int

    @property
    def purpose(self) -> str:
        return f"安居保险赔款 {self.claim_number}"


@dataclass(frozen=True)
class ResultLine:
    """One line of the bank's result file, or what was wrong with it (`problem`)."""

    line: int
    reference: str | None
    amount_fen: int | None = None
    status: str | None = None
    bank_reference: str | None = None
    reason: str | None = None
    problem: str | None = None  # malformed_amount | unknown_status | missing_reference


def yuan(amount_fen: int) -> str:
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


def fen(text: str) -> int | None:
    """'1234.5' → 123450; anything else (a sign, three decimals, letters) → None."""
    cleaned = text.strip().replace(",", "")
    if not AMOUNT.match(cleaned):
        return None
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation:
        return None


def bank_csv(lines: Sequence[BankLine]) -> bytes:
    """UTF-8 with a byte-order mark, so a spreadsheet opens the Chinese names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow(
            [
                line.reference,
                line.claim_number,
                line.payee_name,
                line.payee_bank or "",
                line.payee_account,
                yuan(line.amount_fen),
                line.purpose,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _account(parent: ET.Element, tag: str, number: str) -> None:
    _sub(_sub(_sub(_sub(parent, tag), "Id"), "Othr"), "Id", number)


def pain001(batch_number: str, created_at: datetime, execute_on: date, lines: Sequence[BankLine]) -> bytes:
    """A customer credit transfer initiation (pain.001.001.03): one payment information block for
    the batch, one transaction per payout (accounts as `Othr` ids: Chinese accounts have no IBAN)."""
    ET.register_namespace("", PAIN_NS)
    document = ET.Element(f"{{{PAIN_NS}}}Document")
    initiation = _sub(document, "CstmrCdtTrfInitn")
    total = yuan(sum(line.amount_fen for line in lines))
    header = _sub(initiation, "GrpHdr")
    _sub(header, "MsgId", batch_number)
    # With its offset, in business time: a bare time would be read in the bank's own zone.
    _sub(header, "CreDtTm", as_utc(created_at).astimezone(BUSINESS_TZ).isoformat(timespec="seconds"))
    _sub(header, "NbOfTxs", str(len(lines)))
    _sub(header, "CtrlSum", total)
    _sub(_sub(header, "InitgPty"), "Nm", PAYER_NAME)
    info = _sub(initiation, "PmtInf")
    _sub(info, "PmtInfId", batch_number)
    _sub(info, "PmtMtd", "TRF")
    _sub(info, "NbOfTxs", str(len(lines)))
    _sub(info, "CtrlSum", total)
    _sub(info, "ReqdExctnDt", execute_on.isoformat())
    _sub(_sub(info, "Dbtr"), "Nm", PAYER_NAME)
    _account(info, "DbtrAcct", PAYER_ACCOUNT)
    _sub(_sub(info, "DbtrAgt"), "FinInstnId")
    for line in lines:
        transfer = _sub(info, "CdtTrfTxInf")
        _sub(_sub(transfer, "PmtId"), "EndToEndId", line.reference)
        _sub(_sub(transfer, "Amt"), "InstdAmt", yuan(line.amount_fen), Ccy=CURRENCY)
        if line.payee_bank:
            _sub(_sub(_sub(transfer, "CdtrAgt"), "FinInstnId"), "Nm", line.payee_bank)
        _sub(_sub(transfer, "Cdtr"), "Nm", line.payee_name)
        _account(transfer, "CdtrAcct", line.payee_account)
        _sub(_sub(transfer, "RmtInf"), "Ustrd", line.purpose)
    return ET.tostring(document, encoding="utf-8", xml_declaration=True)


def decode(content: bytes) -> str | None:
    """Banks send UTF-8 (with or without a byte-order mark) or GBK; anything else is unreadable."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _line(number: int, cells: dict[str, str]) -> ResultLine:
    reference = cells.get("reference") or None
    amount = fen(cells.get("amount", ""))
    status = STATUS_WORDS.get(cells.get("status", "").lower())
    problem = None
    if reference is None:
        problem = "missing_reference"
    elif amount is None:
        problem = "malformed_amount"
    elif status is None:
        problem = "unknown_status"
    return ResultLine(
        line=number,
        reference=reference,
        amount_fen=amount,
        status=status,
        bank_reference=cells.get("bank_reference") or None,
        reason=cells.get("reason") or None,
        problem=problem,
    )


def parse_results(text: str) -> list[ResultLine] | None:
    """The result file's lines (numbered from 2: line 1 is the header); None if it is not a CSV
    with the reference, amount and status columns."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:  # a field past the csv module's size limit: not a bank's file
        return None
    if not rows:
        return None
    columns = {
        RESULT_COLUMNS[name.strip().lower()]: i
        for i, name in enumerate(rows[0])
        if name.strip().lower() in RESULT_COLUMNS
    }
    if not {"reference", "amount", "status"} <= columns.keys():
        return None
    return [
        _line(number, {name: row[at].strip() for name, at in columns.items() if at < len(row)})
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
