"""Reading an import file (CSV or XLSX) into rows of the import's fixed columns (its `Layout`).

Every import reads its files here: the household import (HOUSEHOLDS, below) and the premium
collection list (policies.imports.premium_files.PAYMENTS).

The household import's columns, one row per person (a header row first; Chinese or English names,
any order):

| column          | Chinese  | English       | required | notes                                          |
|-----------------|----------|---------------|----------|------------------------------------------------|
| household_no    | 户编号   | household_no  | yes      | the household's number in the village register |
| village_code    | 村代码   | village_code  | yes      | 12-digit code of a village in the regions table |
| address         | 地址     | address       | yes      |                                                |
| head_name       | 户主姓名 | head_name     | no       | else the name on the household's 户主 row      |
| phone           | 联系电话 | phone         | yes      | the household's phone                          |
| name            | 姓名     | name          | yes      | the person's name                              |
| resident_id     | 身份证号 | resident_id   | yes      | 18 characters, GB 11643 check digit            |
| relation        | 与户主关系 | relation    | yes      | 户主/配偶/子女/父母/兄弟姐妹/其他 or English   |

Any other non-empty header is refused, so a typo such as 身分证号 is caught instead of ignored.
Every cell is cleaned as API text is (`core.text.clean`: NFC, invisible characters removed,
whitespace collapsed), so a name of zero-width spaces is an empty name. Line numbers are the file's:
the header is line 1.

CSV may be UTF-8 (with or without BOM) or GBK/GB18030 (read as GB18030, GBK's superset, so rare
characters in names survive). Bytes that are not UTF-8 decode as GB18030 almost always, whatever they
are (Latin-1 `Müller` reads as `M黮ler`), so a file that is not UTF-8 is weighed by charset-normalizer
against Windows-1252 (what a Western spreadsheet saves): it is read as GB18030 only when that reading
is no messier than the Western one; otherwise it is refused, naming the encodings accepted.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import PurePath
from typing import Any, Generic, NamedTuple, TypeVar

from charset_normalizer import from_bytes

from core.text import clean, needs_cleaning
from policies.imports.errors import ImportColumnsInvalid, ImportEncodingUnsupported, ImportFileUnsupported

COLUMNS = ("household_no", "village_code", "address", "head_name", "phone", "name", "resident_id", "relation")
OPTIONAL = frozenset({"head_name"})
HEADERS = {
    "户编号": "household_no",
    "村代码": "village_code",
    "地址": "address",
    "户主姓名": "head_name",
    "联系电话": "phone",
    "姓名": "name",
    "身份证号": "resident_id",
    "与户主关系": "relation",
} | {column: column for column in COLUMNS}

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls (and .doc)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_WEIGHED = ["gb18030", "cp1252"]


class Row(NamedTuple):
    line: int
    household_no: str
    village_code: str
    address: str
    head_name: str
    phone: str
    name: str
    resident_id: str
    relation: str


R = TypeVar("R")


@dataclass(frozen=True)
class Layout(Generic[R]):
    """An import's columns: their names in files, which may be absent, and the row they make."""

    columns: tuple[str, ...]
    headers: Mapping[str, str]  # a header as written (Chinese or English) -> its column
    optional: frozenset[str]
    row: Callable[..., R]  # (line, *values in `columns` order) -> a row
    one_of: frozenset[str] = frozenset()  # optional columns of which the file must have one


HOUSEHOLDS = Layout(COLUMNS, HEADERS, OPTIONAL, Row)


class Table(NamedTuple, Generic[R]):
    kind: str  # csv | xlsx
    rows: list[R]


def read_table(data: bytes, filename: str | None = None, layout: Layout[Any] = HOUSEHOLDS) -> Table[Any]:
    """Every non-blank row of the file; raises if the file as a whole cannot be read."""
    suffix = PurePath(filename).suffix.lower() if filename else ""
    if suffix not in ("", ".csv", ".xlsx"):
        raise ImportFileUnsupported(f"{filename!r} is neither .csv nor .xlsx")
    if data.startswith(_XLSX_MAGIC):
        return Table("xlsx", list(_xlsx_rows(data, layout)))
    if data.startswith(_OLE_MAGIC):
        raise ImportFileUnsupported("legacy .xls workbooks are not read; save the sheet as .xlsx or .csv")
    if suffix == ".xlsx":
        raise ImportFileUnsupported(f"{filename!r} is not a valid .xlsx workbook")
    return Table("csv", list(_csv_rows(decode_csv(data), layout)))


def decode_csv(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else GB18030 when the bytes read as Chinese
    (see the module's docstring). The one decoder for every CSV upload (households, regions)."""
    if data.startswith(_UTF16_BOMS):
        raise ImportEncodingUnsupported("the file is UTF-16; save it as UTF-8 or GBK")
    if b"\x00" in data[:8192]:
        raise ImportFileUnsupported("the file is binary, not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    readings = {match.encoding: match.chaos for match in from_bytes(data, cp_isolation=_WEIGHED)}
    chinese = readings.pop("gb18030", None)
    if chinese is None or any(chaos < chinese for chaos in readings.values()):
        looks_like = min(readings, key=readings.__getitem__, default="an unknown encoding")
        raise ImportEncodingUnsupported(
            f"the file reads as {looks_like}, not UTF-8 or GBK/GB18030; save it as UTF-8 or GBK"
        )
    return data.decode("gb18030")


def _columns(header: list[Any], layout: Layout[Any]) -> list[int]:
    """Position of each of the layout's columns in the file's header (-1 when an optional one is absent)."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header):
        title = "" if cell is None else clean(str(cell))
        if not title:
            continue
        column = layout.headers.get(title) or layout.headers.get(title.lower())
        if column is None:
            unknown.append(title)
        elif column in positions:
            raise ImportColumnsInvalid(f"column {title!r} appears twice")
        else:
            positions[column] = index
    missing = [c for c in layout.columns if c not in positions and c not in layout.optional]
    if layout.one_of and not layout.one_of & positions.keys():
        missing.append(" or ".join(sorted(layout.one_of)))
    if unknown or missing:
        raise ImportColumnsInvalid(
            f"unknown columns: {unknown or 'none'}; missing columns: {missing or 'none'}"
        )
    return [positions.get(column, -1) for column in layout.columns]


def _csv_rows(text: str, layout: Layout[R]) -> Iterator[R]:
    # A file without invisible characters, odd whitespace or unnormalised text (nearly every file)
    # only needs its cells trimmed, except where a quoted cell spans lines.
    tidy = clean if needs_cleaning(text) else str.strip
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ImportColumnsInvalid("the file is empty")
    positions = _columns(header, layout)
    # An absent optional column (-1) picks the empty cell appended to every row below.
    pick = itemgetter(*positions)
    padding = [""] * (max(positions) + 1)
    last_line = reader.line_num
    for cells in reader:
        spans_lines, last_line = reader.line_num - last_line > 1, reader.line_num
        if len(cells) < len(padding):
            # Short rows (editors drop trailing empty cells) read as empty fields.
            cells += padding
        cells.append("")
        values = [*map(clean if spans_lines else tidy, pick(cells))]
        if any(values):
            yield layout.row(reader.line_num, *values)


def _cell(value: Any) -> str:
    """Spreadsheets type cells: a phone or ID typed as a number must read back as its digits."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def _xlsx_rows(data: bytes, layout: Layout[R]) -> Iterator[R]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileUnsupported(f"not a readable .xlsx workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ImportColumnsInvalid("the first sheet is empty")
        positions = _columns(list(header), layout)
        for line, cells in enumerate(lines, start=2):
            values = [_cell(cells[p]) if 0 <= p < len(cells) else "" for p in positions]
            if any(values):
                yield layout.row(line, *values)
    finally:
        workbook.close()
